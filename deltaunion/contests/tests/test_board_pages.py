"""The big screen carries every rank (in pages of rows), the phone board marks the signed-in
worker's own row."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from deltaunion.contests import services
from deltaunion.contests.models import Contest
from deltaunion.people.models import Worker

from .factories import UserFactory, build_world, mark_everything, register_and_draw, sign_off_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def revealed():
    w = build_world()
    services.contest_update(contest=w.contest, status=Contest.Status.OPEN, by=w.officer)
    register_and_draw(w, 12)
    mark_everything(w)
    sign_off_all(w)
    services.stage_reveal(stage=w.stage, by=w.decryptor)
    return w


def test_the_big_screen_has_every_rank_in_pages(client, revealed):
    w = revealed
    html = client.get(reverse("contests:board", args=[w.stage.pk])).content.decode()
    bodies = re.findall(r'<tbody data-page="(\d+)"( hidden)?>(.*?)</tbody>', html, re.S)
    assert [b[0] for b in bodies] == ["1", "2", "3"]
    assert [bool(b[1]) for b in bodies] == [False, True, True]
    ranks = [int(r) for b in bodies for r in re.findall(r'data-testid="rank-row"><td>(\d+)</td>', b[2])]
    assert len(ranks) == 12 and ranks == sorted(ranks) and ranks[-1] >= 7
    assert "第 1/3 页" in html and 'data-format="第 __X__/3 页"' in html
    assert "* 1000" in html and "8 * 1000" in html  # turns every 8 s by default
    assert "3 * 1000" in client.get(reverse("contests:board", args=[w.stage.pk]) + "?rotate=3").content.decode()


def test_the_phone_board_marks_my_own_row(client, revealed):
    w = revealed
    mine = w.registrations[5]
    worker = Worker.objects.get(pk=mine.worker_id)
    worker.user = UserFactory()
    worker.save(update_fields=["user"])
    url = reverse("contests:board_phone", args=[w.stage.pk])
    assert 'data-testid="my-row"' not in client.get(url).content.decode()
    client.force_login(worker.user)
    for address in (url, reverse("contests:board_partial", args=[w.stage.pk]) + "?v=phone"):
        html = client.get(address).content.decode()
        assert html.count('data-testid="my-row"') == 1
        row = html[html.index('data-testid="my-row"') :][:400]
        assert worker.name in row and "我" in row
    # Another signed-in user sees no row marked.
    client.force_login(w.officer)
    assert 'data-testid="my-row"' not in client.get(url).content.decode()
