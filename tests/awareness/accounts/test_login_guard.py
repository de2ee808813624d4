"""Password guesses: a stranger cannot lock a pupil out, and confirmations count like logins."""

import pytest
from axes.models import AccessAttempt

from awareness.accounts import login_guard
from tests.factories import PASSWORD, make_student

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True


def _login(client, username: str, password: str, client_address: str):
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"203.0.113.99, {client_address}",
    )


def test_behind_a_proxy_a_strangers_wrong_passwords_do_not_lock_the_pupil_out(
    behind_proxy, client, settings
):
    make_student("otter-4821")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "otter-4821", "guess", "198.51.100.7")
    # The stranger's address is locked ...
    assert _login(client, "otter-4821", PASSWORD, "198.51.100.7").status_code == 429
    # ... the pupil at school is not: every request came through the same proxy address.
    response = _login(client, "otter-4821", PASSWORD, "192.0.2.10")
    assert response.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}


def test_without_a_proxy_forwarded_addresses_are_ignored(client, settings):
    settings.BEHIND_PROXY = False
    make_student("otter-4821")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "otter-4821", "guess", f"198.51.100.{n}")
    assert _login(client, "otter-4821", PASSWORD, "192.0.2.10").status_code == 429


def test_guesses_spread_over_many_addresses_meet_a_growing_delay_not_a_lock(
    behind_proxy, client, monkeypatch
):
    make_student("otter-4821")
    now = [1_000_000.0]
    monkeypatch.setattr(login_guard, "_now", lambda: now[0])
    for n in range(login_guard.USERNAME_FREE_FAILURES):
        assert _login(client, "otter-4821", "guess", f"198.51.100.{n}").status_code == 200
    # The next try, from yet another address, must wait 2 s after the last failure ...
    response = _login(client, "otter-4821", PASSWORD, "192.0.2.10")
    assert response.status_code == 429 and response["Retry-After"] == "2"
    now[0] += 2
    assert _login(client, "otter-4821", "guess", "198.51.100.50").status_code == 200
    assert login_guard.username_wait("otter-4821") == 4  # the delay doubles ...
    now[0] += 10_000
    assert login_guard.username_wait("OTTER-4821") == 0  # ... and is never a lock
    assert _login(client, "otter-4821", PASSWORD, "192.0.2.10").status_code == 302
    assert login_guard.username_wait("otter-4821") == 0  # a success forgets the failures


def test_the_delay_is_capped():
    for _ in range(login_guard.USERNAME_FREE_FAILURES + 30):
        login_guard.username_failed("someone")
    assert 0 < login_guard.username_wait("someone") <= login_guard.USERNAME_MAX_WAIT


def _change(client, old: str):
    return client.post(
        "/accounts/password/",
        {
            "old_password": old,
            "new_password1": "a-new-pass-phrase-77",
            "new_password2": "a-new-pass-phrase-77",
        },
    )


def test_wrong_old_passwords_on_password_change_are_counted_like_logins(client, settings):
    user = make_student()
    client.force_login(user)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert "That is not your password" in _change(client, "guess").content.decode()
    assert _change(client, "guess").status_code == 429  # the limit: locked like a login
    # Now even the right password is refused, here and at the login form.
    response = _change(client, PASSWORD)
    assert response.status_code == 200 and "Too many wrong passwords" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    client.logout()
    login = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert login.status_code == 429


def test_wrong_passwords_on_account_deletion_are_counted_like_logins(client, settings):
    user = make_student()
    client.force_login(user)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/account/delete/", {"password": "guess", "confirm": "on"})
    response = client.post("/account/delete/", {"password": PASSWORD, "confirm": "on"})
    assert "Too many wrong passwords" in response.content.decode()
    assert type(user).objects.filter(pk=user.pk).exists()


def test_signup_cannot_be_used_to_list_taken_usernames(client):
    from awareness.accounts.views import SIGNUP_REFUSED_NAMES_PER_ADDRESS

    make_student("otter-4821")
    data = {"password1": "a-new-pass-phrase-77", "password2": "a-new-pass-phrase-77"}
    for _ in range(SIGNUP_REFUSED_NAMES_PER_ADDRESS):
        response = client.post("/accounts/signup/", {"username": "otter-4821", **data})
        assert response.status_code == 200
    response = client.post("/accounts/signup/", {"username": "wolf-1234", **data})
    assert response.status_code == 429
    # Another address signs up as usual.
    other = client.post(
        "/accounts/signup/", {"username": "wolf-1234", **data}, REMOTE_ADDR="192.0.2.77"
    )
    assert other.status_code == 302
