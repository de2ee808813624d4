from django.urls import path

from quizzes.check import views

app_name = "check"

urlpatterns = [
    path("check/", views.check_start_page, name="home"),
    path("check/start/", views.check_start, name="start"),
    path("check/<id:session_id>/<id:index>/", views.check_item, name="item"),
    path("check/<id:session_id>/result/", views.check_result, name="result"),
]
