from django.urls import path

from quizzes.play import certificate, practice_views, views

app_name = "play"

urlpatterns = [
    path("scenarios/", views.scenario_list, name="scenario-list"),
    path("scenarios/<slug:slug>/", views.scenario_detail, name="scenario-detail"),
    path("scenarios/<slug:slug>/start/", views.scenario_start, name="scenario-start"),
    path("scenarios/<slug:slug>/play/<id:attempt_id>/", views.attempt_play, name="attempt-play"),
    path(
        "scenarios/<slug:slug>/play/<id:attempt_id>/answer/",
        views.attempt_answer_view,
        name="attempt-answer",
    ),
    path(
        "scenarios/<slug:slug>/play/<id:attempt_id>/feedback/<slug:step_key>/",
        views.attempt_feedback,
        name="attempt-feedback",
    ),
    path("preview/<id:pk>/", views.preview_start, name="scenario-preview"),
    path("preview/<id:pk>/play/", views.preview_play, name="preview-play"),
    path("preview/<id:pk>/answer/", views.preview_answer, name="preview-answer"),
    path(
        "preview/<id:pk>/feedback/<slug:step_key>/",
        views.preview_feedback,
        name="preview-feedback",
    ),
    path("progress/", views.progress, name="progress"),
    path("progress/certificate/", certificate.certificate, name="certificate"),
    path("progress/mistakes/", practice_views.mistakes, name="mistakes"),
    path("progress/mistakes/<id:answer_id>/", practice_views.mistake_retry, name="mistake-retry"),
    path(
        "progress/mistakes/<id:answer_id>/tried/<id:retry_id>/",
        practice_views.mistake_result,
        name="mistake-result",
    ),
    path("progress/booster/", practice_views.booster_start, name="booster-start"),
    path("progress/booster/<id:booster_id>/", practice_views.booster_play, name="booster"),
    path(
        "progress/booster/<id:booster_id>/<id:number>/",
        practice_views.booster_feedback,
        name="booster-feedback",
    ),
]
