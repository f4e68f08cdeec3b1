"""Moderation on the kernel: the declared state machines of posts, comments and reports
refuse illegal transitions (nothing changes, no audit entry); moderators of the union move
them; anyone else who may see the content gets a 403 with the permission's message."""

from __future__ import annotations

import pytest

from deltaunion.community import services
from deltaunion.community.models import AbuseReport, Comment, Post
from deltaunion.core.audit import describe, history_for
from deltaunion.core.permissions import Forbidden
from deltaunion.core.statemachine import TransitionError, illegal_pairs

from .factories import post_with_report, readers

pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture
def content(world):
    author, reporter = readers(world, 2)  # Hangzhou, Suzhou
    post, comment, report = post_with_report(world, author=author, reporter=reporter)
    return {Post: post, Comment: comment, AbuseReport: report}


CASES = [(model, state, t) for model in (Post, Comment, AbuseReport) for state, t in illegal_pairs(model.workflow)]


@pytest.mark.parametrize(("model", "state", "transition"), CASES, ids=lambda v: getattr(v, "name", str(v)))
def test_illegal_transitions_are_refused_and_change_nothing(content, world, model, state, transition):
    obj = content[model]
    model.objects.filter(pk=obj.pk).update(status=state)
    obj.refresh_from_db()
    before = history_for(obj).count()
    with pytest.raises(TransitionError):
        model.workflow.fire(obj, transition.name, by=world.hz_officer)
    assert model.objects.get(pk=obj.pk).status == state
    assert history_for(obj).count() == before


def test_hiding_what_is_hidden_is_refused_through_the_service(content, world):
    post = content[Post]
    services.content_hide(obj=post, by=world.hz_officer, reason="违规")
    with pytest.raises(TransitionError):
        services.content_hide(obj=post, by=world.hz_officer, reason="再次")
    assert history_for(post).filter(action="post.hide").count() == 1
    report = content[AbuseReport]
    services.report_decide(report=report, uphold=False, by=world.hz_officer)
    with pytest.raises(TransitionError):
        services.report_decide(report=report, uphold=True, by=world.hz_officer)
    assert AbuseReport.objects.get(pk=report.pk).status == "dismissed"
    assert Comment.objects.get(pk=content[Comment].pk).status == "published"


@pytest.mark.parametrize("who", ["worker", "sz_officer", "zj_judge", "nobody"])
def test_who_may_see_but_not_moderate_gets_403(content, world, who):
    user = getattr(world, who)
    post, comment, report = content[Post], content[Comment], content[AbuseReport]
    for call in (
        lambda: services.content_hide(obj=post, by=user, reason="x"),
        lambda: services.content_hide(obj=comment, by=user, reason="x"),
        lambda: services.report_decide(report=report, uphold=True, by=user),
    ):
        with pytest.raises(Forbidden, match="officers of the union it was posted in"):
            call()
    assert (Post.objects.get(pk=post.pk).status, AbuseReport.objects.get(pk=report.pk).status) == ("published", "open")
    assert not history_for(post).filter(action="post.hide").exists()


def test_moderation_reads_as_sentences(content, world):
    from django.utils import translation

    services.report_decide(report=content[AbuseReport], uphold=True, by=world.hz_officer, note="广告")
    with translation.override("zh-hans"):
        [decision] = describe(history_for(content[AbuseReport]).filter(action="report.uphold"))
        [hidden] = describe(history_for(content[Post]).filter(action="post.hide"))
    assert decision.action == "维持举报并隐藏了内容" and hidden.action == "隐藏了帖子"
    assert ("状态", "待处理", "举报成立：内容已隐藏") in [(c.field, c.before, c.after) for c in decision.changes]
    assert hidden.note == "广告"
