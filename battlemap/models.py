"""The battle map keeps little of its own: the boundary drawn under the map when no tiles are set."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class MapBoundaryQuerySet(models.QuerySet):
    def for_region(self, region: Region) -> MapBoundary | None:
        """The boundary of the region itself, else of its nearest ancestor that has one."""
        codes = [code for code in region.path.strip("/").split("/") if code]
        return self.filter(region__code__in=codes).order_by("-region__path").first()


class MapBoundary(models.Model):
    """A region's outline (and optionally its townships) as GeoJSON, uploaded by the office."""

    region = models.OneToOneField(
        Region, models.CASCADE, related_name="map_boundary", verbose_name=_("region")
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    # Parsed and re-serialised by json when uploaded: what is stored is known to be plain GeoJSON.
    geojson = models.JSONField(_("GeoJSON"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)

    objects = MapBoundaryQuerySet.as_manager()

    class Meta:
        verbose_name = _("map boundary")
        verbose_name_plural = _("map boundaries")

    def __str__(self) -> str:
        return self.name or str(self.region)
