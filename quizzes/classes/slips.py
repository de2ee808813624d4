"""The one-time passwords on a class's printable sheet, kept for a while so that the teacher can
reload and reprint it.

They are never readable on the server. The session (in the database, or Redis) holds them
encrypted with Fernet; the key lives only in the teacher's browser, in a cookie sent to this
class's pages alone (HttpOnly, SameSite=Strict, Secure under HTTPS). Whoever reads the session
store or a backup of it sees ciphertext; the cookie alone holds no password. Both go after
``SHEET_LIFETIME`` (the cookie expires, and the ciphertext carries its own time-to-live) or
when the teacher presses "Done". Nothing is kept in a worker's memory, so any worker can show
the sheet on any reload.
"""

import json
import time
from datetime import timedelta

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.http import HttpRequest, HttpResponse

from quizzes.models import Classroom

SHEET_LIFETIME = timedelta(hours=1)
_SESSION_KEY = "quizzes:sheet:{pk}"
_COOKIE_NAME = "sheet_key_{pk}"


def _now() -> int:
    return int(time.time())


def _stored_key(request: HttpRequest, classroom: Classroom) -> bytes | None:
    """This browser's key for the class's sheet, if it sent a well-formed one."""
    key = request.COOKIES.get(_COOKIE_NAME.format(pk=classroom.pk), "").encode()
    try:
        Fernet(key)
    except ValueError:  # missing, or not 32 url-safe base64-encoded bytes
        return None
    return key


def sheet_passwords(request: HttpRequest, classroom: Classroom) -> dict[int, str]:
    """The one-time passwords issued for the class in this browser, by account id, while
    fresh."""
    session_key = _SESSION_KEY.format(pk=classroom.pk)
    token = request.session.get(session_key)
    if not token:
        return {}
    key = _stored_key(request, classroom)
    if key is None:
        return {}  # another browser of the same session: the passwords stay unreadable
    try:
        plain = Fernet(key).decrypt_at_time(
            token.encode(), ttl=int(SHEET_LIFETIME.total_seconds()), current_time=_now()
        )
    except InvalidToken:  # expired, or encrypted under an older key
        del request.session[session_key]
        return {}
    return {int(pk): password for pk, password in json.loads(plain)}


def sheet_remember(
    request: HttpRequest, response: HttpResponse, classroom: Classroom, passwords: dict[int, str]
) -> None:
    """Add ``passwords`` (account id: one-time password) to the class's sheet in this browser;
    the sheet's hour starts again."""
    merged = sheet_passwords(request, classroom) | passwords
    key = _stored_key(request, classroom) or Fernet.generate_key()
    token = Fernet(key).encrypt_at_time(json.dumps(sorted(merged.items())).encode(), _now())
    request.session[_SESSION_KEY.format(pk=classroom.pk)] = token.decode()
    response.set_cookie(
        _COOKIE_NAME.format(pk=classroom.pk),
        key.decode(),
        max_age=int(SHEET_LIFETIME.total_seconds()),
        path=classroom.get_absolute_url(),
        secure=settings.SESSION_COOKIE_SECURE or request.is_secure(),
        httponly=True,
        samesite="Strict",
    )


def sheet_forget(request: HttpRequest, response: HttpResponse, classroom: Classroom) -> None:
    """Drop the class's sheet from this browser and the session."""
    request.session.pop(_SESSION_KEY.format(pk=classroom.pk), None)
    response.delete_cookie(
        _COOKIE_NAME.format(pk=classroom.pk), path=classroom.get_absolute_url(), samesite="Strict"
    )
