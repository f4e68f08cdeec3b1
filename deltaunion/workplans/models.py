from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.core.models import TimeStampedModel
from deltaunion.orgs.models import Alliance, Organisation


class JointMeeting(TimeStampedModel):
    """A joint meeting (联席会议) of the four provincial federations."""

    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("会议名称"), max_length=200)
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    date_note = models.CharField(_("日期说明"), max_length=100, blank=True, default="")
    place = models.CharField(_("地点/方式"), max_length=100, blank=True, default="")
    summary = models.TextField(_("概要"), blank=True, default="")
    source = models.CharField(_("资料来源"), max_length=255, blank=True, default="")

    scope_org_field = None  # public

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-year", "-held_on", "slug"]

    def __str__(self) -> str:
        return self.title


class WorkPlan(TimeStampedModel):
    """A document a joint meeting publishes (工作方案 / 工作意见)."""

    slug = models.SlugField(_("标识"), max_length=60, unique=True)
    meeting = models.ForeignKey(
        JointMeeting, on_delete=models.PROTECT, related_name="plans", verbose_name=_("联席会议")
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    title = models.CharField(_("方案名称"), max_length=200)
    summary = models.TextField(_("概要"), blank=True, default="")
    source = models.CharField(_("资料来源"), max_length=255, blank=True, default="")
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("工作方案")
        verbose_name_plural = _("工作方案")
        ordering = ["-year", "position", "id"]

    def __str__(self) -> str:
        return self.title


class KeyTask(TimeStampedModel):
    """One item of a work plan: a contest, a mechanism, an exchange, a map …"""

    class Kind(models.TextChoices):
        CONTEST = "contest", _("竞赛")
        MECHANISM = "mechanism", _("工作机制")
        EXCHANGE = "exchange", _("交流活动")
        RECUPERATION = "recuperation", _("疗休养")
        HONOUR = "honour", _("选树命名")
        MAP = "map", _("地图")
        ROUTE = "route", _("寻访线路")
        TRAINING = "training", _("培训")
        COOPERATION = "cooperation", _("合作协议")
        DATA = "data", _("数据互联")
        OTHER = "other", _("其他")

    class Tier(models.TextChoices):
        LED = "led", _("牵头推进")
        CO_ORGANISED = "co_organised", _("联合开展")
        GUIDED = "guided", _("指导推动")

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划中")
        IN_PROGRESS = "in_progress", _("推进中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    plan = models.ForeignKey(WorkPlan, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("工作方案"))
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("任务"), max_length=300)
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    tier = models.CharField(_("层级"), max_length=16, choices=Tier.choices, blank=True, default="")
    lead_org = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tasks",
        verbose_name=_("牵头单位"),
    )
    lead_alliance = models.ForeignKey(
        Alliance, null=True, blank=True, on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("牵头联盟")
    )
    lead_note = models.CharField(_("牵头说明"), max_length=200, blank=True, default="")
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    target = models.CharField(_("目标"), max_length=300, blank=True, default="")
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    detail = models.TextField(_("说明"), blank=True, default="")
    source = models.CharField(_("资料来源"), max_length=255, blank=True, default="")

    scope_org_field = "lead_org"

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(pk__isnull=False)  # published plans are public

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["plan__year", "plan__position", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="keytask_unique_number")]

    def __str__(self) -> str:
        return self.title

    def audit_organisation(self) -> Organisation | None:
        return self.lead_org
