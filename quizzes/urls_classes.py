"""Class, join and privacy URLs; merged into the "quizzes" namespace by quizzes/urls.py."""

from django.urls import path

from quizzes import views_classes as views

urlpatterns = [
    path("classes/", views.class_list, name="class-list"),
    path("classes/new/", views.class_create, name="class-create"),
    path("classes/<id:pk>/", views.class_detail, name="class-detail"),
    path("classes/<id:pk>/rename/", views.class_rename, name="class-rename"),
    path("classes/<id:pk>/archive/", views.class_archive, name="class-archive"),
    path("classes/<id:pk>/rotate-code/", views.class_rotate_code, name="class-rotate-code"),
    path("classes/<id:pk>/assign/", views.class_assign, name="class-assign"),
    path(
        "classes/<id:pk>/assignments/<id:assignment_pk>/remove/",
        views.class_unassign,
        name="class-unassign",
    ),
    path(
        "classes/<id:pk>/students/<id:student_pk>/",
        views.class_student,
        name="class-student",
    ),
    path(
        "classes/<id:pk>/students/<id:student_pk>/remove/",
        views.class_remove_student,
        name="class-remove-student",
    ),
    path(
        "classes/<id:pk>/students/<id:student_pk>/reset-password/",
        views.class_reset_password,
        name="class-reset-password",
    ),
    path("classes/<id:pk>/accounts/", views.class_batch_accounts, name="class-batch-accounts"),
    path("classes/<id:pk>/accounts/sheet/", views.class_batch_sheet, name="class-batch-sheet"),
    path("classes/<id:pk>/export.csv", views.class_export_csv, name="class-export-csv"),
    path(
        "classes/<id:pk>/answers.csv",
        views.class_export_answers_csv,
        name="class-export-answers-csv",
    ),
    path("join/", views.join, name="join"),
    path("join/<id:pk>/leave/", views.leave, name="leave"),
    path("account/my-data.json", views.my_data, name="my-data"),
    path("account/delete/", views.account_delete, name="account-delete"),
]
