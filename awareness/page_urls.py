from django.urls import path

from awareness import views

app_name = "awareness"

urlpatterns = [
    path("", views.home, name="home"),
]
