"""The community API: posts about a subject, likes once, comments, reports; 403 with the
permission's message for what the caller may not do, 404 for what they may not see."""

from __future__ import annotations

import json

from django.test import Client

from deltaunion.accounts.services import api_token_create
from deltaunion.community import services
from deltaunion.contests import services as contest_services
from deltaunion.contests.models import Contest, ContestFormat

from .factories import readers


def client_for(user) -> Client:
    _token, raw = api_token_create(user=user, name="test", by=user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def post(c: Client, url: str, body: dict | None = None):
    return c.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_posts_likes_comments_and_reports_over_the_api(world):
    user = readers(world, 1)[0]
    c = client_for(user)
    created = post(c, "/api/community/posts", {"kind": "skill", "title": "窍门", "body": "正文"})
    assert created.status_code == 201
    pid = created.json()["id"]
    assert created.json()["author"] == user.full_name  # the author reads their own name
    assert post(c, f"/api/community/posts/{pid}/like").json() == {"liked": True, "changed": True}
    assert post(c, f"/api/community/posts/{pid}/like").json() == {"liked": True, "changed": False}
    assert c.delete(f"/api/community/posts/{pid}/like").json() == {"liked": False, "changed": True}
    comment = post(c, f"/api/community/posts/{pid}/comments", {"body": "补充一句"})
    assert comment.status_code == 201
    other = client_for(world.worker)
    assert other.get(f"/api/community/posts/{pid}").json()["author"] != user.full_name  # masked for others
    report = post(other, f"/api/community/posts/{pid}/reports", {"reason": "广告", "comment": comment.json()["id"]})
    assert report.status_code == 201
    assert post(other, f"/api/community/posts/{pid}/reports", {"reason": ""}).status_code == 400
    assert c.get("/api/community/posts/999999").status_code == 404


def test_refusals_are_403_with_the_permissions_message(world):
    c = client_for(world.worker)
    news = post(c, "/api/community/posts", {"kind": "news", "title": "新闻", "body": "正文"})
    assert news.status_code == 403
    assert news.json()["detail"] == ["只有工会干部可以发布新闻动态"]


def test_posts_about_a_subject(world):
    officer = world.hz_officer
    contest = contest_services.contest_create(
        title="公开的竞赛", lead_org=world.hz, by=officer, format=ContestFormat.QUIZ
    )
    contest_services.contest_set_status(contest=contest, status=Contest.Status.OPEN, by=officer)
    drafting = contest_services.contest_create(title="筹备中", lead_org=world.hz, by=officer, format=ContestFormat.QUIZ)
    c = client_for(world.worker)
    about = post(
        c,
        "/api/community/posts",
        {"kind": "skill", "title": "关于竞赛", "body": "正文", "subject": f"contest:{contest.pk}"},
    )
    assert about.status_code == 201 and about.json()["subject"] == f"contest:{contest.pk}"
    services.post_create(by=world.worker, kind="skill", title="无关", body="正文")
    listed = c.get("/api/community/posts", {"subject": f"contest:{contest.pk}"}).json()
    assert [p["title"] for p in listed] == ["关于竞赛"]
    # A subject the caller may not see (a draft contest of another's union) or unknown: 404.
    for subject in (f"contest:{drafting.pk}", "contest:999999", "venue:1", "nonsense"):
        assert c.get("/api/community/posts", {"subject": subject}).status_code == 404, subject
        assert (
            post(
                c, "/api/community/posts", {"kind": "skill", "title": "t", "body": "b", "subject": subject}
            ).status_code
            == 404
        )
