"""Online practice (网上练兵): question banks, quizzes, points campaigns, posts.

Quizzes and points campaigns are two formats of the contest engine: each belongs to a
`contests.Contest` of format `quiz` or `points`. PostgreSQL (or SQLite) is the source of
truth for every score; Redis only mirrors it as sorted sets (see leaderboards.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.contests.models import Contest, Stage
from deltaunion.core.models import TimeStampedModel
from deltaunion.orgs.models import Organisation
from deltaunion.people.models import Employer


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "truefalse", _("True or false")
    FILL = "fill", _("Fill in the blank")


class Difficulty(models.IntegerChoices):
    EASY = 1, _("Easy")
    MEDIUM = 2, _("Medium")
    HARD = 3, _("Hard")


class QuestionBank(TimeStampedModel):
    """A bank of questions for a trade, owned by a union; published banks are open to every worker."""

    name = models.CharField(_("Name"), max_length=200)
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="question_banks", verbose_name=_("Owner")
    )
    trade = models.CharField(_("Trade"), max_length=100, blank=True, default="")
    occupation_code = models.CharField(_("National occupation code"), max_length=20, blank=True, default="")
    description = models.TextField(_("Description"), blank=True, default="")
    published = models.BooleanField(_("Open for practice"), default=True)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "owner"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(published=True)

    class Meta:
        verbose_name = _("Question bank")
        verbose_name_plural = _("Question banks")
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="bank_unique_name_in_owner")]

    def __str__(self) -> str:
        return self.name


class Question(TimeStampedModel):
    """One question. `answer` holds the key in terms of `options` as written:
    a list of indices (choice), a boolean (true/false) or a list of accepted strings (fill)."""

    bank = models.ForeignKey(QuestionBank, on_delete=models.CASCADE, related_name="questions")
    topic = models.CharField(_("Topic"), max_length=100)
    kind = models.CharField(_("Question type"), max_length=10, choices=QuestionKind.choices)
    difficulty = models.PositiveSmallIntegerField(_("Difficulty"), choices=Difficulty.choices, default=1)
    stem = models.TextField(_("Question"))
    options = models.JSONField(_("Options"), default=list, blank=True)
    answer = models.JSONField(_("Answer"))
    explanation = models.TextField(_("Explanation"), blank=True, default="")
    fingerprint = models.CharField(_("Fingerprint"), max_length=64, editable=False)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "bank__owner"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(bank__published=True)

    class Meta:
        verbose_name = _("Question")
        verbose_name_plural = _("Questions")
        ordering = ["bank", "topic", "id"]
        indexes = [models.Index(fields=["bank", "topic", "difficulty"], name="question_draw_idx")]
        constraints = [
            models.UniqueConstraint(fields=["bank", "fingerprint"], name="question_unique_in_bank"),
            models.CheckConstraint(condition=Q(difficulty__gte=1, difficulty__lte=3), name="question_difficulty"),
        ]

    def __str__(self) -> str:
        return self.stem[:60]


class WrongAnswer(models.Model):
    """The worker's book of wrong answers (错题本): one row per question they got wrong."""

    def __str__(self) -> str:
        return f"{self.user_id} × {self.question_id}"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wrong_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    times_wrong = models.PositiveIntegerField(_("Times wrong"), default=1)
    last_response = models.JSONField(_("Last answer"), null=True, blank=True)
    last_wrong_at = models.DateTimeField(_("Last wrong at"))
    mastered = models.BooleanField(_("Mastered"), default=False)

    scope_org_field = None
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("Wrong answer")
        verbose_name_plural = _("Wrong answers")
        ordering = ["mastered", "-last_wrong_at"]
        constraints = [models.UniqueConstraint(fields=["user", "question"], name="wrong_answer_once")]


class PracticeAnswer(models.Model):
    """Free practice: one row per answer (counts for statistics)."""

    def __str__(self) -> str:
        return f"{self.user_id} × {self.question_id}"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    correct = models.BooleanField()
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["user", "-answered_at"], name="practice_answer_user_idx")]


