from django.urls import path

from quizzes import views_check as views

urlpatterns = [
    path("check/", views.check_start_page, name="check"),
    path("check/start/", views.check_start, name="check-start"),
    path("check/<id:session_id>/<id:index>/", views.check_item, name="check-item"),
    path("check/<id:session_id>/result/", views.check_result, name="check-result"),
]
