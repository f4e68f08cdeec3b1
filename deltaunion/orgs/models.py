from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from deltaunion.core.models import TimeStampedModel

PATH_STEP = 7  # one zero-padded id per level: subtree = "path starts with"


class Region(models.Model):
    """An administrative division with its GB/T 2260 code."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provincial")
        PREFECTURE = "prefecture", _("Prefectural")
        COUNTY = "county", _("County")

    code = models.CharField(_("Division code"), max_length=6, primary_key=True)
    name = models.CharField(_("Name"), max_length=50)
    level = models.CharField(_("Level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        verbose_name = _("Administrative division")
        verbose_name_plural = _("Administrative divisions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}({self.code})"

    @property
    def province_code(self) -> str:
        return self.code[:2]


class Organisation(TimeStampedModel):
    """A trade-union organisation, placed in one tree by a materialised path."""

    class Kind(models.TextChoices):
        ACFTU = "acftu", _("All-China Federation of Trade Unions")
        PROVINCIAL = "provincial", _("Provincial federation")
        CITY = "city", _("Municipal federation")
        DISTRICT = "district", _("District or county federation")
        INDUSTRY = "industry", _("Industry union")
        GRASSROOTS = "grassroots", _("Grassroots union")

    name = models.CharField(_("Name"), max_length=120)
    short_name = models.CharField(_("Short name"), max_length=40, blank=True, default="")
    kind = models.CharField(_("Type"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("Parent organisation"),
    )
    path = models.CharField(_("Path"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("Depth"), default=0, editable=False)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        verbose_name=_("Administrative division"),
    )
    is_demo = models.BooleanField(_("Demo data"), default=False)
    source = models.CharField(_("Source"), max_length=255, blank=True, default="")

    # The organisation tree is public; managing it is scoped by path.
    scope_org_field = ""
    is_organisation = True  # audit entries are filed under the organisation's own path
    audit_hidden = ("path", "depth")  # the tree's bookkeeping: the history shows the parent instead

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(pk__isnull=False)

    class Meta:
        verbose_name = _("Trade union organisation")
        verbose_name_plural = _("Trade union organisations")
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
        CORRIDOR = "corridor", _("Corridor")
        CITY_ALLIANCE = "city_alliance", _("City alliance")
        DEMO_ZONE = "demo_zone", _("Demonstration zone")
        COLLABORATION_ZONE = "collaboration_zone", _("Collaboration zone")
        OTHER = "other", _("Other")

    slug = models.SlugField(_("Identifier"), max_length=40, unique=True)
    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(_("Type"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("Description"), blank=True, default="")
    source = models.CharField(_("Source"), max_length=255, blank=True, default="")
    members = models.ManyToManyField(
        Organisation, through="AllianceMember", related_name="alliances", verbose_name=_("Member organisations")
    )

    class Meta:
        verbose_name = _("Alliance or zone")
        verbose_name_plural = _("Alliances and zones")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    role = models.CharField(_("Role"), max_length=40, blank=True, default="")  # e.g. 发起 / 参与

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alliance", "organisation"], name="alliance_member_unique")]
        ordering = ["organisation__path"]

    def __str__(self) -> str:
        return f"{self.alliance_id}:{self.organisation_id}"


class Role(models.TextChoices):
    FEDERATION_ADMIN = "federation_admin", _("Federation administrator")
    OFFICER = "officer", _("Union officer")
    JUDGE = "judge", _("Judge")
    EXPERT = "expert", _("Review expert")
    WORKER = "worker", _("Worker")


# Roles that manage an organisation's subtree (see everything below it).
MANAGING_ROLES = frozenset({Role.FEDERATION_ADMIN, Role.OFFICER})
# Roles whose work needs full ID numbers and phones of the people they manage.
PERSONAL_DATA_ROLES = frozenset({Role.FEDERATION_ADMIN, Role.OFFICER})


class OrgRole(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="org_roles")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("Role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("Organisation role")
        verbose_name_plural = _("Organisation roles")
        constraints = [models.UniqueConstraint(fields=["user", "organisation", "role"], name="orgrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"
