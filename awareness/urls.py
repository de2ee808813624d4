from django.contrib import admin
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from awareness import views
from awareness.converters import IdConverter

# Before the includes below: every URLconf of the project writes its ids as <id:...>.
register_converter(IdConverter, "id")


urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/switch/", views.language_switch, name="language-switch"),
    path("accounts/", include("awareness.accounts.urls")),
    path("admin/", admin.site.urls),
    path("", include("quizzes.play.urls")),
    path("", include("quizzes.check.urls")),
    path("", include("quizzes.classes.urls")),
    path("", include("quizzes.privacy.urls")),
    path("live/", include("live.urls")),
    path("", include("awareness.pages.urls")),
]

handler400 = "awareness.views.bad_request"
handler403 = "awareness.views.permission_denied"
handler404 = "awareness.views.page_not_found"
handler500 = "awareness.views.server_error"
