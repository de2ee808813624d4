from django.urls import path

from quizzes import views_check as views

urlpatterns = [
    path("check/", views.check_start_page, name="check"),
    path("check/start/", views.check_start, name="check-start"),
    path("check/<int:session_id>/<int:index>/", views.check_item, name="check-item"),
    path("check/<int:session_id>/result/", views.check_result, name="check-result"),
]
