"""Community test data, written through the services: workers with logins in Hangzhou and
Suzhou, a post in a union, a comment and a report."""

from __future__ import annotations

from types import SimpleNamespace

from deltaunion.accounts.models import User
from deltaunion.accounts.tests.factories import UserFactory
from deltaunion.community import services
from deltaunion.community.models import AbuseReport, Comment, Post
from deltaunion.people.tests.factories import WorkerFactory


def readers(world: SimpleNamespace, n: int) -> list[User]:
    """n workers with logins, alternately of the Hangzhou and the Suzhou unit."""
    out = []
    for i in range(n):
        user = UserFactory(full_name=f"读者{i}号")
        unit, employer = (world.hz_unit, world.hz_employer) if i % 2 == 0 else (world.sz_unit, world.sz_employer)
        WorkerFactory(organisation=unit, employer=employer, user=user)
        out.append(user)
    return out


def post_with_report(world: SimpleNamespace, *, author: User, reporter: User) -> tuple[Post, Comment, AbuseReport]:
    """A skill tip in the author's union, a comment by the reporter, and their report on the post."""
    post = services.post_create(by=author, kind="skill", title="一条技巧", body="正文")
    comment = services.comment_add(post=post, by=reporter, body="一条评论")
    report = services.report_file(post=post, by=reporter, reason="含广告")
    return post, comment, report
