from django.urls import path

from awareness.pages import views

app_name = "pages"

urlpatterns = [
    path("", views.home, name="home"),
    path("learn/", views.topic_list, name="topic-list"),
    path("learn/<slug:slug>/", views.topic_detail, name="topic-detail"),
    path("help/", views.help_page, name="help"),
    path("favicon.ico", views.favicon, name="favicon"),
]
