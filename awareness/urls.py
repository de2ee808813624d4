from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter
from django.views.i18n import set_language

from awareness import views
from awareness.converters import IdConverter

# Before the includes below: every URLconf of the project writes its ids as <id:...>.
register_converter(IdConverter, "id")

accounts_patterns = (
    [
        path("signup/", views.signup, name="signup"),
        path("login/", views.LoginView.as_view(), name="login"),
        path("logout/", auth_views.LogoutView.as_view(), name="logout"),
        path("password/", views.PasswordChangeView.as_view(), name="password_change"),
        path(
            "password/done/",
            auth_views.PasswordChangeDoneView.as_view(),
            name="password_change_done",
        ),
    ],
    "accounts",
)

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("i18n/switch/", views.language_switch, name="language-switch"),
    path("accounts/", include(accounts_patterns)),
    path("admin/", admin.site.urls),
    path("", include("quizzes.urls")),
    path("", include("awareness.page_urls")),
]

handler400 = "awareness.views.bad_request"
handler403 = "awareness.views.permission_denied"
handler404 = "awareness.views.page_not_found"
handler500 = "awareness.views.server_error"
