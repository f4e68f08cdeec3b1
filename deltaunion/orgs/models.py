from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.core.models import TimeStampedModel

PATH_STEP = 7  # one zero-padded id per level: subtree = "path starts with"


class Region(models.Model):
    """An administrative division with its GB/T 2260 code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        PREFECTURE = "prefecture", _("地级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    level = models.CharField(_("级别"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @property
    def province_code(self) -> str:
        return self.code[:2]


class Organisation(TimeStampedModel):
    """A trade-union organisation, placed in one tree by a materialised path."""

    class Kind(models.TextChoices):
        ACFTU = "acftu", _("全国总工会")
        PROVINCIAL = "provincial", _("省级总工会")
        CITY = "city", _("市级总工会")
        DISTRICT = "district", _("区县总工会")
        INDUSTRY = "industry", _("产业工会")
        GRASSROOTS = "grassroots", _("基层工会")

    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True, default="")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("上级组织")
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("层级"), default=0, editable=False)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("行政区划"),
    )
    is_demo = models.BooleanField(_("演示数据"), default=False)
    source = models.CharField(_("资料来源"), max_length=255, blank=True, default="")

    # The organisation tree is public; managing it is scoped by path.
    scope_org_field = ""

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(pk__isnull=False)

    class Meta:
        verbose_name = _("工会组织")
        verbose_name_plural = _("工会组织")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_under_parent"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        return self.region.code[:2] if self.region_id else ""

    def ancestor_paths(self) -> list[str]:
        return [self.path[:i] for i in range(PATH_STEP, len(self.path) + 1, PATH_STEP)]


class Alliance(TimeStampedModel):
    """A named group of organisations: G60 corridor, the (5+10) alliance, the demo zone …"""

    class Kind(models.TextChoices):
        CORRIDOR = "corridor", _("走廊")
        CITY_ALLIANCE = "city_alliance", _("城市联盟")
        DEMO_ZONE = "demo_zone", _("示范区")
        COLLABORATION_ZONE = "collaboration_zone", _("协同区")
        OTHER = "other", _("其他")

    slug = models.SlugField(_("标识"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("说明"), blank=True, default="")
    source = models.CharField(_("资料来源"), max_length=255, blank=True, default="")
    members = models.ManyToManyField(Organisation, through="AllianceMember", related_name="alliances")

    class Meta:
        verbose_name = _("联盟与区域")
        verbose_name_plural = _("联盟与区域")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(_("角色"), max_length=40, blank=True, default="")  # e.g. 发起 / 参与

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alliance", "organisation"], name="alliance_member_unique")]
        ordering = ["organisation__path"]

    def __str__(self) -> str:
        return f"{self.alliance_id}:{self.organisation_id}"


class Role(models.TextChoices):
    FEDERATION_ADMIN = "federation_admin", _("总工会管理员")
    OFFICER = "officer", _("工会干部")
    JUDGE = "judge", _("裁判")
    EXPERT = "expert", _("评审专家")
    WORKER = "worker", _("职工")


# Roles that manage an organisation's subtree (see everything below it).
MANAGING_ROLES = frozenset({Role.FEDERATION_ADMIN, Role.OFFICER})
# Roles whose work needs full ID numbers and phones of the people they manage.
PERSONAL_DATA_ROLES = frozenset({Role.FEDERATION_ADMIN, Role.OFFICER})


class OrgRole(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("组织角色")
        verbose_name_plural = _("组织角色")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="orgrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
