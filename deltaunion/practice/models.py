"""Online practice (网上练兵): question banks, free practice, the wrong-answer book, quizzes.

A quiz is a format of the contest engine: it belongs to a `contests.Contest` of format
`quiz`. PostgreSQL (or SQLite) is the source of truth for every score; Redis only mirrors it
as sorted sets (`core.leaderboards`, the "quiz" kind of board registered in apps.py).
`BoardDims` is the participant's place on the higher boards, shared with points campaigns.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.contests.models import Contest, Stage
from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
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
        return str(self.question)

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
    # The paper rules are data for the paper drawer; their changes are not history sentences.
    audit_hidden = ("draw_rules",)

    def is_public(self) -> bool:
        """Anyone may see (and sit) the quiz: neither it nor its contest is a draft. Until then
        only the contest's managers see it (`practice.view_quiz`)."""
        return self.status != self.Status.DRAFT and self.contest.status != Contest.Status.DRAFT

    @classmethod
    def scope_public_q(cls) -> Q:
        """`is_public` as a query, for lists."""
        return ~Q(status=cls.Status.DRAFT) & ~Q(contest__status=Contest.Status.DRAFT)

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

    def get_absolute_url(self) -> str:
        return reverse("practice:quiz_detail", args=[self.pk])

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
    """A worker in a quiz: their best attempt (score, then less time) and today's attempt count.

    No index holds the best (score, time, on_board): an answer that raises it — nearly every
    right answer of a first attempt — is then a HOT update on PostgreSQL, one new row version
    on the same page and no entry in any index, with the table's pages kept 15 % free for it
    (fillfactor 85, migration 0003). The boards are ranked in Redis; without Redis they read
    the quiz's rows through quiz_participant_once (benchmarks/README.md, ninth pass)."""

    def __str__(self) -> str:
        return f"{self.quiz_id} × {self.user_id}"

    # indexed as the first column of quiz_participant_once
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="participants", db_index=False)
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


class QuizAttempt(models.Model):
    """One sitting of a quiz. `paper` is the drawn paper as the worker sees it:
    [{"q": question id, "perm": [original option index for each shown position]}];
    `key` is the answer key in shown positions and never leaves the server."""

    def __str__(self) -> str:
        return f"{self.quiz_id} × {self.user_id} @ {self.started_at:%Y-%m-%d %H:%M}"

    # indexed as the first column of quiz_attempt_user_idx
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts", db_index=False)
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

    # indexed as the first column of quiz_answer_once: a second index on it would cost every answer
    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers", db_index=False)
    question_id = models.IntegerField()
    response = models.JSONField(null=True)
    correct = models.BooleanField()
    points = models.IntegerField(default=0)
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["attempt", "question_id"], name="quiz_answer_once")]


def _no_attempts_yet(quiz: Quiz) -> str | None:
    if quiz.attempts.exists():
        return _("Workers have already sat this quiz; it can no longer go back to draft")
    return None


_S = Quiz.Status
Quiz.workflow = StateMachine(
    Quiz,
    "status",
    action="quiz",
    transitions=[
        Transition("open", [_S.DRAFT], _S.OPEN, _("opened the quiz"), "practice.manage_quiz"),
        Transition("close", [_S.OPEN], _S.CLOSED, _("closed the quiz"), "practice.manage_quiz"),
        Transition("reopen", [_S.CLOSED], _S.OPEN, _("reopened the quiz"), "practice.manage_quiz"),
        Transition(
            "withdraw", [_S.OPEN], _S.DRAFT, _("took the quiz back to draft"), "practice.manage_quiz", _no_attempts_yet
        ),
    ],
)
