"""The session user read with SQL compiled once (core.middleware.AuthenticationMiddleware) is
the user Django's own `get_user` gives: the same row, refused when inactive or deleted, and the
session ended when the password changed."""

from __future__ import annotations

import pytest
from django.contrib import auth
from django.test import RequestFactory

from deltaunion.core import middleware

pytestmark = pytest.mark.django_db


def _request(client):
    request = RequestFactory().get("/")
    request.session = client.session
    return request


def test_the_session_user_is_djangos(client, users, monkeypatch):
    client.force_login(users.worker)
    assert client.session[auth.BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    read = []
    real = middleware._user_row
    monkeypatch.setattr(middleware, "_user_row", lambda pk: read.append(pk) or real(pk))
    ours, theirs = middleware._get_user(_request(client)), auth.get_user(_request(client))
    assert ours.pk == theirs.pk == users.worker.pk
    for field in type(ours)._meta.concrete_fields:
        assert getattr(ours, field.attname) == getattr(theirs, field.attname), field.name
    assert ours._state.adding is False and ours._state.db == "default"
    assert read == [users.worker.pk]  # the compiled SQL, not Django's path


def test_an_inactive_or_deleted_user_is_signed_out(client, users):
    client.force_login(users.worker)
    assert client.get("/me/").status_code == 200
    users.worker.is_active = False
    users.worker.save()
    assert client.get("/me/").status_code == 302  # to the sign-in page
    assert not middleware._get_user(_request(client)).is_authenticated
    client.force_login(users.nobody)
    users.nobody.delete()
    assert not middleware._get_user(_request(client)).is_authenticated


def test_a_password_changed_elsewhere_ends_the_session(client, users):
    client.force_login(users.worker)
    assert client.get("/me/").status_code == 200
    users.worker.set_password("another-long-password-123")
    users.worker.save()
    assert client.get("/me/").status_code == 302
    assert auth.SESSION_KEY not in client.session  # flushed, as Django's get_user does
