from django.urls import path

from awareness import views_pages

app_name = "awareness"

urlpatterns = [
    path("", views_pages.home, name="home"),
    path("learn/", views_pages.topic_list, name="topic-list"),
    path("learn/<slug:slug>/", views_pages.topic_detail, name="topic-detail"),
    path("help/", views_pages.help_page, name="help"),
]
