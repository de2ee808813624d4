from django.urls import path

from quizzes.privacy import views

app_name = "privacy"

urlpatterns = [
    path("account/my-data.json", views.my_data, name="my-data"),
    path("account/delete/", views.account_delete, name="account-delete"),
]
