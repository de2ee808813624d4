"""Throttling password guesses: at the login form and wherever a signed-in user must type
their password again (changing it, deleting the account).

Two dimensions, so that a stranger cannot lock a pupil out:

- per username *and* client address, django-axes locks the pair after ``AXES_FAILURE_LIMIT``
  failures (the address comes from ``awareness.throttle.client_ip``: the client's own, never
  the proxy's). A guesser is locked; the pupil on another address is not.
- per username alone (a guesser spreading over many addresses), a growing delay instead of a
  lock: after ``USERNAME_FREE_FAILURES`` failures from anywhere, each further try must wait
  2, 4, 8 … seconds after the last failure, at most ``USERNAME_MAX_WAIT``. Guessing slows to a
  few hundred tries a day while the pupil waits a few minutes at worst.

Failures are counted through Django's ``user_login_failed`` signal (which axes also listens
to), so the confirmations are counted exactly like logins.
"""

import hashlib
from time import time as _now

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.core.cache import cache
from django.http import HttpRequest

USERNAME_FREE_FAILURES = 10
USERNAME_MAX_WAIT = 300
USERNAME_MEMORY = 3600  # failures are forgotten an hour after the last one


def _key(username: str) -> str:
    digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    return f"login-guard:{digest}"


def username_wait(username: str) -> int:
    """Seconds anyone must still wait before trying a password for ``username``."""
    state = cache.get(_key(username))
    if not state or state["failures"] < USERNAME_FREE_FAILURES:
        return 0
    delay = min(2 ** (state["failures"] - USERNAME_FREE_FAILURES + 1), USERNAME_MAX_WAIT)
    return max(0, int(state["last"] + delay - _now() + 0.999))


def username_failed(username: str) -> None:
    """Count one wrong password for ``username``, from any address."""
    key = _key(username)
    state = cache.get(key) or {"failures": 0, "last": 0.0}
    state = {"failures": state["failures"] + 1, "last": _now()}
    cache.set(key, state, USERNAME_MEMORY)


def username_succeeded(username: str) -> None:
    cache.delete(_key(username))


def on_login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    username = (credentials or {}).get("username")
    if username:
        username_failed(str(username))


def on_logged_in(sender, request, user, **kwargs) -> None:
    username_succeeded(user.get_username())


def password_confirm_blocked(request: HttpRequest, username: str) -> bool:
    """True when a signed-in user may not try their password now (locked or must wait)."""
    credentials = {"username": username}
    return AxesProxyHandler.is_locked(request, credentials) or username_wait(username) > 0


def password_confirm_failed(request: HttpRequest, username: str) -> None:
    """A wrong password typed to confirm an action: counted like a failed login."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
