"""An answer or a like served in front of Django (core.hotwsgi) is answered as Django's whole chain
answers it: the same status, headers and body, the same refusals, nothing written by a refused
call, the same signals; and whatever it does not take is Django's own."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client, override_settings
from django.utils import translation
from django.utils.translation import gettext as _

from deltaunion.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from deltaunion.core.hotwsgi import CHAIN, REPLAY, HotWSGI
from deltaunion.core.testing import without_csrf, wsgi_call
from deltaunion.practice.models import QuizAnswer, QuizAttempt
from deltaunion.practice.tests.factories import build_practice_world, shown_right_index


@pytest.fixture
def pw(world):
    return build_practice_world(world)


@pytest.fixture(autouse=True)
def fresh_answer_cache():
    from deltaunion.practice import selectors

    selectors._answer_attempts.clear()
    yield
    selectors._answer_attempts.clear()


@contextlib.contextmanager
def inside_the_test_transaction():
    """As Django's test client: a request must not close the connection of the test's open
    transaction (close_old_connections would, autocommit being off inside it)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


class Counting:
    """Django's handler, counting the requests that reach it."""

    def __init__(self) -> None:
        self.handler = WSGIHandler()
        self.calls = 0

    def __call__(self, environ: dict, start_response: Any) -> Any:
        self.calls += 1
        return self.handler(environ, start_response)


