"""The community in the 404 matrix: a Hangzhou worker's post, hidden by Hangzhou's officer, with
a comment and an open report (only the moderators of Hangzhou's unions may see them)."""

from deltaunion.community import services
from deltaunion.core.testing import Obj

from .factories import post_with_report, readers


def build(world):
    author, reporter = readers(world, 3)[::2]  # two Hangzhou readers, neither of them `worker`
    post, _comment, report = post_with_report(world, author=author, reporter=reporter)
    services.content_hide(obj=post, by=world.hz_officer, reason="待核实")
    return {
        "post_id": Obj(post.pk, owner=world.hz_officer),
        "report_id": Obj(report.pk, owner=world.hz_officer),
    }