class Quiz(TimeStampedModel):
    """An online quiz: a contest of the quiz format (optionally one stage of a contest,
    whose theory part it then feeds). `draw_rules` is a list of
    {"topic": str | "", "difficulty": int | null, "count": int}."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", pgettext_lazy("quiz status", "Open")
        CLOSED = "closed", _("Closed")

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="quizzes", verbose_name=_("Contest"))
    stage = models.ForeignKey(
        Stage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="quizzes",
        verbose_name=_("Feeds the theory score of stage"),
    )
    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="quizzes", verbose_name=_("Bank"))
    draw_rules = models.JSONField(_("Paper rules"), default=list)
    points_per_question = models.PositiveSmallIntegerField(_("Points per question"), default=10)
    time_limit_seconds = models.PositiveIntegerField(_("Time limit (seconds)"), default=600)
    attempts_per_day = models.PositiveSmallIntegerField(_("Attempts per day"), default=3)
    opens_at = models.DateTimeField(_("Opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("Closes at"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "contest__lead_org"

    @classmethod
    def scope_public_q(cls) -> Q:
        return ~Q(status="draft")

    class Meta:
        verbose_name = _("Quiz")
        verbose_name_plural = _("Quizzes")
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(time_limit_seconds__gte=10), name="quiz_time_limit_min"),
            models.CheckConstraint(condition=Q(attempts_per_day__gte=1), name="quiz_attempts_min"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def question_count(self) -> int:
        return sum(int(r.get("count") or 0) for r in self.draw_rules or [])

    @property
    def max_score(self) -> int:
        return self.question_count * self.points_per_question


class BoardDims(models.Model):
    """Where a participant sits on the higher boards (team, employer unit, city, province),
    copied when they join so that every board can be rebuilt with one GROUP BY."""

    team_key = models.CharField(_("Team"), max_length=32, blank=True, default="")
    unit = models.ForeignKey(Employer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    city_code = models.CharField(_("City"), max_length=6, blank=True, default="")
    province_code = models.CharField(_("Province"), max_length=6, blank=True, default="")
    on_board = models.BooleanField(default=False, help_text="Has scored at least once, so is on the boards")

    class Meta:
        abstract = True


class QuizParticipant(BoardDims):
    """A worker in a quiz: their best attempt (score, then less time) and today's attempt count."""

    def __str__(self) -> str:
        return f"{self.quiz_id} × {self.user_id}"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_participations")
    best_score = models.IntegerField(_("Best score"), default=0)
    best_time_ms = models.BigIntegerField(_("Time used (ms)"), default=0)
    best_attempt = models.ForeignKey("QuizAttempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attempts = models.PositiveIntegerField(_("Attempts"), default=0)
    day = models.DateField(_("Day"), null=True, blank=True)
    attempts_on_day = models.PositiveSmallIntegerField(default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    scope_org_field = "organisation"
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("Quiz participant")
        verbose_name_plural = _("Quiz participants")
        constraints = [models.UniqueConstraint(fields=["quiz", "user"], name="quiz_participant_once")]
        indexes = [models.Index(fields=["quiz", "-best_score", "best_time_ms"], name="quiz_board_idx")]


class QuizAttempt(models.Model):
    """One sitting of a quiz. `paper` is the drawn paper as the worker sees it:
    [{"q": question id, "perm": [original option index for each shown position]}];
    `key` is the answer key in shown positions and never leaves the server."""

    def __str__(self) -> str:
        return f"{self.quiz_id} × {self.user_id} @ {self.started_at:%Y-%m-%d %H:%M}"

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    seed = models.CharField(_("Seed"), max_length=32)
    paper = models.JSONField(default=list)
    key = models.JSONField(default=dict)
    started_at = models.DateTimeField(_("Started at"))
    deadline = models.DateTimeField(_("Deadline"))
    finished_at = models.DateTimeField(_("Finished at"), null=True, blank=True)
    score = models.IntegerField(_("Score"), default=0)
    answered = models.PositiveSmallIntegerField(_("Answered"), default=0)
    questions = models.PositiveSmallIntegerField(_("Questions"), default=0)
    time_used_ms = models.BigIntegerField(_("Time used (ms)"), default=0)

    scope_org_field = None
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("Quiz attempt")
        verbose_name_plural = _("Quiz attempts")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["quiz", "user", "-started_at"], name="quiz_attempt_user_idx")]


class QuizAnswer(models.Model):
    """One answer in an attempt; the unique constraint makes a client's retry count once."""

    def __str__(self) -> str:
        return f"{self.attempt_id} × {self.question_id}"

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.IntegerField()
    response = models.JSONField(null=True)
    correct = models.BooleanField()
    points = models.IntegerField(default=0)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question_id"], name="quiz_answer_once")]


