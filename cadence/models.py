"""Generated cadence documents (周汇总, 月研究, 季调度通报), kept as .docx files under MEDIA_ROOT."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lib.today import now
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

    objects = DocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-generated_at", "-pk"]
        indexes = [models.Index(fields=["region", "kind", "period_start"])]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")

    def __str__(self) -> str:
        return self.title
