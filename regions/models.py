"""The region tree (province → city → county or district) and the townships inside a county."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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

    region = models.ForeignKey(Region, models.PROTECT, related_name="townships", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=40)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TOWN)
    sort = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["region", "sort", "name"]
        unique_together = [("region", "name")]
        verbose_name = _("township")
        verbose_name_plural = _("townships")

    def __str__(self) -> str:
        return self.name
