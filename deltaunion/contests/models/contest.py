"""Contests, their stages, venues, trades and people's roles on a contest.

Shared by every contest format; only scoring differs by format (see formats.py).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deltaunion.core.models import TimeStampedModel
from deltaunion.core.statemachine import StateMachine, Transition
from deltaunion.orgs.models import Alliance, Organisation, Region
from deltaunion.people.models import Employer, SkillLevel
from deltaunion.workplans.models import KeyTask


class ContestFormat(models.TextChoices):
    JUDGED_SKILL = "judged_skill", _("Judged skill event")
    MERIT = "merit", _("Labour (merit) contest")
    QUIZ = "quiz", _("Online quiz")
    SUBMISSION = "submission", _("Submission review")
    POINTS = "points", _("Points campaign")


class ContestLevel(models.TextChoices):
    """How high a contest or stage sits (unit → city → region). Promotion rules key on it."""

    UNIT = "unit", _("Unit")
    DISTRICT = "district", _("District / county")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    REGION = "region", _("Yangtze River Delta region")
    NATIONAL = "national", _("National")


class TieBreak(models.TextChoices):
    """What separates equal totals, in the order a contest lists them."""

    MODULES_REVERSE = "modules_reverse", _("Module scores, last module first")
    MODULES = "modules", _("Module scores, first module first")
    THEORY = "theory", _("Theory score")
    PRACTICAL = "practical", _("Practical score")


class Trade(models.Model):
    """A trade (工种) with its national occupation code where known (e.g. 6-31-01-03)."""

    name = models.CharField(_("Trade"), max_length=100, unique=True)
    occupation_code = models.CharField(_("Occupation code"), max_length=20, blank=True, default="")

    scope_org_field = None

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Trade")
        verbose_name_plural = _("Trades")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.occupation_code})" if self.occupation_code else self.name


class Contest(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")
        # A contest the plans name that was not run on the platform: held (a source says so)
        # or not known.
        HELD = "held", _("Held")
        UNKNOWN = "unknown", _("Not known")

    class EntryKind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        TEAM = "team", _("Team")

    title = models.CharField(pgettext_lazy("heading", "Title"), max_length=200)
    format = models.CharField(
        _("Format"), max_length=16, choices=ContestFormat.choices, default=ContestFormat.JUDGED_SKILL
    )
    level = models.CharField(_("Level"), max_length=12, choices=ContestLevel.choices, default=ContestLevel.REGION)
    plan_tier = models.CharField(
        _("Work-plan tier"), max_length=16, choices=KeyTask.Tier.choices, blank=True, default=""
    )
    key_task = models.ForeignKey(
        KeyTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="contests", verbose_name=_("Key task")
    )
    lead_org = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_contests", verbose_name=_("Lead organiser")
    )
    # Who leads a contest without a key task, as its source names it (an alliance, a county union…).
    lead_note = models.CharField(_("Lead as the source names it"), max_length=200, blank=True, default="")
    co_organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="co_organised_contests", verbose_name=_("Co-organisers")
    )
    trades = models.ManyToManyField(Trade, blank=True, related_name="contests", verbose_name=_("Trades"))
    skill_level = models.PositiveSmallIntegerField(
        _("Skill level set at"), choices=SkillLevel.choices, null=True, blank=True
    )
    starts_on = models.DateField(_("Starts on"), null=True, blank=True)
    ends_on = models.DateField(_("Ends on"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(_("Description"), blank=True, default="")

    # Eligibility, checked on every entry.
    entry_kind = models.CharField(_("Entry kind"), max_length=12, choices=EntryKind.choices, default="individual")
    team_size_min = models.PositiveSmallIntegerField(_("Minimum team size"), default=1)
    team_size_max = models.PositiveSmallIntegerField(_("Maximum team size"), default=1)
    members_only = models.BooleanField(_("Union members only"), default=True)
    min_age = models.PositiveSmallIntegerField(_("Minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("Maximum age"), null=True, blank=True)
    # Skill levels run 1 (highest) .. 5; the range is [level_highest, level_lowest].
    level_highest = models.PositiveSmallIntegerField(
        _("Highest current skill level allowed"), choices=SkillLevel.choices, null=True, blank=True
    )
    level_lowest = models.PositiveSmallIntegerField(
        _("Lowest current skill level allowed"), choices=SkillLevel.choices, null=True, blank=True
    )
    # The contest's region: GB/T 2260 code prefixes ("31", "3205") and/or an alliance.
    region_prefixes = models.JSONField(_("Region code prefixes"), default=list, blank=True)
    region_alliance = models.ForeignKey(
        Alliance, null=True, blank=True, on_delete=models.PROTECT, related_name="contests", verbose_name=_("Alliance")
    )

    # Marking and results settings.
    theory_weight = models.DecimalField(_("Theory weight"), max_digits=4, decimal_places=3, default=Decimal("0.300"))
    practical_weight = models.DecimalField(
        _("Practical weight"), max_digits=4, decimal_places=3, default=Decimal("0.700")
    )
    tie_breaks = models.JSONField(_("Tie-breaks"), default=list, blank=True)
    standardise = models.BooleanField(_("Standardised score"), default=False)
    conflict_same_city = models.BooleanField(_("Judges never mark competitors of their own city"), default=False)
    judges_min = models.PositiveSmallIntegerField(_("Judges per judgement aspect"), default=3)
    appeal_window_minutes = models.PositiveIntegerField(_("Appeal window (minutes)"), default=120)
    notice_days = models.PositiveSmallIntegerField(_("Public notice period (days)"), default=7)
    recheck_top = models.PositiveSmallIntegerField(_("Re-check: top places"), default=10)
    recheck_share = models.DecimalField(
        _("Re-check: share of the rest"), max_digits=4, decimal_places=3, default=Decimal("0.150")
    )
    recheck_error_limit = models.DecimalField(
        _("Re-check: error rate forcing a full re-check"), max_digits=4, decimal_places=3, default=Decimal("0.050")
    )
    is_demo = models.BooleanField(_("Demo data"), default=False)
    source = models.CharField(_("Source"), max_length=255, blank=True, default="")
    # Settings no source gives ("format", "level", "weights"): shown as 待定 until an organiser
    # changes them (saving a changed value drops it from the list).
    unknown_settings = models.JSONField(_("Settings not known yet"), default=list, blank=True)

    scope_org_field = "lead_org"
    # History: the tie-breaks are codes in a JSON list.
    audit_choices = {"tie_breaks": TieBreak.choices}

    # The settings an officer may give when creating a contest (and change later).
    SETTINGS = (
        "description",
        "skill_level",
        "starts_on",
        "ends_on",
        "plan_tier",
        "entry_kind",
        "team_size_min",
        "team_size_max",
        "members_only",
        "min_age",
        "max_age",
        "level_highest",
        "level_lowest",
        "region_prefixes",
        "region_alliance",
        "theory_weight",
        "practical_weight",
        "tie_breaks",
        "standardise",
        "conflict_same_city",
        "judges_min",
        "appeal_window_minutes",
        "notice_days",
        "recheck_top",
        "recheck_share",
        "recheck_error_limit",
        "is_demo",
        "source",
    )

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return ~models.Q(status=cls.Status.DRAFT)

    class Meta:
        verbose_name = _("Contest")
        verbose_name_plural = _("Contests")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(theory_weight__gte=0, theory_weight__lte=1, practical_weight__gte=0)
                & models.Q(practical_weight__lte=1),
                name="contest_weights_range",
            ),
            models.CheckConstraint(
                condition=models.Q(team_size_min__gte=1, team_size_max__gte=models.F("team_size_min")),
                name="contest_team_size_range",
            ),
            models.CheckConstraint(
                condition=models.Q(min_age__isnull=True)
                | models.Q(max_age__isnull=True)
                | models.Q(min_age__lte=models.F("max_age")),
                name="contest_age_range",
            ),
            models.CheckConstraint(
                condition=models.Q(level_highest__isnull=True)
                | models.Q(level_lowest__isnull=True)
                | models.Q(level_highest__lte=models.F("level_lowest")),
                name="contest_level_range",
            ),
            models.CheckConstraint(condition=models.Q(judges_min__gte=3), name="contest_judges_min"),
            models.CheckConstraint(
                condition=models.Q(recheck_share__gte=0, recheck_share__lte=1), name="contest_recheck_share"
            ),
        ]
        indexes = [models.Index(fields=["format", "status"], name="contest_format_status_idx")]

    def __str__(self) -> str:
        return self.title

    def audit_organisation(self) -> Organisation:
        return self.lead_org

    # --- what is known: one source of truth for lead and tier (the key task), 待定 for the rest

    _SETTING_FIELDS = {"format": ("format",), "level": ("level",), "weights": ("theory_weight", "practical_weight")}

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Contest:
        obj = super().from_db(db, field_names, values)
        obj._loaded_settings = {
            name: obj.__dict__[name] for names in cls._SETTING_FIELDS.values() for name in names if name in obj.__dict__
        }
        return obj

    def save(self, *args: Any, **kwargs: Any) -> None:
        loaded = getattr(self, "_loaded_settings", None)
        if self.unknown_settings and loaded:
            changed = {
                key
                for key, names in self._SETTING_FIELDS.items()
                if any(n in loaded and getattr(self, n) != loaded[n] for n in names)
            }
            if changed:
                self.unknown_settings = [k for k in self.unknown_settings if k not in changed]
                if kwargs.get("update_fields") is not None:
                    kwargs["update_fields"] = [*kwargs["update_fields"], "unknown_settings"]
        super().save(*args, **kwargs)
        self._loaded_settings = {n: getattr(self, n) for names in self._SETTING_FIELDS.values() for n in names}

    def _known(self, key: str) -> bool:
        return key not in (self.unknown_settings or [])

    @property
    def format_label(self) -> str:
        return str(self.get_format_display()) if self._known("format") else str(_("To be decided"))

    @property
    def level_label(self) -> str:
        return str(self.get_level_display()) if self._known("level") else str(_("To be decided"))

    @property
    def weights_known(self) -> bool:
        return self._known("weights")

    @property
    def tier(self) -> str:
        """The work-plan tier: the key task's when there is one."""
        return self.key_task.tier if self.key_task_id else self.plan_tier

    @property
    def tier_label(self) -> str:
        return str(KeyTask.Tier(self.tier).label) if self.tier else ""

    @property
    def lead_label(self) -> str:
        """The lead as the sources give it: the key task's lead when there is a key task (未明确
        when it names none), else the lead the contest's source names, else its organiser."""
        if self.key_task_id:
            task = self.key_task
            if task.lead_org_id:
                return task.lead_org.name
            if task.lead_alliance_id:
                return task.lead_alliance.name
            return task.lead_note or str(_("Not specified"))
        return self.lead_note or self.lead_org.name


