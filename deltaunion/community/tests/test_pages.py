"""The community pages: the feed, a post with likes (once), comments and reports, writing a post
(news only for officers), hidden content, and the moderators' pages (reports, content, hidden),
who may see them, and masked names."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse

from deltaunion.community import selectors, services
from deltaunion.community.models import AbuseReport, Comment, Post, PostLike
from deltaunion.core.privacy import mask_name

from .factories import post_with_report, readers

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _login(client, user, english: bool = False):
    client.force_login(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def pw(world):
    """A Hangzhou author's post, a Suzhou reader's comment and report; Zhejiang's admin moderates."""
    author, reporter = readers(world, 2)
    post, comment, report = post_with_report(world, author=author, reporter=reporter)
    ns = SimpleNamespace(post=post, comment=comment, report=report, author=author, reporter=reporter)
    return SimpleNamespace(**vars(world), officer=world.zj_admin, ns=ns)


def _moderation_pages() -> list[str]:
    return [
        reverse("community:reports"),
        reverse("community:reports") + "?status=all",
        reverse("community:content"),
        reverse("community:content") + "?what=comments",
        reverse("community:hidden"),
    ]


def test_every_page_renders(client, pw):
    _login(client, pw.worker)
    for url in (
        reverse("community:posts"),
        reverse("community:posts") + "?kind=skill&q=技巧",
        reverse("community:post_new"),
        reverse("community:post", args=[pw.ns.post.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert b'data-testid="moderation-link"' not in client.get(reverse("community:posts")).content
    client.force_login(pw.officer)
    assert b'data-testid="moderation-link"' in client.get(reverse("community:posts")).content
    for url in _moderation_pages():
        assert client.get(url).status_code == 200, url
    export = client.get(reverse("community:reports_export"))
    assert export.status_code == 200 and export["Content-Type"] == XLSX


def test_moderation_pages_are_404_for_who_moderates_nothing_and_other_unions_content(client, pw, world):
    for user in (world.nobody, world.worker, pw.ns.author):
        client.force_login(user)
        for url in [*_moderation_pages(), reverse("community:reports_export")]:
            assert client.get(url).status_code == 404, url
    # Suzhou's officer moderates Suzhou, not the Hangzhou post, its comment or its report.
    client.force_login(world.sz_officer)
    assert b'data-testid="report-row"' not in client.get(reverse("community:reports")).content
    decide = client.post(reverse("community:report_decide", args=[pw.ns.report.pk]), {"decision": "uphold"})
    hide = client.post(reverse("community:content_hide"), {"what": "post", "id": pw.ns.post.pk, "reason": "x"})
    assert (decide.status_code, hide.status_code) == (404, 404)
    assert Post.objects.get(pk=pw.ns.post.pk).status == "published"
    client.force_login(world.hz_officer)
    assert b'data-testid="report-row"' in client.get(reverse("community:reports")).content


def test_authors_are_masked_for_readers_but_not_for_themselves_or_moderators(client, pw, world):
    name = pw.ns.author.full_name
    _login(client, world.worker)
    page = client.get(reverse("community:post", args=[pw.ns.post.pk])).content.decode()
    assert name not in page and mask_name(name) in page
    client.force_login(pw.ns.author)
    assert name in client.get(reverse("community:post", args=[pw.ns.post.pk])).content.decode()
    client.force_login(world.hz_officer)
    assert name in client.get(reverse("community:content")).content.decode()


# --- the readers' pages -----------------------------------------------------------------------------------------


def test_like_twice_counts_once_and_unlike(client, pw, django_capture_on_commit_callbacks):
    post = services.post_create(
        by=pw.hz_officer, organisation=pw.hz, kind=Post.Kind.NEWS, title="练兵通知", body="本周开展安全知识答题。"
    )
    _login(client, pw.worker)
    url = reverse("community:post_like", args=[post.pk])
    for _i in range(2):
        # Tests run inside a transaction: run the after-commit counter bump as a real commit would.
        with django_capture_on_commit_callbacks(execute=True):
            html = client.post(url, {"action": "like"}, **HX).content.decode()
        assert 'value="unlike"' in html
    assert PostLike.objects.filter(post=post).count() == 1
    assert selectors.live_counts([post])[post.pk][0] == 1
    page = client.get(reverse("community:post", args=[post.pk])).content.decode()
    assert 'data-testid="like-count">1<' in page
    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(url, {"action": "unlike"}, **HX).content.decode()
    assert 'value="like"' in html
    assert 'data-testid="like-count">0<' in client.get(reverse("community:post", args=[post.pk])).content.decode()
    assert not PostLike.objects.exists()


def test_comment_and_report_post_and_comment(client, pw):
    post = services.post_create(
        by=pw.hz_officer, organisation=pw.hz, kind=Post.Kind.RESULT, title="答题结果", body="前十名名单。"
    )
    _login(client, pw.worker)
    client.post(reverse("community:post_comment", args=[post.pk]), {"body": "学习了！"})
    comment = post.comments.get()
    page = client.get(reverse("community:post", args=[post.pk])).content.decode()
    assert "学习了！" in page
    url = reverse("community:post_report", args=[post.pk])
    client.post(url, {"reason": "内容与练兵无关"})
    client.post(url, {"reason": "不文明用语", "comment": comment.pk})
    reports = AbuseReport.objects.filter(post=post, reporter=pw.worker)
    assert reports.count() == 2
    assert reports.filter(comment=comment, reason="不文明用语").exists()
    # An empty reason changes nothing.
    client.post(url, {"reason": ""})
    assert reports.count() == 2


def test_hidden_posts_and_comments_are_not_shown_to_workers(client, pw):
    shown = services.post_create(
        by=pw.hz_officer, organisation=pw.hz, kind=Post.Kind.SKILL, title="保留的帖子", body="正文"
    )
    hidden = services.post_create(
        by=pw.hz_officer, organisation=pw.hz, kind=Post.Kind.SKILL, title="被隐藏的帖子", body="正文"
    )
    comment = services.comment_add(post=shown, by=pw.hz_officer, body="被隐藏的评论")
    services.content_hide(obj=hidden, by=pw.hz_officer, reason="违规")
    services.content_hide(obj=comment, by=pw.hz_officer, reason="违规")
    _login(client, pw.worker)
    feed = client.get(reverse("community:posts")).content.decode()
    assert "保留的帖子" in feed and "被隐藏的帖子" not in feed
    assert client.get(reverse("community:post", args=[hidden.pk])).status_code == 404
    assert client.post(reverse("community:post_like", args=[hidden.pk])).status_code == 404
    assert "被隐藏的评论" not in client.get(reverse("community:post", args=[shown.pk])).content.decode()


def test_write_a_post_news_only_for_officers(client, pw):
    _login(client, pw.worker, english=True)
    form = client.get(reverse("community:post_new")).content.decode()
    assert 'value="news"' not in form and 'value="skill"' in form
    response = client.post(reverse("community:post_new"), {"kind": "skill", "title": "接线技巧", "body": "先断电。"})
    post = Post.objects.get(title="接线技巧")
    assert response["Location"] == reverse("community:post", args=[post.pk])
    assert post.organisation == pw.hz_unit and post.author == pw.worker
    client.post(reverse("community:post_new"), {"kind": "news", "title": "假新闻", "body": "x"})
    assert not Post.objects.filter(title="假新闻").exists()
    client.force_login(pw.hz_officer)
    form = client.get(reverse("community:post_new")).content.decode()
    assert 'value="news"' in form and pw.hz.name in form
    client.post(
        reverse("community:post_new"), {"kind": "news", "title": "练兵新闻", "body": "正文", "organisation": pw.hz.pk}
    )
    assert Post.objects.get(title="练兵新闻").organisation == pw.hz


# --- the moderators' pages ----------------------------------------------------------------------------------------------------


def test_uphold_hides_the_post_from_workers(client, pw, world):
    post, report = pw.ns.post, pw.ns.report
    other = world.worker  # a worker of Hangzhou's grassroots union
    assert post in selectors.posts_for(other)
    _login(client, pw.officer, english=True)
    response = client.post(reverse("community:report_decide", args=[report.pk]), {"decision": "uphold", "note": "广告"})
    assert response.status_code == 302
    post.refresh_from_db()
    report.refresh_from_db()
    assert post.status == Post.Status.HIDDEN and report.status == AbuseReport.Status.UPHELD
    assert post not in selectors.posts_for(other)
    assert post not in selectors.posts_for(pw.ns.reporter)
    hidden = client.get(reverse("community:hidden"))
    assert hidden.content.count(b'data-testid="content-row"') == 1
    assert b'data-testid="report-row"' not in client.get(reverse("community:reports")).content
    # Restore brings it back.
    client.post(reverse("community:content_restore"), {"what": "post", "id": post.pk})
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED and post in selectors.posts_for(other)


def test_dismiss_leaves_the_post_and_reporter_is_masked(client, pw):
    _login(client, pw.officer, english=True)
    html = client.get(reverse("community:reports")).content.decode()
    reporter = pw.ns.reporter.full_name
    assert reporter not in html and mask_name(reporter) in html
    client.post(reverse("community:report_decide", args=[pw.ns.report.pk]), {"decision": "dismiss"})
    pw.ns.report.refresh_from_db()
    pw.ns.post.refresh_from_db()
    assert pw.ns.report.status == AbuseReport.Status.DISMISSED and pw.ns.post.status == Post.Status.PUBLISHED
    response = client.post(
        reverse("community:report_decide", args=[pw.ns.report.pk]),
        {"decision": "uphold"},
    )
    assert "not possible from there" in _messages(response)[-1]  # the report's state machine refuses
    assert AbuseReport.objects.get(pk=pw.ns.report.pk).status == AbuseReport.Status.DISMISSED


def test_hide_a_comment_needs_a_reason(client, pw):
    _login(client, pw.officer, english=True)
    url = reverse("community:content_hide")
    response = client.post(url, {"what": "comment", "id": pw.ns.comment.pk, "reason": ""})
    assert _messages(response)[-1] == "Give a reason for hiding it"
    pw.ns.comment.refresh_from_db()
    assert pw.ns.comment.status == Post.Status.PUBLISHED
    client.post(url, {"what": "comment", "id": pw.ns.comment.pk, "reason": "灌水"})
    pw.ns.comment.refresh_from_db()
    assert pw.ns.comment.status == Post.Status.HIDDEN
    assert not Comment.objects.filter(pk=pw.ns.comment.pk, status="published").exists()
    assert client.post(url, {"what": "nonsense", "id": 1}).status_code == 404
