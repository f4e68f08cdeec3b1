from django.utils.translation import gettext_lazy as _

from deltaunion.core.registry import DomainApp, NavItem


class CommunityConfig(DomainApp):
    name = "deltaunion.community"
    label = "community"
    verbose_name = _("Community")
    urls = [("community/", "deltaunion.community.urls")]
    api = [("/community", "deltaunion.community.api:router")]
    nav = [
        NavItem(_("Community"), "community:posts", order=44),
        NavItem(_("Moderation"), "community:reports", permission="community.moderate", section="user"),
    ]
    demo = "deltaunion.community.demo:load"
    # After every loader that makes demo users (the readers who like and comment), so that a second
    # load finds the same readers and adds nothing.
    demo_after = [
        "practice",
        "campaigns",
        "people",
        "accounts",
        "contests",
        "me",
        "honours",
        "relations",
        "heritage",
        "recuperation",
    ]
    audit_actions = {
        "post.create": _("published a post"),
        "comment.create": _("commented on a post"),
        "report.file": _("reported content"),
    }

    def ready(self) -> None:
        super().ready()
        from deltaunion.community.models import Post
        from deltaunion.community.selectors import comment_totals, like_totals
        from deltaunion.core import counters

        counters.register("post_likes", Post, "like_count", recount=like_totals)
        counters.register("post_comments", Post, "comment_count", recount=comment_totals)
