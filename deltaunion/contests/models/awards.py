"""Prize tiers, titles and promotion rules (all data), awards given and certificates."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.people.models import SkillLevel, Worker

from .contest import Contest, ContestLevel
from .registration import Registration
from .results import ResultSet


class PrizeTier(models.Model):
    """A prize by rank (`rank_to`) or by share of competitors (`share`, cumulative from the top).
    Tiers apply in `order`; a competitor gets the first tier that covers their rank."""

    class Kind(models.TextChoices):
        FIRST = "first", _("First prize")
        SECOND = "second", _("Second prize")
        THIRD = "third", _("Third prize")
        EXCELLENCE = "excellence", _("Excellence award")
        OTHER = "other", _("Other prize")

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="prize_tiers", verbose_name=_("Contest")
    )
    order = models.PositiveSmallIntegerField(_("Order"))
    kind = models.CharField(_("Kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("Prize"), max_length=60)
    rank_to = models.PositiveIntegerField(_("Up to rank"), null=True, blank=True)
    share = models.DecimalField(_("Up to share of competitors"), max_digits=4, decimal_places=3, null=True, blank=True)

    scope_org_field = "contest__lead_org"

    class Meta:
        verbose_name = _("Prize tier")
        verbose_name_plural = _("Prize tiers")
        ordering = ["contest", "order"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "order"], name="prize_tier_unique_order"),
            models.CheckConstraint(
                condition=(models.Q(rank_to__isnull=False) & models.Q(share__isnull=True))
                | (models.Q(rank_to__isnull=True) & models.Q(share__gt=0) & models.Q(share__lte=1)),
                name="prize_tier_rank_xor_share",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TitleRule(models.Model):
    """Ranks rank_from..rank_to earn a title (e.g. 技术能手, technical expert)."""

    contest = models.ForeignKey(
        Contest, on_delete=models.CASCADE, related_name="title_rules", verbose_name=_("Contest")
    )
    rank_from = models.PositiveIntegerField(_("From rank"), default=1)
    rank_to = models.PositiveIntegerField(_("To rank"))
    title = models.CharField(_("Title"), max_length=100)

    scope_org_field = "contest__lead_org"

    class Meta:
        verbose_name = _("Title rule")
        verbose_name_plural = _("Title rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rank_from__gte=1, rank_to__gte=models.F("rank_from")), name="title_rule_ranks"
            )
        ]

    def __str__(self) -> str:
        return self.title


class PromotionRule(models.Model):
    """Rank range × stage level × current skill level → new skill level (1 is highest).

    `contest` empty = a rule for every contest; a contest's own rules win over general ones.
    `current_level` empty = any current level (including none)."""

    contest = models.ForeignKey(
        Contest,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="promotion_rules",
        verbose_name=_("Contest"),
    )
    level = models.CharField(_("Contest level"), max_length=12, choices=ContestLevel.choices)
    rank_from = models.PositiveIntegerField(_("From rank"), default=1)
    rank_to = models.PositiveIntegerField(_("To rank"))
    current_level = models.PositiveSmallIntegerField(
        _("Current skill level"), choices=SkillLevel.choices, null=True, blank=True
    )
    new_level = models.PositiveSmallIntegerField(_("New skill level"), choices=SkillLevel.choices)

    scope_org_field = None

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Promotion rule")
        verbose_name_plural = _("Promotion rules")
        ordering = ["level", "rank_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rank_from__gte=1, rank_to__gte=models.F("rank_from")), name="promotion_rule_ranks"
            ),
            models.CheckConstraint(condition=models.Q(new_level__gte=1, new_level__lte=5), name="promotion_rule_level"),
            models.CheckConstraint(
                condition=models.Q(current_level__isnull=True) | models.Q(new_level__lt=models.F("current_level")),
                name="promotion_rule_goes_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.rank_from}–{self.rank_to} → {self.get_new_level_display()}"


class Award(models.Model):
    """What a competitor earned from a final result set. Created once when it becomes final."""

    result_set = models.ForeignKey(
        ResultSet, on_delete=models.PROTECT, related_name="awards", verbose_name=_("Result set")
    )
    contest = models.ForeignKey(Contest, on_delete=models.PROTECT, related_name="awards", verbose_name=_("Contest"))
    registration = models.ForeignKey(
        Registration, on_delete=models.PROTECT, related_name="awards", verbose_name=_("Registration")
    )
    worker = models.ForeignKey(
        Worker, on_delete=models.PROTECT, related_name="contest_awards", verbose_name=_("Competitor")
    )
    rank = models.PositiveIntegerField(_("Rank"))
    prize_kind = models.CharField(_("Prize kind"), max_length=12, choices=PrizeTier.Kind.choices, blank=True)
    prize_name = models.CharField(_("Prize"), max_length=60, blank=True, default="")
    title = models.CharField(_("Title"), max_length=100, blank=True, default="")
    promoted_from = models.PositiveSmallIntegerField(_("Skill level before"), null=True, blank=True)
    promoted_to = models.PositiveSmallIntegerField(_("Promoted to"), null=True, blank=True)
    skill_record_id = models.PositiveBigIntegerField(null=True, blank=True, verbose_name=_("Skill-level record"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("Awarded at"))

    scope_org_field = "registration__organisation"
    scope_owner_field = "worker__user"

    class Meta:
        verbose_name = _("Award")
        verbose_name_plural = _("Awards")
        ordering = ["result_set", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["result_set", "worker"], name="award_unique_worker"),
            # A worker is promoted at most once per contest, whatever stage.
            models.UniqueConstraint(
                fields=["contest", "worker"], condition=models.Q(promoted_to__isnull=False), name="award_one_promotion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.worker} · {self.prize_name or self.rank}"


class Certificate(models.Model):
    """A certificate with a unique public code, verifiable at /contests/certificates/<code>/verify/."""

    class Kind(models.TextChoices):
        PRIZE = "prize", _("Prize")
        TITLE = "title", _("Title")
        PROMOTION = "promotion", _("Skill-level promotion")

    code = models.CharField(_("Code"), max_length=16, unique=True)
    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("Award"))
    kind = models.CharField(_("Kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("Wording"), max_length=300)
    issued_at = models.DateTimeField(_("Issued at"), auto_now_add=True)
    revoked = models.BooleanField(_("Revoked"), default=False)

    scope_org_field = "award__registration__organisation"
    scope_owner_field = "award__worker__user"

    class Meta:
        verbose_name = _("Certificate")
        verbose_name_plural = _("Certificates")
        ordering = ["-issued_at", "id"]
        constraints = [models.UniqueConstraint(fields=["award", "kind"], name="certificate_one_per_kind")]

    def __str__(self) -> str:
        return self.code