class Campaign(TimeStampedModel):
    """A points campaign (积分赛): a contest of the points format whose rules are data."""

    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="campaigns", verbose_name=_("Contest"))
    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    starts_on = models.DateField(_("Starts on"))
    ends_on = models.DateField(_("Ends on"))
    max_points = models.PositiveIntegerField(_("Total points available"), null=True, blank=True)
    open_to_join = models.BooleanField(_("Workers may join themselves"), default=True)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "contest__lead_org"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Points campaign")
        verbose_name_plural = _("Points campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="campaign_dates")]

    def __str__(self) -> str:
        return self.title


class CampaignRule(models.Model):
    """One way to earn points. Caps are in points; empty means no cap."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("Code"), max_length=40)
    name = models.CharField(_("Name"), max_length=100)
    points = models.PositiveIntegerField(_("Points each time"))
    once_only = models.BooleanField(_("Once only"), default=False)
    per_day_cap = models.PositiveIntegerField(_("Cap per day"), null=True, blank=True)
    per_week_cap = models.PositiveIntegerField(_("Cap per week"), null=True, blank=True)
    total_cap = models.PositiveIntegerField(_("Total cap"), null=True, blank=True)
    value_label = models.CharField(
        _("Measured value"), max_length=40, blank=True, default="", help_text=_("e.g. weight (kg); empty if none")
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("Points rule")
        verbose_name_plural = _("Points rules")
        ordering = ["campaign", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="campaign_rule_code")]

    def __str__(self) -> str:
        return self.name


class CampaignTeam(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("Team name"), max_length=100)
    captain = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        verbose_name = _("Team")
        verbose_name_plural = _("Teams")
        ordering = ["campaign", "name"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="campaign_team_name")]

    def __str__(self) -> str:
        return self.name


class CampaignMember(BoardDims):
    def __str__(self) -> str:
        return f"{self.campaign_id} × {self.user_id}"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="campaign_memberships")
    team = models.ForeignKey(CampaignTeam, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")
    points = models.IntegerField(_("Points"), default=0)
    joined_at = models.DateTimeField(auto_now_add=True)

    scope_org_field = "organisation"
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("Campaign member")
        verbose_name_plural = _("Campaign members")
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="campaign_member_once")]
        indexes = [models.Index(fields=["campaign", "-points"], name="campaign_board_idx")]


class PointAward(models.Model):
    """Points for one logged action. `source_key` names the source event (a client-generated
    id or e.g. "quiz-attempt:12"): the same event never earns twice."""

    def __str__(self) -> str:
        return f"{self.source_key}: {self.points}"

    member = models.ForeignKey(CampaignMember, on_delete=models.CASCADE, related_name="awards")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(CampaignRule, on_delete=models.PROTECT, related_name="awards")
    source_key = models.CharField(_("Source event"), max_length=80)
    occurred_on = models.DateField(_("Date"))
    value = models.DecimalField(_("Measured value"), max_digits=8, decimal_places=2, null=True, blank=True)
    points = models.IntegerField(_("Points"))
    requested = models.IntegerField(_("Points before caps"))
    note = models.CharField(_("Note"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Points award")
        verbose_name_plural = _("Points awards")
        ordering = ["-occurred_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "source_key"], name="award_once_per_event")]
        indexes = [models.Index(fields=["member", "rule", "occurred_on"], name="award_member_rule_idx")]


class Post(TimeStampedModel):
    class Kind(models.TextChoices):
        NEWS = "news", _("News")
        SKILL = "skill", _("Skill tip")
        RESULT = "result", pgettext_lazy("post kind", "Result")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HIDDEN = "hidden", _("Hidden by a moderator")

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="posts")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="posts", verbose_name=_("Union")
    )
    contest = models.ForeignKey(
        Contest, null=True, blank=True, on_delete=models.SET_NULL, related_name="posts", verbose_name=_("Contest")
    )
    kind = models.CharField(_("Kind"), max_length=8, choices=Kind.choices, default=Kind.SKILL)
    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    body = models.TextField(pgettext_lazy("post", "Text"))
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    like_count = models.PositiveIntegerField(_("Likes"), default=0)
    comment_count = models.PositiveIntegerField(_("Comments"), default=0)
    is_demo = models.BooleanField(_("Demo data"), default=False)

    scope_org_field = "organisation"
    scope_owner_field = "author"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status="published")

    class Meta:
        verbose_name = _("Post")
        verbose_name_plural = _("Posts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-created_at"], name="post_feed_idx")]

    def __str__(self) -> str:
        return self.title


class PostLike(models.Model):
    """One like; the unique pair is the deduplication. Counts are folded into Post later."""

    def __str__(self) -> str:
        return f"{self.post_id} × {self.user_id}"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="post_like_once")]


class Comment(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("Comment"), max_length=2000)
    status = models.CharField(_("Status"), max_length=10, choices=Post.Status.choices, default=Post.Status.PUBLISHED)

    scope_org_field = "post__organisation"
    scope_owner_field = "author"

    @classmethod
    def scope_public_q(cls) -> Q:
        return Q(status="published", post__status="published")

    class Meta:
        verbose_name = _("Comment")
        verbose_name_plural = _("Comments")
        ordering = ["created_at", "id"]

    def audit_organisation(self):
        return self.post.organisation


class AbuseReport(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("report status", "Open")
        UPHELD = "upheld", _("Upheld: content hidden")
        DISMISSED = "dismissed", _("Dismissed")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("Reason"), max_length=500)
    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.CharField(_("Note"), max_length=500, blank=True, default="")

    scope_org_field = "post__organisation"
    scope_owner_field = "reporter"

    class Meta:
        verbose_name = _("Abuse report")
        verbose_name_plural = _("Abuse reports")
        ordering = ["status", "-created_at"]

    def audit_organisation(self):
        return self.post.organisation


class CounterSlot(models.Model):
    """Pending counter increments without Redis: 16 slots per object so that concurrent likes
    touch different rows; `fold_counters` moves them into the object's column."""

    def __str__(self) -> str:
        return f"{self.name}:{self.object_id}:{self.slot}"

    name = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    slot = models.PositiveSmallIntegerField()
    delta = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "object_id", "slot"], name="counter_slot_unique")]
