from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Site-wide template values: the site name, whether teacher sign-up is open and how long
    data is kept."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "TEACHER_SIGNUP_OPEN": settings.TEACHER_SIGNUP == "open",
        "VISITOR_DATA_DAYS": settings.VISITOR_DATA_DAYS,
        "LOGIN_RECORD_DAYS": settings.LOGIN_RECORD_DAYS,
    }
