"""Posts, comments, likes and abuse reports, with moderation (see `community` for how other
apps attach posts to their objects). Likes and comments are counted by `core.counters`."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.orgs.models import Organisation


class ContentStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by a moderator")


class Post(TimeStampedModel):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        SKILL = "skill", _("Skill tip")
        RESULT = "result", pgettext_lazy("post kind", "Result")
        REVIEW = "review", _("Review")

    Status = ContentStatus

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts", verbose_name=_("Author")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="posts", verbose_name=_("Union")
    )
    # What the post is about, if anything: an object of another app (a contest, a venue, a
    # trip), registered in `community.subjects`.
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("About")
    )
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    kind = models.CharField(_("Kind"), max_length=8, choices=Kind.choices, default=Kind.SKILL)
    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    body = models.TextField(pgettext_lazy("post", "Text"))
    status = models.CharField(
        _("Status"), max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED
    )
    like_count = models.PositiveIntegerField(_("Likes"), default=0)
    comment_count = models.PositiveIntegerField(_("Comments"), default=0)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    scope_owner_field = "author"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status=ContentStatus.PUBLISHED)

    class Meta:
        verbose_name = _("Post")
        verbose_name_plural = _("Posts")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "-created_at"], name="post_feed_idx"),
            models.Index(fields=["subject_type", "subject_id"], name="post_subject_idx"),
        ]

    def __str__(self) -> str:
        return self.title


class PostLike(models.Model):
    """One like; the unique pair is the deduplication. Counts are folded into Post later."""

    # indexed as the first column of post_like_once: a second index on it would cost every like
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes", db_index=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_like_once")]

    def __str__(self) -> str:
        return f"{self.post} · {self.user}"


class Comment(TimeStampedModel):
    Status = ContentStatus

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments", verbose_name=_("Post"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("Author")
    )
    body = models.TextField(_("Comment"), max_length=2000)
    status = models.CharField(
        _("Status"), max_length=10, choices=ContentStatus.choices, default=ContentStatus.PUBLISHED
    )

    scope_org_field = "post__organisation"
    scope_owner_field = "author"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status=ContentStatus.PUBLISHED, post__status=ContentStatus.PUBLISHED)

    class Meta:
        verbose_name = _("Comment")
        verbose_name_plural = _("Comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:60]

    def audit_organisation(self):
        return self.post.organisation


class AbuseReport(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        UPHELD = "upheld", _("Upheld: content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Post"))
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports", verbose_name=_("Comment")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("Reporter")
    )
    reason = models.CharField(_("Reason"), max_length=500)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Decided by"),
    )
    decision_note = models.CharField(_("Note"), max_length=500, blank=True, default="")

    scope_org_field = "post__organisation"
    scope_owner_field = "reporter"

    class Meta:
        verbose_name = _("Abuse report")
        verbose_name_plural = _("Abuse reports")
        ordering = ["status", "-created_at"]

    def __str__(self) -> str:
        return str(self.comment or self.post)

    def audit_organisation(self):
        return self.post.organisation


_C = ContentStatus
Post.workflow = StateMachine(
    Post,
    "status",
    action="post",
    transitions=[
        Transition("hide", [_C.PUBLISHED], _C.HIDDEN, _("hid the post"), "community.moderate"),
        Transition("restore", [_C.HIDDEN], _C.PUBLISHED, _("restored the post"), "community.moderate"),
    ],
)
Comment.workflow = StateMachine(
    Comment,
    "status",
    action="comment",
    transitions=[
        Transition("hide", [_C.PUBLISHED], _C.HIDDEN, _("hid the comment"), "community.moderate"),
        Transition("restore", [_C.HIDDEN], _C.PUBLISHED, _("restored the comment"), "community.moderate"),
    ],
)
_R = AbuseReport.Status
AbuseReport.workflow = StateMachine(
    AbuseReport,
    "status",
    action="report",
    transitions=[
        Transition("uphold", [_R.OPEN], _R.UPHELD, _("upheld the report and hid the content"), "community.moderate"),
        Transition("dismiss", [_R.OPEN], _R.DISMISSED, _("dismissed the report"), "community.moderate"),
    ],
)
