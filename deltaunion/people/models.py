from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.core.models import TimeStampedModel
from deltaunion.orgs.models import Organisation, Region


class Ownership(models.TextChoices):
    STATE = "state", _("国有")
    PRIVATE = "private", _("非公")
    FOREIGN = "foreign", _("外商投资")
    PUBLIC_SECTOR = "public_sector", _("机关事业单位")


class SkillLevel(models.IntegerChoices):
    """The five national vocational skill levels (1 is the highest)."""

    LEVEL_5 = 5, _("五级/初级工")
    LEVEL_4 = 4, _("四级/中级工")
    LEVEL_3 = 3, _("三级/高级工")
    LEVEL_2 = 2, _("二级/技师")
    LEVEL_1 = 1, _("一级/高级技师")


class Sex(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Employer(TimeStampedModel):
    name = models.CharField(_("单位名称"), max_length=200)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, default="")
    ownership = models.CharField(_("所有制类型"), max_length=16, choices=Ownership.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("行政区划"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="employers", verbose_name=_("所属工会")
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)

    scope_org_field = "organisation"

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="employer_unique_name_in_org")]

    def __str__(self) -> str:
        return self.name


class Worker(TimeStampedModel):
    """A worker (职工). The ID number is the key that links one person across provinces."""

    name = models.CharField(_("姓名"), max_length=100)
    id_number = models.CharField(_("身份证号"), max_length=18, unique=True)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    phone = models.CharField(_("手机号"), max_length=20, blank=True, default="")
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="workers", verbose_name=_("用人单位")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="workers", verbose_name=_("所属工会")
    )
    is_member = models.BooleanField(_("工会会员"), default=True)
    member_since = models.DateField(_("入会日期"), null=True, blank=True)
    trade = models.CharField(_("工种"), max_length=100, blank=True, default="")
    skill_level = models.PositiveSmallIntegerField(
        _("当前技能等级"),
        choices=SkillLevel.choices,
        null=True,
        blank=True,
        help_text=_("由技能等级记录自动维护"),
    )
    is_gig_worker = models.BooleanField(_("新就业形态劳动者"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker",
        verbose_name=_("登录账号"),
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)

    scope_org_field = "organisation"
    scope_owner_field = "user"

    class Meta:
        verbose_name = _("职工")
        verbose_name_plural = _("职工")
        ordering = ["organisation__path", "name", "id"]
        indexes = [models.Index(fields=["organisation", "name"], name="worker_org_name_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(sex__in=["M", "F"]), name="worker_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(skill_level__isnull=True) | models.Q(skill_level__gte=1, skill_level__lte=5),
                name="worker_skill_level_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class SkillLevelRecord(TimeStampedModel):
    """One step in a worker's skill-level history (certification, contest promotion …)."""

    class Source(models.TextChoices):
        CERTIFICATION = "certification", _("技能等级认定")
        CONTEST = "contest", _("竞赛晋级")
        IMPORT = "import", _("导入")
        OTHER = "other", _("其他")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="skill_levels")
    level = models.PositiveSmallIntegerField(_("技能等级"), choices=SkillLevel.choices)
    trade = models.CharField(_("工种"), max_length=100, blank=True, default="")
    obtained_on = models.DateField(_("取得日期"))
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices, default=Source.CERTIFICATION)
    reference = models.CharField(_("依据"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("技能等级记录")
        verbose_name_plural = _("技能等级记录")
        ordering = ["-obtained_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="skill_record_level_range"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} {self.get_level_display()}"


class Title(TimeStampedModel):
    class Kind(models.TextChoices):
        MODEL_WORKER = "model_worker", _("劳动模范")
        CRAFTSMAN = "craftsman", _("工匠")
        GRAND_CRAFTSMAN = "grand_craftsman", _("大工匠")
        TECHNICAL_EXPERT = "technical_expert", _("技术能手")
        GOLD_WORKER = "gold_worker", _("金牌职工")
        OTHER = "other", _("其他")

    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="titles")
    kind = models.CharField(_("称号类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("称号全称"), max_length=200)
    awarded_by = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("授予单位")
    )
    year = models.PositiveSmallIntegerField(_("年度"))

    class Meta:
        verbose_name = _("荣誉称号")
        verbose_name_plural = _("荣誉称号")
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.name
