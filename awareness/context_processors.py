from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Site-wide template values: the site name and whether teacher sign-up is open."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "TEACHER_SIGNUP_OPEN": settings.TEACHER_SIGNUP == "open",
    }
