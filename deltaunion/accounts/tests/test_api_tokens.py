"""API tokens: created once, stored as a digest, accepted as `Authorization: Bearer`, revocable."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from deltaunion.accounts.models import ApiToken
from deltaunion.accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from deltaunion.core.models import AuditEntry
from deltaunion.workplans.models import KeyTask
from deltaunion.workplans.tests.factories import KeyTaskFactory


def _bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def hz_token(users):
    token, raw = api_token_create(user=users.hz_officer, name="对接系统", by=users.hz_officer)
    return token, raw


def test_bearer_token_authenticates(client, world, hz_token):
    token, raw = hz_token
    response = client.get("/api/people/workers", **_bearer(raw))
    assert response.status_code == 200
    assert {w["name"] for w in response.json()["items"]} == {"王建国", "李秀英", "陈小明"}
    me = client.get("/api/me", **_bearer(raw)).json()
    assert me["username"] == "hz_officer"
    assert me["roles"] == [{"role": "officer", "organisation_path": world.hz.path}]
    token.refresh_from_db()
    assert token.last_used_at is not None
    # A token call does not log the client in.
    assert client.get("/api/people/workers").status_code == 401


def test_only_a_digest_is_stored(users, hz_token):
    token, raw = hz_token
    assert raw.startswith("du_") and len(raw) > 40
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    for column, value in row.items():
        assert raw not in str(value), column
    assert len(row["digest"]) == 64
    assert raw.startswith(row["prefix"]) and len(row["prefix"]) < len(raw) // 2
    # Nor anywhere in the audit log, nor in any text column of the table (raw SQL, no ORM in between).
    for entry in AuditEntry.objects.all():
        assert raw not in json.dumps([entry.before, entry.after, entry.note, entry.object_repr], ensure_ascii=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        assert all(raw not in str(v) for r in cursor.fetchall() for v in r)


@pytest.mark.parametrize("header", ["Bearer du_not-a-real-token", "Bearer nonsense", "Bearer ", "bearer du_"])
def test_wrong_token_is_401(client, world, hz_token, header):
    response = client.get("/api/people/workers", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_wrong_token_is_refused_even_on_public_endpoints(client, tree):
    # A caller who sends a bad token should learn so, not silently get anonymous data.
    assert client.get("/api/orgs", HTTP_AUTHORIZATION="Bearer du_wrong").status_code == 401
    assert client.get("/api/orgs").status_code == 200


def test_revoked_token_is_401(client, world, hz_token):
    token, raw = hz_token
    assert client.get("/api/people/workers", **_bearer(raw)).status_code == 200
    api_token_revoke(token=token, by=world.hz_officer)
    assert client.get("/api/people/workers", **_bearer(raw)).status_code == 401
    assert api_token_authenticate(raw) is None
    assert AuditEntry.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_token_of_a_deactivated_user_is_401(client, world, hz_token):
    _token, raw = hz_token
    world.hz_officer.is_active = False
    world.hz_officer.save()
    assert client.get("/api/people/workers", **_bearer(raw)).status_code == 401


def test_token_sets_task_status_for_the_lead_and_403s_for_others(client, world, hz_token):
    _token, raw = hz_token
    task = KeyTaskFactory(lead_org=world.hz, title="杭州牵头的竞赛")
    url = f"/api/workplans/tasks/{task.pk}/status"

    response = client.post(
        url, {"status": "in_progress", "note": "接口"}, content_type="application/json", **_bearer(raw)
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "in_progress"
    assert KeyTask.objects.get(pk=task.pk).status == "in_progress"

    _t, sz_raw = api_token_create(user=world.sz_officer, name="苏州", by=world.sz_officer)
    response = client.post(url, {"status": "done"}, content_type="application/json", **_bearer(sz_raw))
    # The task is public: Suzhou may see it but not change it (403 with the reason).
    assert response.status_code == 403
    assert "牵头单位" in response.json()["detail"][0]
    assert KeyTask.objects.get(pk=task.pk).status == "in_progress"

    assert client.post(url, {"status": "done"}, content_type="application/json").status_code == 401
    bad = client.post(url, {"status": "nope"}, content_type="application/json", **_bearer(raw))
    assert bad.status_code == 400
    assert KeyTask.objects.get(pk=task.pk).status == "in_progress"
    missing = client.post(
        f"/api/workplans/tasks/{task.pk + 1000}/status",
        {"status": "done"},
        content_type="application/json",
        **_bearer(raw),
    )
    assert missing.status_code == 404


def test_token_page_shows_the_raw_token_once(client, users):
    client.force_login(users.hz_officer)
    response = client.post("/accounts/tokens/", {"name": "页面令牌"})
    html = response.content.decode()
    token = ApiToken.objects.get(name="页面令牌")
    assert 'data-testid="new-token"' in html
    start = html.index('data-testid="new-token">') + len('data-testid="new-token">')
    raw = html[start : html.index("<", start)]
    assert api_token_authenticate(raw) == users.hz_officer
    assert raw not in client.get("/accounts/tokens/").content.decode()
    # Someone else cannot revoke it.
    client.force_login(users.sz_officer)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    client.force_login(users.hz_officer)
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert api_token_authenticate(raw) is None


@pytest.mark.parametrize("who", ["worker", "nobody", "zj_judge"])
def test_token_page_refuses_those_who_hold_no_office(client, users, who):
    client.force_login(getattr(users, who))
    for response in (client.get("/accounts/tokens/"), client.post("/accounts/tokens/", {"name": "偷偷建的"})):
        assert response.status_code == 403
        html = response.content.decode()
        assert 'data-testid="error-403"' in html
        assert "API 令牌供对接其他系统的工会干部使用" in html
    assert not ApiToken.objects.filter(name="偷偷建的").exists()
    # Nor is it in their menu.
    page = client.get("/orgs/").content.decode()
    assert "/accounts/tokens/" not in page and "API 令牌" not in page


def test_token_page_is_in_an_officers_menu(client, users):
    client.force_login(users.hz_officer)
    page = client.get("/orgs/").content.decode()
    assert "/accounts/tokens/" in page and "API 令牌" in page


def test_tokens_are_created_by_their_owner(users, english):
    from deltaunion.core.permissions import Forbidden

    with pytest.raises(Forbidden) as exc:
        api_token_create(user=users.sz_officer, name="代建", by=users.hz_officer)
    assert str(exc.value) == "An API token is created by the person it belongs to"
    token, _raw = api_token_create(user=users.sz_officer, name="管理员代建", by=users.superuser)
    assert token.user == users.sz_officer
    assert ApiToken.objects.filter(user=users.sz_officer).count() == 1


def test_token_name_is_checked_not_cut(users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        api_token_create(user=users.hz_officer, name="名" * 81, by=users.hz_officer)
    assert not ApiToken.objects.exists()
    token, _raw = api_token_create(user=users.hz_officer, name="  ", by=users.hz_officer)
    assert token.name == "api"


def test_only_the_owner_revokes_a_token(users, hz_token, english):
    from deltaunion.core.audit import describe, history_for
    from deltaunion.core.permissions import Forbidden

    token, raw = hz_token
    with pytest.raises(Forbidden):
        api_token_revoke(token=token, by=users.sz_officer)
    assert api_token_authenticate(raw) == users.hz_officer
    api_token_revoke(token=token, by=users.hz_officer)
    api_token_revoke(token=token, by=users.hz_officer)  # again: nothing more happens
    assert [e.action for e in history_for(token)] == ["api_token.revoke", "api_token.create"]
    [revoked, _created] = describe(history_for(token))
    assert revoked.action == "revoked an API token"
    assert [(c.field, c.before) for c in revoked.changes] == [("Revoked at", "—")]


# --- the authentication cache ------------------------------------------------------------------


def _queries(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return result, len(ctx.captured_queries)


def test_a_known_token_is_authenticated_without_a_query(world, hz_token):
    _token, raw = hz_token
    first, n_first = _queries(lambda: api_token_authenticate(raw))
    again, n_again = _queries(lambda: api_token_authenticate(raw))
    assert first.pk == again.pk == world.hz_officer.pk
    assert n_first >= 1 and n_again == 0
    # The user is complete but for the password hash, which is never cached: read on demand.
    assert again.username == "hz_officer" and again.is_active and not again.is_superuser
    assert "password" in again.get_deferred_fields()
    (_pw, n_pw) = _queries(lambda: again.password)
    assert n_pw == 1


def test_a_cached_user_saves_only_what_was_loaded(world, hz_token):
    _token, raw = hz_token
    api_token_authenticate(raw)
    user = api_token_authenticate(raw)
    user.full_name = "改名"
    user.save()
    stored = type(user).objects.get(pk=user.pk)
    assert stored.full_name == "改名" and stored.password == world.hz_officer.password


def test_revocation_is_immediate_although_the_token_is_cached(client, world, hz_token):
    token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    assert _queries(lambda: api_token_authenticate(raw))[1] == 0  # cached
    api_token_revoke(token=token, by=world.hz_officer)
    assert client.get("/api/me", **_bearer(raw)).status_code == 401


def test_revocation_after_the_commit_drops_an_entry_cached_meanwhile(
    world, hz_token, django_capture_on_commit_callbacks
):
    token, raw = hz_token
    with django_capture_on_commit_callbacks(execute=True):
        api_token_revoke(token=token, by=world.hz_officer)
        # A request that read the row before the commit caches it again …
        from django.core.cache import cache

        from deltaunion.accounts import services

        cache.set(services._cache_key(token.digest), ("stale",), 60)
    # … and the commit drops it.
    assert api_token_authenticate(raw) is None


def test_a_stale_entry_lives_at_most_the_cache_lifetime(client, world, hz_token, monkeypatch):
    """Where the cache is not shared (a worker's own memory), a revocation made through another
    worker reaches this one when the entry expires: TOKEN_CACHE_SECONDS at the latest."""
    import time

    from deltaunion.accounts import services

    assert services.TOKEN_CACHE_SECONDS == (60 if services._shared_cache() else 5)
    # the same rule, shorter waits: the shared entry 1 s, this process's own copy 0.5 s
    monkeypatch.setattr(services, "TOKEN_CACHE_SECONDS", 1)
    monkeypatch.setattr(services, "TOKEN_LOCAL_SECONDS", 0.5)
    token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    # Revoked behind this worker's back (a bulk update: no service, no invalidation here).
    ApiToken.objects.filter(pk=token.pk).update(revoked_at="2026-01-01T00:00:00Z")
    assert client.get("/api/me", **_bearer(raw)).status_code == 200  # still cached
    time.sleep(1.1)
    assert client.get("/api/me", **_bearer(raw)).status_code == 401


def test_a_revocation_in_another_process_reaches_this_one_within_seconds(client, world, hz_token, monkeypatch):
    """In front of a shared cache each process keeps what it read for TOKEN_LOCAL_SECONDS (2 s):
    another process's revocation empties the shared cache, and this process refuses the token
    once its own copy expires. The revoking process itself refuses it at once (test above)."""
    import time

    from django.core.cache import cache

    from deltaunion.accounts import services

    # 30 s where revocations are announced to every process (Redis, the test below), else 2 s
    assert services.TOKEN_LOCAL_SECONDS == (30.0 if services._notices_available() else 2.0)
    monkeypatch.setattr(services, "_shared_cache", lambda: True)  # the Redis deployment's rule
    monkeypatch.setattr(services, "TOKEN_LOCAL_SECONDS", 0.5)  # the same rule, a shorter wait
    token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    assert _queries(lambda: api_token_authenticate(raw))[1] == 0
    # Another process revokes: the row and the shared cache, not this process's memory.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    cache.delete(services._cache_key(token.digest))
    assert client.get("/api/me", **_bearer(raw)).status_code == 200  # this process's copy
    time.sleep(0.6)
    assert client.get("/api/me", **_bearer(raw)).status_code == 401


needs_redis_cache = pytest.mark.skipif(
    "django_redis" not in settings.CACHES["default"]["BACKEND"],
    reason="revocation notices need the Redis cache (runs in CI's Redis pass)",
)


@needs_redis_cache
def test_a_revocation_in_another_process_reaches_this_one_within_the_check(client, world, hz_token, monkeypatch):
    """A process keeps a token's user 30 s, but reads the revocation notices every second: a
    revocation made in another process (the row, the shared entry, the notice) is refused here
    at the next check, long before the copy would expire."""
    import time

    from deltaunion.accounts import services

    monkeypatch.setattr(services, "REVOCATION_CHECK_SECONDS", 0.3)  # the same rule, a shorter wait
    token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    copy = services._local[token.digest]
    # Another process revokes: the row, the shared entry and the notice; this process's memory
    # still holds its copy.
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
    services._notices.next_check = time.monotonic() + 0.3
    services.forget_tokens([token.digest])
    services._local[token.digest] = copy
    assert client.get("/api/me", **_bearer(raw)).status_code == 200  # before the check: the copy
    time.sleep(0.35)
    assert client.get("/api/me", **_bearer(raw)).status_code == 401
    assert token.digest not in services._local


@needs_redis_cache
def test_a_process_that_cannot_read_the_notices_trusts_no_copy(client, world, hz_token, monkeypatch):
    from deltaunion.accounts import services

    token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    assert token.digest in services._local

    class Down:
        def xrange(self, *a, **kw):
            raise ConnectionError("Redis away")

        xrevrange = xrange

    monkeypatch.setattr(services, "_notices_client", lambda: Down())
    services._notices.next_check = 0.0
    services._heed_revocations(1e12)
    assert services._local == {} and services._notices.seen is None


@needs_redis_cache
def test_the_shared_entry_is_read_on_the_threads_own_connection_as_the_cache_reads_it(world, hz_token):
    """A token's shared entry is read with one GET on the thread's own Redis connection and
    decoded as the cache decodes it; a connection the server closed is answered the cache's way."""
    from django.core.cache import cache
    from django_redis import get_redis_connection

    from deltaunion.accounts import services
    from deltaunion.core import redis_held

    token, raw = hz_token
    api_token_authenticate(raw)
    key = services._cache_key(token.digest)
    assert services._shared_get(key) == cache.get(key) is not None
    assert services._shared_get(services._cache_key("0" * 64)) is None
    held = redis_held._held.conn
    held.send_command("CLIENT", "ID")
    get_redis_connection("default").client_kill_filter(_id=held.read_response())
    assert services._shared_get(key) == cache.get(key)
    assert services._shared_get(key) == cache.get(key)


def test_revoking_in_this_process_drops_its_own_copy_at_once(client, world, hz_token, monkeypatch):
    from deltaunion.accounts import services

    monkeypatch.setattr(services, "_shared_cache", lambda: True)
    token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    assert services._local.get(token.digest) is not None
    api_token_revoke(token=token, by=world.hz_officer)
    assert services._local.get(token.digest) is None
    assert client.get("/api/me", **_bearer(raw)).status_code == 401


def test_deactivating_the_user_drops_the_cached_token(client, world, hz_token):
    _token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    world.hz_officer.is_active = False
    world.hz_officer.save()
    assert client.get("/api/me", **_bearer(raw)).status_code == 401


def test_deleting_the_token_drops_it(client, world, hz_token):
    token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    token.delete()
    assert client.get("/api/me", **_bearer(raw)).status_code == 401


def test_a_token_revoked_by_saving_it_is_dropped(client, world, hz_token):
    """The admin's path: the token's revoked_at set and saved, no service involved."""
    token, raw = hz_token
    assert client.get("/api/me", **_bearer(raw)).status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/me", **_bearer(raw)).status_code == 401


def test_the_cache_lifetime_is_short_where_the_cache_is_not_shared(settings):
    """5 s in a worker's own memory (SQLite pass), 60 s where every worker shares Redis (CI's Redis pass)."""
    from deltaunion.accounts import services

    shared = "locmem" not in settings.CACHES["default"]["BACKEND"].lower()
    assert services._shared_cache() is shared
    assert services.TOKEN_CACHE_SECONDS == (60 if shared else 5)


def test_a_warmed_token_is_read_from_the_cache_as_an_authentication_left_it(client, world, hz_token):
    """api_tokens_warm (benchmarks' active users) writes the entry an authentication writes:
    the same user without a query, no entry for a revoked token, and revoking after warming
    still refuses at once."""
    from django.core.cache import cache

    from deltaunion.accounts import services

    token, raw = hz_token
    api_token_authenticate(raw)
    written = cache.get(services._cache_key(token.digest))
    services.forget_tokens([token.digest])
    assert services.api_tokens_warm([token.digest, "0" * 64]) == 1
    assert cache.get(services._cache_key(token.digest)) == written
    services._local.clear()
    user, n = _queries(lambda: api_token_authenticate(raw))
    assert user.pk == world.hz_officer.pk and n == 0
    api_token_revoke(token=token, by=world.hz_officer)
    assert client.get("/api/me", **_bearer(raw)).status_code == 401
    assert services.api_tokens_warm([token.digest]) == 0
    assert client.get("/api/me", **_bearer(raw)).status_code == 401
