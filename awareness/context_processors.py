from django.conf import settings
from django.http import HttpRequest

from awareness.site_urls import current_site_urls


def site(request: HttpRequest) -> dict:
    """Site-wide template values: the header and footer links, the site name and whether
    teacher sign-up is open."""
    return {
        "site_urls": current_site_urls(),
        "SITE_NAME": settings.SITE_NAME,
        "TEACHER_SIGNUP_OPEN": settings.TEACHER_SIGNUP == "open",
        "VISITOR_DATA_DAYS": settings.VISITOR_DATA_DAYS,
        "LOGIN_RECORD_DAYS": settings.LOGIN_RECORD_DAYS,
    }
