"""The worker's own space (我的): the sections, the inbox, my contests, practice and campaigns."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from deltaunion.contests import services
from deltaunion.contests.models import Registration
from deltaunion.contests.tests.factories import build_world
from deltaunion.core.models import Notification
from deltaunion.core.registry import me_sections, nav_items
from deltaunion.orgs.models import Role
from deltaunion.orgs.services import org_role_grant

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_me_is_the_first_nav_item_of_a_worker_and_not_of_an_officer(world):
    assert [i.url_name for i in nav_items(world.worker)][0] == "me:home"
    assert "me:home" not in [i.url_name for i in nav_items(world.hz_officer)]
    assert "me:home" not in [i.url_name for i in nav_items(None)]


def test_the_space_composes_every_app_section_with_counts(world):
    names = [s.url_name for s in me_sections()]
    for name in ("me:messages", "me:contests", "me:practice", "me:campaigns", "honours:mine", "relations:mine"):
        assert name in names
    Notification.objects.create(recipient=world.worker, kind="t", title="你好")
    html = _client(world.worker).get(reverse("me:home")).content.decode()
    assert html.count('data-testid="me-section"') == len(names)
    assert "我的竞赛" in html and "站内消息" in html
    assert 'data-testid="me-count">1' in html


def test_anonymous_is_sent_to_login():
    response = Client().get(reverse("me:home"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_inbox_shows_only_my_messages_and_marks_them_read(world):
    mine = Notification.objects.create(recipient=world.worker, kind="t", title="报名已通过", url="/me/contests/")
    Notification.objects.create(recipient=world.worker, kind="t", title="第二条")
    other = Notification.objects.create(recipient=world.hz_officer, kind="t", title="别人的消息")
    c = _client(world.worker)
    html = c.get(reverse("me:messages")).content.decode()
    assert "报名已通过" in html and "别人的消息" not in html
    assert 'data-testid="unread"' in html
    # Opening a message marks it read and follows its link.
    response = c.get(reverse("me:message", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/me/contests/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    # Someone else's message is a 404 and stays unread.
    assert c.get(reverse("me:message", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    # Mark all read (POST only).
    assert c.get(reverse("me:messages_read")).status_code == 405
    c.post(reverse("me:messages_read"))
    assert not Notification.objects.filter(recipient=world.worker, read_at__isnull=True).exists()
    assert Notification.objects.filter(pk=other.pk, read_at__isnull=True).exists()


def test_an_offsite_link_in_a_message_is_not_followed(world):
    note = Notification.objects.create(recipient=world.worker, kind="t", title="x", url="https://evil.example/")
    response = _client(world.worker).get(reverse("me:message", args=[note.pk]))
    assert response["Location"] == reverse("me:messages")


def _worker_login(w, i: int = 0):
    from deltaunion.contests.tests.factories import UserFactory

    user = UserFactory()
    worker = w.worker(i)
    worker.user = user
    worker.save(update_fields=["user"])
    org_role_grant(user=user, organisation=worker.organisation, role=Role.WORKER, by=None)
    return user, worker


def test_my_contests_show_step_and_next_step_and_no_number_before_results(django_capture_on_commit_callbacks):
    w = build_world()
    user, worker = _worker_login(w)
    with django_capture_on_commit_callbacks(execute=True):
        reg = services.registration_sign_up(stage=w.stage, by=user)
    c = _client(user)
    html = c.get(reverse("me:contests")).content.decode()
    assert "工业机器人技能竞赛" in html and "已提交" in html
    assert "等待" in html  # the next step names the approving union
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(registration=reg, approve=True, by=w.officer)
    # Check in and draw: the worker now has a secret number, which 我的竞赛 never shows.
    from deltaunion.contests.models import Stage

    services.stage_set_status(stage=w.stage, status=Stage.Status.CHECKIN, by=w.officer)
    services.checkin_record(registration=reg, by=w.officer)
    services.draw_order(stage=w.stage, by=w.officer, seed="a")
    services.draw_numbers(stage=w.stage, by=w.officer, seed="b")
    number = reg.sealed.secret_number.number
    html = c.get(reverse("me:contests")).content.decode()
    w.stage.refresh_from_db()
    assert ("比赛中" if w.stage.status == Stage.Status.MARKING else "已检录") in html
    assert number not in html
    assert 'data-testid="my-result"' not in html
    assert Registration.objects.get(pk=reg.pk).status == Registration.Status.APPROVED
    # The approval arrived in the inbox.
    assert "已通过" in c.get(reverse("me:messages")).content.decode()


def test_my_results_and_certificates_after_publication(world):
    from deltaunion.contests.models import Certificate
    from deltaunion.contests.tests.factories import UserFactory
    from deltaunion.contests.tests.matrix import hangzhou_contest

    hz = hangzhou_contest(world)
    user = UserFactory()
    world.hz_a.user = user
    world.hz_a.save(update_fields=["user"])
    c = _client(user)
    html = c.get(reverse("me:contests")).content.decode()
    row = hz.result_set.rows.get(registration__worker=world.hz_a)
    assert 'data-testid="my-result"' in html and f"第 {row.rank} 名" in html
    assert row.number not in html  # the secret number is never shown to the worker
    cert = Certificate.objects.get(award__worker=world.hz_a)
    assert reverse("contests:certificate_pdf", args=[cert.code]) in html
    assert reverse("contests:certificate_verify", args=[cert.code]) in html
    pdf = c.get(reverse("contests:certificate_pdf", args=[cert.code]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Another worker's certificate is not in my list.
    other = Certificate.objects.exclude(award__worker=world.hz_a).first()
    if other is not None:
        assert other.code not in html


def test_my_practice_and_campaigns_pages_answer(world):
    c = _client(world.worker)
    assert "您还没有参加答题" in c.get(reverse("me:practice")).content.decode()
    assert "您还没有参加积分赛" in c.get(reverse("me:campaigns")).content.decode()


def test_the_worker_withdraws_a_sign_up_and_the_place_is_freed():
    from deltaunion.contests.models import Quota

    w = build_world()
    services.quota_set(stage=w.stage, organisation=w.province, places=1, by=w.officer)
    user, _worker = _worker_login(w)
    reg = services.registration_sign_up(stage=w.stage, by=user)
    c = _client(user)
    assert 'data-testid="withdraw"' in c.get(reverse("me:contests")).content.decode()
    # Someone else's entry cannot be withdrawn by this worker (404: not theirs to see).
    other_user, _ = _worker_login(w, 1)
    assert _client(other_user).post(reverse("contests:registration_withdraw", args=[reg.pk])).status_code == 404
    response = c.post(reverse("contests:registration_withdraw", args=[reg.pk]), {"next": reverse("me:contests")})
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.status == Registration.Status.WITHDRAWN
    assert Quota.objects.get(stage=w.stage).used == 0
    html = c.get(reverse("me:contests")).content.decode()
    assert "已撤回" in html and 'data-testid="withdraw"' not in html


def test_the_menu_shows_how_many_messages_are_unread(world):
    import re

    c = _client(world.worker)
    badge = re.compile(r'du-count">(\d+)<')
    assert not badge.search(c.get(reverse("me:home")).content.decode())
    for title in ("一", "二"):
        Notification.objects.create(recipient=world.worker, kind="t", title=title)
    Notification.objects.create(recipient=world.hz_officer, kind="t", title="别人的")
    assert badge.search(c.get("/contests/").content.decode()).group(1) == "2"
    c.post(reverse("me:messages_read"))
    assert not badge.search(c.get("/contests/").content.decode())
