"""Password login and the django-axes lockout."""

from __future__ import annotations

from django.conf import settings

from deltaunion.accounts.tests.factories import PASSWORD

LOGIN = "/accounts/login/"


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_password_login_works(client, users):
    response = client.post(LOGIN, {"username": "hz_officer", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _logged_in(client)
    assert int(client.session["_auth_user_id"]) == users.hz_officer.pk
    # And the pages now know who it is.
    assert client.get("/people/").status_code == 200


def test_login_follows_next(client, users):
    response = client.post(
        LOGIN + "?next=/people/", {"username": "hz_officer", "password": PASSWORD, "next": "/people/"}
    )
    assert response["Location"] == "/people/"


def test_wrong_password_is_refused(client, users):
    response = client.post(LOGIN, {"username": "hz_officer", "password": "wrong"})
    assert response.status_code == 200
    assert not _logged_in(client)
    assert "alert-danger" in response.content.decode()


def test_lockout_after_the_failure_limit(client, users):
    limit = settings.AXES_FAILURE_LIMIT
    assert limit == 5
    for _ in range(limit - 1):
        response = client.post(LOGIN, {"username": "hz_officer", "password": "wrong"})
        assert response.status_code == 200
    # The limit-th failure locks the account.
    locked = client.post(LOGIN, {"username": "hz_officer", "password": "wrong"})
    assert locked.status_code in (403, 429)

    # The next attempt, with the *correct* password, is still refused and shows the lockout page.
    response = client.post(LOGIN, {"username": "hz_officer", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert not _logged_in(client)
    html = response.content.decode()
    assert "账号已被暂时锁定" in html
    assert 'name="password"' not in html

    # Another account behind the same address is not affected (the lock is per user name).
    other = client.post(LOGIN, {"username": "sz_officer", "password": PASSWORD})
    assert other.status_code == 302


def test_successful_login_resets_the_failure_count(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"username": "hz_officer", "password": "wrong"})
    assert client.post(LOGIN, {"username": "hz_officer", "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(LOGIN, {"username": "hz_officer", "password": "wrong"})
    assert client.post(LOGIN, {"username": "hz_officer", "password": PASSWORD}).status_code == 302


def test_logout(client, users):
    client.force_login(users.hz_officer)
    assert client.post("/accounts/logout/").status_code == 302
    assert not _logged_in(client)


def test_a_stolen_session_cookie_is_dead_after_logout(client, users):
    """Logging out ends the session for every holder of its cookie, whichever process serves
    them (sessions may be read from the shared cache: the cache copy goes with the row)."""
    from django.test import Client

    client.post(LOGIN, {"username": "hz_officer", "password": PASSWORD})
    other = Client()
    other.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert other.get("/people/").status_code == 200  # the copied cookie works while the session lives
    assert client.post("/accounts/logout/").status_code == 302
    response = other.get("/people/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
