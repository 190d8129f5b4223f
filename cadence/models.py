"""Cadence documents (周汇总, 月研究, 季调度通报) and meeting minutes (会议纪要): drafts, listed as they are made
and always rendered from today's figures, and issued documents, which carry a document number
(秀重调〔2020〕3号) given once in sequence per region, kind and year, and keep their file and figures."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.today import now
from meetings.models import Meeting
from projects.models import region_ids_for
from regions.models import Region

if TYPE_CHECKING:
    from accounts.models import User


def document_path(instance: GeneratedDocument, filename: str) -> str:
    # A random name: the file is served only through the scoped download view, never guessed.
    return f"cadence/{instance.kind}/{uuid.uuid4().hex}.docx"


class DocumentQuerySet(models.QuerySet):
    def for_user(self, user: User) -> DocumentQuerySet:
        """Documents generated for the user's region or any region below it. They cover the whole
        region, so only the region-wide roles may read them; a unit or a leader reads its own scope
        on the cadence pages instead."""
        if not user.is_authenticated or user.region_id is None:
            return self.none()
        if not user.is_region_wide:
            return self.none()
        return self.filter(region__in=region_ids_for(user))


class GeneratedDocument(models.Model):
    class Kind(models.TextChoices):
        WEEKLY = "weekly", _("Weekly summary")
        MONTHLY = "monthly", _("Monthly study pack")
        QUARTERLY = "quarterly", _("Quarterly dispatch")
        MINUTES = "minutes", _("Meeting minutes")

    class Trigger(models.TextChoices):
        ON_DEMAND = "demand", _("On demand")
        SCHEDULED = "schedule", _("Scheduled")

    region = models.ForeignKey(Region, models.CASCADE, related_name="+", verbose_name=_("region"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    file = models.FileField(_("file"), upload_to=document_path, max_length=200)
    trigger = models.CharField(
        _("generated"), max_length=10, choices=Trigger.choices, default=Trigger.ON_DEMAND
    )
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    generated_at = models.DateTimeField(_("generated at"), default=now)
    meeting = models.ForeignKey(
        Meeting,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting"),
    )
    # Set once, when the office issues the document; a draft has none of them.
    number = models.CharField(_("document number"), max_length=40, blank=True)
    year = models.PositiveSmallIntegerField(_("year of issue"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("serial number"), null=True, blank=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # The headline figures as issued (see cadence.services.figures_of): what the next document of the
    # kind compares today's figures with to print the adjustments (上期数据调整).
    figures = models.JSONField(_("figures"), default=dict, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-pk"]
        indexes = [models.Index(fields=["region", "kind", "period_start"])]
        constraints = [
            # Numbers are given in sequence; two issues at once cannot take the same one.
            models.UniqueConstraint(
                fields=["region", "kind", "year", "serial"],
                condition=models.Q(serial__isnull=False),
                name="cadence_document_serial_once",
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "period_start"],
                condition=models.Q(issued_at__isnull=False, meeting__isnull=True),
                name="cadence_period_issued_once",
            ),
            models.UniqueConstraint(
                fields=["meeting"],
                condition=models.Q(issued_at__isnull=False),
                name="cadence_minutes_issued_once",
            ),
        ]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")

    def __str__(self) -> str:
        return self.title

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None


KIND_CODES = {
    GeneratedDocument.Kind.WEEKLY: "周",
    GeneratedDocument.Kind.MONTHLY: "研",
    GeneratedDocument.Kind.QUARTERLY: "调",
    GeneratedDocument.Kind.MINUTES: "纪",
}


def default_prefix(region: Region) -> str:
    """秀山县 → 秀重: the county's first character and 重 (重点项目办)."""
    return f"{region.name[:1]}重"


def default_copy_to(region: Region) -> str:
    """The bodies a county's key-project documents are copied to (抄送), as offices usually list them."""
    level = region.name[-1:] if region.name[-1:] in "县区市旗" else "县"
    return "，".join(
        f"{level}{body}" for body in ("委办公室", "人大常委会办公室", "政府办公室", "政协办公室", "纪委监委")
    )


class DocumentSettings(models.Model):
    """How a region's office numbers and distributes its documents: the prefix of the document number
    (秀重 → 秀重调〔2020〕3号 for a quarterly dispatch) and the bodies it copies them to."""

    region = models.OneToOneField(Region, models.CASCADE, related_name="+", verbose_name=_("region"))
    prefix = models.CharField(_("document number prefix"), max_length=12)
    copy_to = models.CharField(_("copied to"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("document settings")
        verbose_name_plural = _("document settings")

    def __str__(self) -> str:
        return self.prefix

    @classmethod
    def of(cls, region: Region) -> DocumentSettings:
        """The region's settings, or the defaults (unsaved) if the office has not set them."""
        found = cls.objects.filter(region=region).first()
        return found or cls(region=region, prefix=default_prefix(region), copy_to=default_copy_to(region))

    def number(self, kind: str, year: int, serial: int) -> str:
        return f"{self.prefix}{KIND_CODES[kind]}〔{year}〕{serial}号"