class Venue(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="venues", verbose_name=_("Contest"))
    name = models.CharField(_("Venue"), max_length=120)
    address = models.CharField(_("Address"), max_length=255, blank=True, default="")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("Region"))

    scope_org_field = "contest__lead_org"

    class Meta:
        verbose_name = _("Venue")
        verbose_name_plural = _("Venues")
        ordering = ["contest", "name"]
        constraints = [models.UniqueConstraint(fields=["contest", "name"], name="venue_unique_name")]

    def __str__(self) -> str:
        return self.name


class Stage(TimeStampedModel):
    """One round of a contest (unit → city → region). Stages feed each other by qualification."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        REGISTRATION = "registration", _("Registration open")
        CHECKIN = "checkin", _("Check-in")
        MARKING = "marking", _("Marking")
        REVEALED = "revealed", _("Revealed")
        NOTICE = "notice", _("Public notice")
        FINAL = "final", _("Final")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="stages", verbose_name=_("Contest"))
    order = models.PositiveSmallIntegerField(_("Order"))
    name = models.CharField(_("Name"), max_length=120)
    level = models.CharField(_("Level"), max_length=12, choices=ContestLevel.choices)
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("Venue"))
    starts_at = models.DateTimeField(_("Starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("Ends at"), null=True, blank=True)
    status = models.CharField(_("Status"), max_length=14, choices=Status.choices, default=Status.PLANNED)
    theory_max = models.DecimalField(_("Theory full marks"), max_digits=7, decimal_places=2, default=Decimal("100"))
    board_frozen = models.BooleanField(_("Board frozen"), default=False)
    sealed_at = models.DateTimeField(_("Sealed at"), null=True, blank=True)
    sealed_digest = models.CharField(_("Seal digest"), max_length=64, blank=True, default="")
    revealed_at = models.DateTimeField(_("Revealed at"), null=True, blank=True)
    revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("Revealed by"),
    )

    scope_org_field = "contest__lead_org"
    # History: what the services record on a stage besides its fields.
    audit_labels = {
        "entries": _("Entries"),
        "sending_union": _("Sending union"),
        "created": _("Entries added"),
        "from_stage": _("Qualified from"),
        "qualified": _("Qualifiers"),
    }
    audit_hidden = ("sealed_digest",)

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return ~models.Q(contest__status=Contest.Status.DRAFT)

    class Meta:
        verbose_name = _("Stage")
        verbose_name_plural = _("Stages")
        ordering = ["contest", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "order"], name="stage_unique_order"),
            models.CheckConstraint(condition=models.Q(theory_max__gt=0), name="stage_theory_max_positive"),
            models.CheckConstraint(
                condition=models.Q(starts_at__isnull=True)
                | models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="stage_dates_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contest} · {self.name}"

    def audit_organisation(self) -> Organisation:
        return self.contest.lead_org

    @property
    def status_label(self) -> str:
        """The state as users say it: a stage whose results are final and whose last day is
        over has finished (已结束)."""
        end = self.ends_at or self.starts_at
        if self.status == self.Status.FINAL and (end is None or end <= timezone.now()):
            return str(Contest.Status.FINISHED.label)
        return str(self.get_status_display())


class ContestRole(TimeStampedModel):
    """A user's role on one contest. Judges carry the employer and city used for conflicts."""

    class Kind(models.TextChoices):
        ORGANISER = "organiser", _("Organiser")
        CHIEF_JUDGE = "chief_judge", _("Chief judge")
        JUDGE = "judge", _("Judge")
        ARBITER = "arbiter", _("Arbiter")
        DECRYPTOR = "decryptor", _("Decryptor")

    # The roles that mark (and may be assigned to modules).
    JUDGING = (Kind.JUDGE, Kind.CHIEF_JUDGE)

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="roles", verbose_name=_("Contest"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_roles", verbose_name=_("User")
    )
    role = models.CharField(_("Role"), max_length=12, choices=Kind.choices)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Employer")
    )
    city = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("City")
    )

    scope_org_field = "contest__lead_org"
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("Contest role")
        verbose_name_plural = _("Contest roles")
        constraints = [models.UniqueConstraint(fields=["contest", "user", "role"], name="contest_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


_C = Contest.Status
Contest.workflow = StateMachine(
    Contest,
    "status",
    action="contest",
    transitions=[
        Transition("open", [_C.DRAFT, _C.UNKNOWN], _C.OPEN, _("opened the contest"), "contests.manage_contest"),
        Transition("unpublish", [_C.OPEN], _C.DRAFT, _("took the contest back to draft"), "contests.manage_contest"),
        Transition(
            "start", [_C.DRAFT, _C.OPEN, _C.UNKNOWN], _C.RUNNING, _("started the contest"), "contests.manage_contest"
        ),
        Transition(
            "finish", [_C.DRAFT, _C.OPEN, _C.RUNNING], _C.FINISHED, _("finished the contest"), "contests.manage_contest"
        ),
        Transition("reopen", [_C.FINISHED], _C.RUNNING, _("reopened the contest"), "contests.manage_contest"),
        Transition(
            "cancel",
            [_C.DRAFT, _C.OPEN, _C.RUNNING, _C.UNKNOWN],
            _C.CANCELLED,
            _("cancelled the contest"),
            "contests.manage_contest",
        ),
        Transition("restore", [_C.CANCELLED], _C.DRAFT, _("restored the cancelled contest"), "contests.manage_contest"),
        Transition(
            "record_held",
            [_C.DRAFT, _C.OPEN, _C.UNKNOWN],
            _C.HELD,
            _("recorded that the contest was held"),
            "contests.manage_contest",
        ),
        Transition(
            "record_unknown",
            [_C.DRAFT, _C.OPEN],
            _C.UNKNOWN,
            _("recorded that it is not known whether the contest was held"),
            "contests.manage_contest",
        ),
    ],
)

_S = Stage.Status
# Stage states that mean the contest is under way (entries closed, competing, results pending).
_UNDER_WAY = (_S.CHECKIN, _S.MARKING, _S.REVEALED, _S.NOTICE, _S.FINAL)


def _day(value: Any) -> Any:
    return timezone.localdate(value) if value is not None else None


def contest_status_from_stages(contest: Contest, today: Any = None) -> str | None:
    """The status a contest's stages and dates give it, or None when they say nothing: no
    stages yet, or a contest that is a draft, cancelled, or a record of the plans (held, not
    known). Every stage final and the last day over: finished; a stage checked in or beyond:
    running; a stage open for registration: open."""
    if contest.status in (_C.DRAFT, _C.CANCELLED, _C.HELD, _C.UNKNOWN):
        return None
    stages = list(Stage.objects.filter(contest=contest).only("status", "starts_at", "ends_at"))
    if not stages:
        return None
    today = today or timezone.localdate()
    states = {s.status for s in stages}
    if states == {_S.FINAL}:
        days = [_day(s.ends_at or s.starts_at) for s in stages if s.ends_at or s.starts_at]
        days += [contest.ends_on] if contest.ends_on else []
        return _C.FINISHED if not days or max(days) <= today else _C.RUNNING
    if states & set(_UNDER_WAY):
        return _C.RUNNING
    if _S.REGISTRATION in states:
        return _C.OPEN
    return None


def contest_follow_stages(contest: Contest, by: Any, today: Any = None) -> Contest:
    """Move the contest to the status its stages give it, through its declared transitions (a
    system step, audited as the person whose action caused it); nothing when there is no
    declared way there (a running contest does not go back to open)."""
    contest = Contest.objects.get(pk=contest.pk)
    wanted = contest_status_from_stages(contest, today)
    if wanted is None or wanted == contest.status or Contest.workflow.find(contest.status, wanted) is None:
        return contest
    return Contest.workflow.fire(contest, to=wanted, by=by, system=True)


def _stage_fired(stage: Stage, transition: Transition, by: Any) -> None:
    contest_follow_stages(stage.contest, by)


Stage.workflow = StateMachine(
    Stage,
    "status",
    action="stage",
    on_fired=_stage_fired,
    transitions=[
        Transition(
            "open_registration", [_S.PLANNED], _S.REGISTRATION, _("opened registration"), "contests.manage_contest"
        ),
        Transition(
            "close_registration", [_S.REGISTRATION], _S.PLANNED, _("closed registration"), "contests.manage_contest"
        ),
        Transition("open_checkin", [_S.REGISTRATION], _S.CHECKIN, _("opened check-in"), "contests.manage_contest"),
        Transition(
            "reopen_registration", [_S.CHECKIN], _S.REGISTRATION, _("reopened registration"), "contests.manage_contest"
        ),
        Transition(
            "seal", [_S.CHECKIN], _S.MARKING, _("drew the secret numbers and sealed them"), "contests.manage_contest"
        ),
        Transition("reveal", [_S.MARKING], _S.REVEALED, _("revealed the names"), "contests.reveal_stage"),
        Transition(
            "publish", [_S.REVEALED], _S.NOTICE, _("put the results on public notice"), "contests.manage_contest"
        ),
        Transition(
            "withdraw_results", [_S.NOTICE], _S.REVEALED, _("took the results off notice"), "contests.manage_contest"
        ),
        Transition("finalise", [_S.NOTICE], _S.FINAL, _("made the results final"), "contests.manage_contest"),
    ],
)

# The stage transitions an officer takes by hand; the later ones follow from the draw, the
# reveal, publication and finalisation (their services fire them).
STAGE_STEPS_BY_HAND = ("open_registration", "close_registration", "open_checkin", "reopen_registration")
