"""People's names on the boards: the full name for the person themselves, masked for everyone
else, decided once per read (`practice.permissions.full_names_visible`), and — where boards live
in Redis — read from the masked labels stored beside the person board, which follow joins,
renames, departures and rebuilds."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deltaunion.accounts.models import User
from deltaunion.core import leaderboards
from deltaunion.core.permissions import can
from deltaunion.core.privacy import mask_name
from deltaunion.practice import services
from deltaunion.practice.models import QuizParticipant
from deltaunion.practice.permissions import full_names_visible

from .factories import build_practice_world
from .test_boards import play

needs_redis = pytest.mark.skipif(not leaderboards.uses_redis(), reason="needs REDIS_URL (runs in CI's Redis pass)")


@pytest.mark.django_db
def test_full_names_visible_is_see_full_name(world):
    """The list form decides exactly what `practice.see_full_name` decides person by person."""
    pw = build_practice_world(world, n_workers=3)
    people = [u.pk for u in pw.workers] + [pw.officer.pk, 987654321]
    superuser = User.objects.create(username="root-names", is_superuser=True, is_staff=True)
    for viewer in [*pw.workers, pw.officer, superuser, AnonymousUser(), None]:
        expected = {p for p in people if can(viewer, "practice.see_full_name", p)}
        assert full_names_visible(viewer, people) == expected, viewer
    assert full_names_visible(pw.workers[0], people) == {pw.workers[0].pk}


def _labels_read(board, viewer) -> dict[str, str]:
    view = leaderboards.view(board, viewer, top_n=20, neighbours=20)
    return {r["member"]: r["label"] for r in [*view.top, *view.around]}


@pytest.mark.django_db(transaction=True)
def test_board_names_are_masked_for_others_and_full_for_oneself(world):
    """Both backends: the same labels."""
    pw = build_practice_world(world, n_workers=6, attempts_per_day=5)
    play(pw, rounds=1, seed=4)
    board = leaderboards.Board("quiz", pw.quiz.pk, "person")
    me = pw.workers[2]
    labels = _labels_read(board, me)
    assert len(labels) == 6
    for user in pw.workers:
        want = user.full_name if user == me else mask_name(user.full_name)
        assert labels[str(user.pk)] == want
    assert all(label == mask_name(u.full_name) for u in pw.workers for label in [_labels_read(board, None)[str(u.pk)]])


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_stored_labels_name_the_rows_without_a_database_query(world):
    pw = build_practice_world(world, n_workers=6, attempts_per_day=5)
    play(pw, rounds=1, seed=4)
    board = leaderboards.Board("quiz", pw.quiz.pk, "person")
    stored = leaderboards.redis_client().hgetall(board.labels_key)
    assert {k.decode(): v.decode() for k, v in stored.items()} == {
        str(u.pk): mask_name(u.full_name) for u in pw.workers
    }  # written when each joined
    me = pw.workers[1]
    with CaptureQueriesContext(connection) as ctx:
        labels = _labels_read(board, me)
    assert not [q for q in ctx.captured_queries if User._meta.db_table in q["sql"]]
    assert labels[str(me.pk)] == me.full_name
    assert labels[str(pw.workers[0].pk)] == mask_name(pw.workers[0].full_name)
    # A label missing from Redis (rows written behind the ORM's back) is read from the database.
    leaderboards.redis_client().hdel(board.labels_key, str(pw.workers[0].pk))
    assert _labels_read(board, me)[str(pw.workers[0].pk)] == mask_name(pw.workers[0].full_name)


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_a_renamed_users_label_changes_on_the_board(world):
    """After a read that served the stored label, a rename (the user saved, as the admin does)
    rewrites the label on every board the user is on; a save of other fields leaves it."""
    pw = build_practice_world(world, n_workers=4, attempts_per_day=5)
    play(pw, rounds=1, seed=9)
    board = leaderboards.Board("quiz", pw.quiz.pk, "person")
    renamed, viewer = pw.workers[0], pw.workers[1]
    assert _labels_read(board, viewer)[str(renamed.pk)] == mask_name(renamed.full_name)
    renamed.full_name = "欧阳娜娜"
    renamed.save()
    assert _labels_read(board, viewer)[str(renamed.pk)] == "欧**娜"
    assert _labels_read(board, renamed)[str(renamed.pk)] == "欧阳娜娜"
    renamed.refresh_from_db()
    renamed.full_name = "司马光"
    renamed.save(update_fields=["full_name"])
    assert _labels_read(board, viewer)[str(renamed.pk)] == "司*光"
    renamed.is_staff = False
    renamed.save(update_fields=["is_staff"])
    assert _labels_read(board, viewer)[str(renamed.pk)] == "司*光"


@needs_redis
@pytest.mark.django_db(transaction=True)
def test_stored_labels_follow_departures_and_rebuilds(world):
    pw = build_practice_world(world, n_workers=4, attempts_per_day=5)
    play(pw, rounds=1, seed=2)
    board = leaderboards.Board("quiz", pw.quiz.pk, "person")
    r = leaderboards.redis_client()
    gone = pw.workers[3]
    QuizParticipant.objects.get(quiz=pw.quiz, user=gone).delete()
    assert not r.hexists(board.labels_key, str(gone.pk))
    assert r.hlen(board.labels_key) == 3
    r.delete(board.labels_key)
    call_command("rebuild_leaderboards", quiz=[pw.quiz.pk], stdout=open("/dev/null", "w"))
    assert {k.decode(): v.decode() for k, v in r.hgetall(board.labels_key).items()} == {
        str(u.pk): mask_name(u.full_name) for u in pw.workers[:3]
    }
    # Joining again writes the label again.
    services.quiz_start(quiz=pw.quiz, by=gone)
    assert r.hget(board.labels_key, str(gone.pk)).decode() == mask_name(gone.full_name)
