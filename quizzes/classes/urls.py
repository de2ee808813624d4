from django.urls import path

from quizzes.classes import accounts, boosters, joining, views
from quizzes.classes.lesson_views import class_lesson_plan
from quizzes.play.certificate import class_certificates

app_name = "classes"

urlpatterns = [
    path("classes/", views.class_list, name="list"),
    path("classes/new/", views.class_create, name="create"),
    path("classes/<id:pk>/", views.class_detail, name="detail"),
    path("classes/<id:pk>/rename/", views.class_rename, name="rename"),
    path("classes/<id:pk>/archive/", views.class_archive, name="archive"),
    path("classes/<id:pk>/rotate-code/", views.class_rotate_code, name="rotate-code"),
    path(
        "classes/<id:pk>/open-after-check/",
        views.class_open_after_check,
        name="open-after-check",
    ),
    path("classes/<id:pk>/assign/", views.class_assign, name="assign"),
    path(
        "classes/<id:pk>/assignments/<id:assignment_pk>/due-date/",
        views.class_assignment_due,
        name="assignment-due",
    ),
    path("classes/<id:pk>/booster/", boosters.send_booster, name="send-booster"),
    path(
        "classes/<id:pk>/assignments/<id:assignment_pk>/remove/",
        views.class_unassign,
        name="unassign",
    ),
    path(
        "classes/<id:pk>/students/<id:student_pk>/",
        views.class_student,
        name="student",
    ),
    path(
        "classes/<id:pk>/students/<id:student_pk>/remove/",
        views.class_remove_student,
        name="remove-student",
    ),
    path(
        "classes/<id:pk>/students/<id:student_pk>/reset-password/",
        accounts.class_reset_password,
        name="reset-password",
    ),
    path("classes/<id:pk>/accounts/", accounts.class_batch_accounts, name="batch-accounts"),
    path("classes/<id:pk>/accounts/sheet/", accounts.class_batch_sheet, name="batch-sheet"),
    path("classes/<id:pk>/certificates/", class_certificates, name="certificates"),
    path("classes/<id:pk>/export.csv", views.class_export_csv, name="export-csv"),
    path(
        "classes/<id:pk>/answers.csv",
        views.class_export_answers_csv,
        name="export-answers-csv",
    ),
    path(
        "classes/<id:pk>/lesson-plan/<slug:slug>/",
        class_lesson_plan,
        name="lesson-plan",
    ),
    path("join/", joining.join, name="join"),
    path("join/<id:pk>/leave/", joining.leave, name="leave"),
]
