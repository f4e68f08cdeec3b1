"""The live board holds an audience: one computation per interval whatever the number of polls,
a new one when a mark or the stage changes, and 304 for a poll whose copy is current."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache
from django.urls import reverse

from deltaunion.contests import selectors, services
from deltaunion.contests.models import Contest
from deltaunion.core import snapshots

from .factories import build_world, mark_everything, register_and_draw, sign_off_all

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def computations(monkeypatch):
    """How many times the board was computed (the real computation, counted)."""
    calls = []
    real = selectors.stage_board

    def counted(stage):
        calls.append(stage.pk)
        return real(stage)

    monkeypatch.setattr(selectors, "stage_board", counted)
    return calls


def _world(n=3):
    w = build_world()
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    w.contest.refresh_from_db()
    register_and_draw(w, n)
    return w


def test_many_polls_one_computation_and_304_for_unchanged_copies(client, computations):
    w = _world()
    url = reverse("contests:board_partial", args=[w.stage.pk])
    first = client.get(url, {"v": "phone"})
    assert first.status_code == 200 and first["ETag"]
    etag = first["ETag"]
    for _ in range(50):
        again = client.get(url, {"v": "phone"}, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again["ETag"] == etag and again.content == b""
    assert client.get(url, {"v": "phone"}).status_code == 200  # no copy: the page again
    assert computations == [w.stage.pk]
    # The big screen's variant is another page (another ETag) from the same snapshot.
    big = client.get(url, {"v": "big"})
    assert big.status_code == 200 and big["ETag"] != etag
    assert computations == [w.stage.pk]


def test_a_new_mark_changes_the_etag(client, computations, monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_MIN_AGE", 0.5)  # the same rule, a shorter wait
    w = _world()
    url = reverse("contests:board_partial", args=[w.stage.pk])
    before = client.get(url)
    assert before.status_code == 200
    number = sorted(w.stage.secret_numbers.values_list("number", flat=True))[0]
    services.mark_enter(aspect=w.aspects[0], number=number, value=20, by=w.judges[0])
    # Within BOARD_MIN_AGE a burst of marks shares one computation …
    assert client.get(url, HTTP_IF_NONE_MATCH=before["ETag"]).status_code == 304
    time.sleep(selectors.BOARD_MIN_AGE + 0.05)
    # … after it the new mark shows.
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200 and after["ETag"] != before["ETag"]
    assert len(computations) == 2
    _etag, board = selectors.stage_board_snapshot(w.stage, lambda s: selectors.stage_board(s))
    assert board["progress"]["marks_entered"] == 1


def test_reveal_and_freeze_show_at_once(client):
    w = _world()
    mark_everything(w)
    names = [r.worker.name for r in w.registrations]
    url = reverse("contests:board_partial", args=[w.stage.pk])
    assert not any(n in client.get(url).content.decode() for n in names)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    assert all(n in client.get(url).content.decode() for n in names)
    services.board_freeze(stage=w.stage, frozen=True, by=w.officer)
    assert not any(n in client.get(url).content.decode() for n in names)


def test_the_board_is_computed_again_after_the_interval(client, computations, monkeypatch):
    w = _world()
    monkeypatch.setattr(selectors, "BOARD_INTERVAL", 0.2)
    url = reverse("contests:board_partial", args=[w.stage.pk])
    client.get(url)
    client.get(url)
    time.sleep(0.25)
    client.get(url)
    assert len(computations) == 2


def test_a_hidden_stage_is_404_before_any_snapshot(client, computations):
    w = build_world()  # a draft contest: not public
    response = client.get(reverse("contests:board_partial", args=[w.stage.pk]))
    assert response.status_code == 404 and computations == []


def test_single_flight_concurrent_readers_share_one_computation():
    """Readers that arrive while the first snapshot is computed wait for it instead of computing."""
    calls = []
    gate = threading.Event()

    def slow():
        calls.append(1)
        gate.wait(2)
        return {"n": len(calls)}

    results = []

    def reader():
        results.append(snapshots.snapshot("test-single-flight", slow, interval=60))

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert len({etag for etag, _v in results}) == 1 and all(v == {"n": 1} for _e, v in results)
    # A stale snapshot is served to the others while one reader refreshes it.
    snapshots.changed("test-single-flight", at_once=True)
    cache.add("snapshot-lock:test-single-flight", 1, 30)  # a refresh under way elsewhere
    etag, value = snapshots.snapshot("test-single-flight", slow, interval=60)
    assert value == {"n": 1} and len(calls) == 1


def test_anonymous_viewers_share_the_visibility_check_until_the_contest_changes(client, django_assert_max_num_queries):
    w = _world()
    url = reverse("contests:board_partial", args=[w.stage.pk])
    assert client.get(url).status_code == 200
    with django_assert_max_num_queries(0):  # stage, permission and board from the cache
        assert client.get(url).status_code == 200
    # The contest withdrawn from the public: its board is gone at once, not after the interval.
    # (Under way, the contest has no transition back to draft: the save is made here.)
    w.contest.refresh_from_db()
    w.contest.status = Contest.Status.DRAFT
    w.contest.save(update_fields=["status"])
    assert client.get(url).status_code == 404
    # A signed-in user is checked on every request.
    client.force_login(w.officer)
    assert client.get(url).status_code == 200


def test_a_partial_is_rendered_once_per_snapshot(client, monkeypatch):
    from deltaunion.contests import views

    w = _world()
    url = reverse("contests:board_partial", args=[w.stage.pk])
    renders = []
    real = views.render
    monkeypatch.setattr(views, "render", lambda *a, **k: renders.append(1) or real(*a, **k))
    bodies = {client.get(url).content for _ in range(5)}
    assert len(bodies) == 1 and len(renders) == 1


def test_a_reader_that_takes_the_lock_after_another_stored_the_snapshot_does_not_compute(monkeypatch):
    """The race behind a flaky CI run: a reader finds no snapshot, another reader computes and stores
    it and lets the lock go, then the first takes the lock: it must use the stored snapshot."""
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    real_add = cache.add

    def add_after_another_reader_finished(key, *args, **kwargs):
        if key == "snapshot-lock:test-late-lock" and not calls:
            assert real_add(key, *args, **kwargs)
            try:
                snapshots._compute("snapshot:test-late-lock", None, compute, 60)
            finally:
                cache.delete(key)
        return real_add(key, *args, **kwargs)

    monkeypatch.setattr(snapshots.cache, "add", add_after_another_reader_finished)
    etag, value = snapshots.snapshot("test-late-lock", compute, interval=60)
    assert len(calls) == 1 and value == {"n": 1}


def test_a_process_keeps_its_copy_briefly_and_drops_it_on_a_change(monkeypatch):
    """With `local`, polls in one process read no cache at all for `local` seconds; a change made
    in the process drops its copy at once, and a copy never outlives the shared one's freshness."""
    calls = []

    def compute():
        calls.append(1)
        return {"n": len(calls)}

    assert snapshots.snapshot("test-local", compute, interval=60, local=0.3)[1] == {"n": 1}
    reads = []
    real_get_many = cache.get_many
    monkeypatch.setattr(snapshots.cache, "get_many", lambda keys: reads.append(keys) or real_get_many(keys))
    for _ in range(20):
        assert snapshots.snapshot("test-local", compute, interval=60, local=0.3)[1] == {"n": 1}
    assert reads == []  # no round trip while the process's copy is young
    snapshots.changed("test-local", at_once=True)  # e.g. a stage revealed, in this process
    assert snapshots.snapshot("test-local", compute, interval=60, local=0.3)[1] == {"n": 2}
    assert len(reads) >= 1
    # A change in another process (the shared version moves, the local copy stays) shows once
    # the copy is `local` old.
    cache.set("snapshot-v:test-local", ("elsewhere", True), 60)
    assert snapshots.snapshot("test-local", compute, interval=60, local=0.3)[1] == {"n": 2}
    time.sleep(0.35)
    assert snapshots.snapshot("test-local", compute, interval=60, local=0.3)[1] == {"n": 3}


def test_anonymous_polls_in_one_process_touch_no_cache_until_the_stage_changes(client, monkeypatch):
    w = _world()
    url = reverse("contests:board_partial", args=[w.stage.pk])
    first = client.get(url, {"v": "phone"})
    assert first.status_code == 200
    gets = []
    real_get, real_get_many = cache.get, cache.get_many
    monkeypatch.setattr(cache, "get", lambda *a, **k: gets.append(a[0]) or real_get(*a, **k))
    monkeypatch.setattr(cache, "get_many", lambda *a, **k: gets.append(a[0]) or real_get_many(*a, **k))
    for _ in range(10):
        assert client.get(url, {"v": "phone"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert not [g for g in gets if "board" in str(g) or "snapshot" in str(g)]
    w.contest.refresh_from_db()  # withdrawn from the public (saved directly, as in the test above)
    w.contest.status = Contest.Status.DRAFT
    w.contest.save(update_fields=["status"])
    assert client.get(url, {"v": "phone"}).status_code == 404
