"""The demo worker's story (`load_demo`, then the `worker` login's pages): 我的竞赛 with a
finished entry and its rank, 我的证书 with the PDF and the verification link, two quizzes in
我的练习, a campaign with points in 我的积分赛, and unread messages — all marked 演示. A second
load adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from deltaunion.accounts.models import User
from deltaunion.contests.models import Certificate, Contest, Registration, ResultRow
from deltaunion.core.models import Notification
from deltaunion.me.demo import CAMPAIGN_TITLE, FINISHED_TITLE, QUIZ_TITLE

pytestmark = pytest.mark.django_db


def test_the_demo_worker_has_a_finished_contest_a_certificate_practice_a_campaign_and_messages(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", quiet=True)
    user = User.objects.get(username="worker")
    c = Client()
    c.force_login(user)

    # 我的竞赛: the finished contest, with the worker's rank, beside the open sign-ups.
    contest = Contest.objects.get(title=FINISHED_TITLE)
    assert contest.is_demo and contest.status == Contest.Status.FINISHED and "演示" in contest.description
    row = ResultRow.objects.get(result_set__contest=contest, registration__worker__user=user)
    assert row.rank == 2
    assert Registration.objects.filter(stage__contest=contest).count() == 6
    html = c.get(reverse("me:contests")).content.decode()
    assert FINISHED_TITLE in html and f"第 {row.rank} 名" in html and "已获奖" in html
    assert row.number not in html

    # 我的证书: the 二等奖 certificate, its PDF and its verification link, which says valid.
    cert = Certificate.objects.get(award__worker__user=user, award__contest=contest)
    assert cert.text == "二等奖"
    html = c.get(reverse("me:certificates")).content.decode()
    assert "我的证书" in html and FINISHED_TITLE in html and "二等奖" in html and "演示" in html
    pdf_url = reverse("contests:certificate_pdf", args=[cert.code])
    verify_url = reverse("contests:certificate_verify", args=[cert.code])
    assert pdf_url in html and verify_url in html
    assert c.get(pdf_url).content.startswith(b"%PDF")
    assert "有效" in Client().get(verify_url).content.decode()
    assert 'data-testid="me-section"' in c.get(reverse("me:home")).content.decode()

    # 我的练习: two quizzes taken; 我的积分赛: the walking campaign with points and a rank.
    html = c.get(reverse("me:practice")).content.decode()
    assert html.count('data-testid="my-quiz"') == 2 and QUIZ_TITLE in html
    html = c.get(reverse("me:campaigns")).content.decode()
    assert CAMPAIGN_TITLE in html
    from deltaunion.campaigns.models import CampaignMember

    member = CampaignMember.objects.get(campaign__title=CAMPAIGN_TITLE, user=user)
    assert member.points > 0 and f"{member.points} 分 · 第" in html

    # Unread messages: the sign-ups, the results and the certificate.
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    kinds = set(unread.values_list("kind", flat=True))
    assert {"contests.results_published", "contests.certificate_issued", "contests.registration_approved"} <= kinds
    assert unread.filter(kind="contests.results_published").count() == 1
    # The other competitors have no login: the worker is the only one told of these results.
    assert Notification.objects.filter(kind="contests.results_published", title__contains=FINISHED_TITLE).count() == 1
    html = c.get(reverse("me:messages")).content.decode()
    assert "已公布" in html and "证书已颁发" in html

    # A second load adds nothing.
    counts = (Notification.objects.count(), Registration.objects.count(), Certificate.objects.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", quiet=True)
    assert (Notification.objects.count(), Registration.objects.count(), Certificate.objects.count()) == counts