def call(app: Any, path: str, body: bytes | dict | None, *, token: str | None, method: str = "POST", **extra: str):
    """(status, headers, body) of one JSON call to `app`, with the token as a Bearer header."""
    data = json.dumps(body).encode() if isinstance(body, dict) else (body or b"")
    auth = {} if token is None else {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    return wsgi_call(app, method, path, data, CONTENT_TYPE="application/json", **auth, **extra)


def without_csrf_secret(response: tuple) -> tuple:
    """The response with its CSRF secrets blanked (Django's branded 400 page sets a new random
    one in its cookie and its text)."""
    status, headers, content = response
    headers = [(n, re.sub(r"csrftoken=[^;]+", "csrftoken=", v) if n == "Set-Cookie" else v) for n, v in headers]
    return status, headers, without_csrf(content)


def hot_app(django: Any) -> HotWSGI:
    """As config/wsgi.py builds it, in front of `django`."""
    return HotWSGI(django, authenticate=api_token_authenticate)


def token_for(user) -> str:
    _token, raw = api_token_create(user=user, name="test", by=user)
    return raw


@pytest.fixture
def sitting(pw) -> SimpleNamespace:
    """The first worker's running attempt, started over the API: its token, questions (`ids`),
    the right response to each (`right`) and the URL its answers go to."""
    user = pw.workers[0]
    token = token_for(user)
    r = Client(HTTP_AUTHORIZATION=f"Bearer {token}").post(
        f"/api/practice/quizzes/{pw.quiz.pk}/attempts", data=b"{}", content_type="application/json"
    )
    assert r.status_code == 200, r.content
    attempt = QuizAttempt.objects.get(pk=r.json()["id"])
    ids = [item["id"] for item in r.json()["paper"]]
    return SimpleNamespace(
        user=user,
        token=token,
        attempt=attempt,
        ids=ids,
        right={q: shown_right_index(attempt, q) for q in ids},
        url=f"/api/practice/attempts/{attempt.pk}/answers",
    )


def test_the_settings_are_the_chain_it_answers_for():
    """Change MIDDLEWARE or API_FAST_MIDDLEWARE and this fails: core.hotwsgi stands in for that
    chain on an answer, so it must be read again (then CHAIN updated)."""
    from django.conf import settings

    assert (tuple(settings.MIDDLEWARE), tuple(settings.API_FAST_MIDDLEWARE)) == CHAIN
    assert not REPLAY.startswith("HTTP_")  # a header can never arrive as this environ key


def test_an_answer_in_front_of_django_is_answered_as_django_answers_it(sitting):
    token, attempt, ids, right, url = sitting.token, sitting.attempt, sitting.ids, sitting.right, sitting.url
    django, counting = WSGIHandler(), Counting()
    hot = hot_app(counting)
    started, finished = [], []

    def on_started(**kwargs):
        started.append(kwargs)

    def on_finished(**kwargs):
        finished.append(kwargs)

    signals.request_started.connect(on_started)
    signals.request_finished.connect(on_finished)
    try:
        with inside_the_test_transaction():
            by_django = call(django, url, {"question": ids[0], "response": [right[ids[0]]]}, token=token)
            learning = call(hot, url, {"question": ids[1], "response": [right[ids[1]]]}, token=token)
            assert counting.calls == 1  # the first 200 goes through the chain, to learn its headers
            started.clear(), finished.clear()
            fast = call(hot, url, {"question": ids[2], "response": [right[ids[2]]]}, token=token)
            assert counting.calls == 1  # answered in front of Django
            assert len(started) == 1 and "environ" in started[0] and len(finished) == 1
            retry = call(hot, url, {"question": ids[2], "response": [right[ids[2]]]}, token=token)
            wrong = call(hot, url, {"question": ids[3], "response": [(right[ids[3]] + 1) % 4]}, token=token)
            assert counting.calls == 1
    finally:
        signals.request_started.disconnect(on_started)
        signals.request_finished.disconnect(on_finished)
    for status, headers, content in (learning, fast, retry, wrong):
        assert status == by_django[0] == "200 OK"
        # the same headers in the same order; only the length is this body's own
        assert [(n, v) for n, v in headers if n != "Content-Length"] == [
            (n, v) for n, v in by_django[1] if n != "Content-Length"
        ]
        assert [n for n, _v in headers] == [n for n, _v in by_django[1]]
        assert dict(headers)["Content-Length"] == str(len(content))
    assert json.loads(by_django[2]) == {
        "question": ids[0],
        "correct": True,
        "points": 10,
        "score": 10,
        "answered": 1,
        "total": 5,
        "duplicate": False,
    }
    assert json.loads(fast[2]) == {**json.loads(by_django[2]), "question": ids[2], "score": 30, "answered": 3}
    assert json.loads(retry[2]) == {**json.loads(fast[2]), "duplicate": True}
    assert json.loads(wrong[2]) == {**json.loads(fast[2]), "question": ids[3], "correct": False, "points": 0} | {
        "answered": 4
    }
    attempt.refresh_from_db()
    assert (attempt.score, attempt.answered) == (30, 4)
    assert QuizAnswer.objects.filter(attempt=attempt).count() == 4


def test_every_refusal_is_djangos_own_and_writes_nothing(pw, sitting):
    s = sitting
    user, token, attempt, ids, right, url = s.user, s.token, s.attempt, s.ids, s.right, s.url
    other_token = token_for(pw.workers[1])
    revoked = token_for(user)
    api_token_revoke(token=user.api_tokens.order_by("-pk").first(), by=user)  # the token just made
    django, counting = WSGIHandler(), Counting()
    hot = hot_app(counting)
    answer = {"question": ids[0], "response": [right[ids[0]]]}
    cases = {
        "someone else's attempt": (url, answer, {"token": other_token}, 404),
        "a missing attempt": (f"/api/practice/attempts/{attempt.pk + 1000}/answers", answer, {"token": token}, 404),
        "an id no column holds": (f"/api/practice/attempts/{10**17}/answers", answer, {"token": token}, None),
        "off the paper": (url, {"question": ids[0] + 10_000, "response": [0]}, {"token": token}, 400),
        "a revoked token": (url, answer, {"token": revoked}, 401),
        "a token that is no token": (url, answer, {"token": "du_nonsense"}, 401),
        "no token": (url, answer, {"token": None}, 401),
        "a NUL in the body": (url, {"question": ids[0], "response": ["\x00"]}, {"token": token}, 400),
        "a body that is not JSON": (url, b"{not json", {"token": token}, 400),
        "another shape": (url, {"question": ids[0]}, {"token": token}, 422),
        "a question as text": (url, {"question": "x", "response": [0]}, {"token": token}, 422),
        "a host not served": (url, answer, {"token": token, "HTTP_HOST": "evil.example"}, 400),
        "another method": (url, None, {"token": token, "method": "GET"}, 405),
    }
    with inside_the_test_transaction():
        for name, (path, body, kwargs, expected) in cases.items():
            want = call(django, path, body, **kwargs)
            got = call(hot, path, body, **kwargs)
            assert without_csrf_secret(got) == without_csrf_secret(want), name
            if expected is not None:
                assert got[0].startswith(str(expected)), (name, got)
        assert QuizAnswer.objects.filter(attempt=attempt).count() == 0
        # the same answer with a query string is Django's (nothing is answered in front of it)
        before = counting.calls
        environ_extra = {"QUERY_STRING": "x=1"}
        status, _headers, _content = call(hot, url, answer, token=token, **environ_extra)
        assert status == "200 OK" and counting.calls == before + 1
        # 404 says no more than "not found", in Chinese
        with translation.override("zh-hans"):
            expected = {"detail": _("Not found")}
        assert json.loads(call(hot, url, answer, token=other_token)[2]) == expected


def test_an_attempt_out_of_time_is_refused_and_finished_in_chinese(sitting):
    """The error raised after the attempt was read (time is up: the service finishes it, then
    refuses) is answered by the API's handler through Django's chain, in the platform's language,
    however the thread's language was left by an earlier request."""
    from django.utils import timezone

    token, attempt, ids = sitting.token, sitting.attempt, sitting.ids
    QuizAttempt.objects.filter(pk=attempt.pk).update(deadline=timezone.now() - dt.timedelta(seconds=1))
    hot = hot_app(WSGIHandler())
    translation.activate("en")
    try:
        with inside_the_test_transaction():
            status, headers, content = call(
                hot,
                f"/api/practice/attempts/{attempt.pk}/answers",
                {"question": ids[0], "response": [0]},
                token=token,
            )
    finally:
        translation.deactivate()
    with translation.override("zh-hans"):
        expected = _("Time is up: this attempt has ended")
    assert status.startswith("400") and json.loads(content) == {"detail": [expected]}
    assert expected != "Time is up: this attempt has ended"  # the catalogue has it
    assert dict(headers)["Content-Language"] == "zh-hans"
    attempt.refresh_from_db()
    assert attempt.finished_at == attempt.deadline and not QuizAnswer.objects.filter(attempt=attempt).exists()


def test_https_behind_a_proxy_gets_the_chains_https_headers(sitting):
    token, ids, right, url = sitting.token, sitting.ids, sitting.right, sitting.url
    https = {"HTTP_X_FORWARDED_PROTO": "https"}
    proxied = override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_HSTS_SECONDS=3600)
    with proxied, inside_the_test_transaction():
        django, counting = WSGIHandler(), Counting()
        hot = hot_app(counting)
        want = call(django, url, {"question": ids[0], "response": [right[ids[0]]]}, token=token, **https)
        call(hot, url, {"question": ids[1], "response": [right[ids[1]]]}, token=token, **https)
        plain = call(hot, url, {"question": ids[2], "response": [right[ids[2]]]}, token=token)
        got = call(hot, url, {"question": ids[3], "response": [right[ids[3]]]}, token=token, **https)
    assert counting.calls == 2  # the first answer of each scheme learns that scheme's headers
    assert "Strict-Transport-Security" in dict(want[1])
    assert [n for n, _v in got[1]] == [n for n, _v in want[1]]
    assert dict(got[1])["Strict-Transport-Security"] == dict(want[1])["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in dict(plain[1])


def test_a_required_https_redirect_and_a_changed_chain_are_left_to_django(sitting):
    token, attempt, ids, right, url = sitting.token, sitting.attempt, sitting.ids, sitting.right, sitting.url
    answer = {"question": ids[0], "response": [right[ids[0]]]}
    with override_settings(SECURE_SSL_REDIRECT=True), inside_the_test_transaction():
        counting = Counting()
        status, headers, _content = call(hot_app(counting), url, answer, token=token)
        assert status.startswith("301") and counting.calls == 1
    assert not QuizAnswer.objects.filter(attempt=attempt).exists()
    from django.conf import settings

    chain = [m for m in settings.MIDDLEWARE if m != "axes.middleware.AxesMiddleware"]
    with override_settings(MIDDLEWARE=chain), inside_the_test_transaction():
        counting = Counting()
        hot = hot_app(counting)
        for question in ids[:3]:
            answer = {"question": question, "response": [right[question]]}
            assert call(hot, url, answer, token=token)[0] == "200 OK"
        assert counting.calls == 3  # a chain it was not written for: every answer is Django's


def test_a_like_in_front_of_django_is_answered_as_django_answers_it(world):
    from deltaunion.community import services
    from deltaunion.community.models import ContentStatus, Post, PostLike
    from deltaunion.community.tests.factories import readers

    author, reader, third = readers(world, 3)
    post = services.post_create(by=author, kind="skill", title="热门", body="正文")
    hidden = services.post_create(by=author, kind="skill", title="将被隐藏", body="正文")
    Post.objects.filter(pk=hidden.pk).update(status=ContentStatus.HIDDEN)
    url = f"/api/community/posts/{post.pk}/like"
    token = token_for(reader)
    django, counting = WSGIHandler(), Counting()
    hot = hot_app(counting)
    with inside_the_test_transaction():
        first = call(hot, url, None, token=token)  # the chain's, to learn its headers
        again = call(hot, url, None, token=token)
        assert counting.calls == 1  # answered in front of Django
        assert again == call(django, url, None, token=token)
        assert json.loads(first[2]) == {"liked": True, "changed": True}
        assert json.loads(again[2]) == {"liked": True, "changed": False}
        # the like reads no body (ninja ignores one), but a NUL in it is refused, as everywhere
        for body in (b"{not json", {"any": "thing"}, {"x": "\x00"}):
            assert call(hot, url, body, token=token) == call(django, url, body, token=token), body
        assert call(hot, url, {"x": "\x00"}, token=token)[0].startswith("400")
        # refusals: someone's hidden post, a missing post, no token (the same 404s and 401)
        for path, kwargs in (
            (f"/api/community/posts/{hidden.pk}/like", {"token": token}),
            (f"/api/community/posts/{post.pk + 1000}/like", {"token": token}),
            (url, {"token": None}),
        ):
            got, want = call(hot, path, None, **kwargs), call(django, path, None, **kwargs)
            assert got == want and got[0][:3] in ("404", "401"), path
        before = counting.calls
        assert json.loads(call(hot, url, None, token=token_for(third))[2]) == {"liked": True, "changed": True}
        assert counting.calls == before
    assert PostLike.objects.filter(post=post).count() == 2 and not PostLike.objects.filter(post=hidden).exists()
