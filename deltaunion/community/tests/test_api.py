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


def test_a_like_takes_the_hot_path_and_answers_as_before(world, django_capture_on_commit_callbacks):
    """POST …/like is served by core.api.hot (one statement for a published post not yet liked);
    every other case reads the post as before: 404 for a post the caller may not see, 400 for a
    hidden post its moderator sees, changed: false for a second like, 401 without a login.
    DELETE on the same URL is ninja's. The counter is bumped once per like."""
    from django.urls import resolve

    from deltaunion.community import selectors
    from deltaunion.community.models import ContentStatus, Post, PostLike
    from deltaunion.core.api import _HotView

    author, reader = readers(world, 2)
    post_obj = services.post_create(by=author, kind="skill", title="热门", body="正文")
    url = f"/api/community/posts/{post_obj.pk}/like"
    assert isinstance(resolve(url).func, _HotView)
    c = client_for(reader)
    with django_capture_on_commit_callbacks(execute=True) as bumps:
        first = post(c, url)
    assert len(bumps) == 1
    assert first.status_code == 200 and first.json() == {"liked": True, "changed": True}
    assert first["Content-Type"] == "application/json"
    assert post(c, url).json() == {"liked": True, "changed": False}
    assert PostLike.objects.filter(post=post_obj).count() == 1
    assert selectors.live_counts([post_obj])[post_obj.pk][0] == 1
    assert c.delete(url).json() == {"liked": False, "changed": True}
    assert post(c, url).json() == {"liked": True, "changed": True}
    # refusals: missing, hidden (unseen by a reader; refused to the moderator who sees it), no login
    missing = post(c, f"/api/community/posts/{post_obj.pk + 1000}/like")
    assert missing.status_code == 404
    assert post(c, f"/api/community/posts/{2**70}/like").status_code in (400, 404)
    hidden = services.post_create(by=author, kind="skill", title="将被隐藏", body="正文")
    Post.objects.filter(pk=hidden.pk).update(status=ContentStatus.HIDDEN)
    unseen = post(client_for(world.worker), f"/api/community/posts/{hidden.pk}/like")
    assert unseen.status_code == 404 and unseen.content == missing.content
    refused = post(client_for(world.hz_officer), f"/api/community/posts/{hidden.pk}/like")
    assert refused.status_code in (400, 404)
    assert not PostLike.objects.filter(post=hidden).exists()
    anonymous = Client().post(url)
    assert anonymous.status_code == 401 and anonymous.json() == Client().get("/api/community/posts").json()
    assert PostLike.objects.filter(post=post_obj).count() == 1
    schema = Client().get("/api/openapi.json").json()["paths"]["/api/community/posts/{post_id}/like"]
    assert set(schema) == {"post", "delete"} and schema["post"]["security"] == [{"LoggedIn": []}]
