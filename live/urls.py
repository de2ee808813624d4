from django.urls import path

from live import phone, views

app_name = "live"

urlpatterns = [
    path("", phone.live_enter, name="enter"),
    path("join/<str:code>/", phone.live_join, name="join"),
    path("new/", views.live_new, name="new"),
    path("<id:pk>/", phone.live_phone, name="phone"),
    path("<id:pk>/vote/", phone.live_vote, name="vote"),
    path("<id:pk>/screen/", views.live_screen, name="screen"),
    path("<id:pk>/control/", views.live_control, name="control"),
    path("<id:pk>/results/", views.live_results, name="results"),
    path("<id:pk>/state.json", views.live_state, name="state"),
    path("<id:pk>/events/", views.live_events, name="events"),
]
