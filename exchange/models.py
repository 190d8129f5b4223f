"""An uploaded file between its preview and the office's confirmation.

The parsed rows are never posted back by the browser: the upload is parsed once, when it arrives,
and its sheets are kept under MEDIA_ROOT as JSON (`parsed`, lib.tabular.dump_tables) beside the file
itself; every preview and the confirm read that, so that what is written is what the server read,
not what a form claims, and a preview costs no second parse.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        PROJECTS = "projects", _("Key-project list")
        MONTHLY = "monthly", _("Monthly figures")
        POOL = "pool", _("Reserve pool list")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Imported")
        CANCELLED = "cancelled", _("Cancelled")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="import_batches", verbose_name=_("user")
    )
    region = models.ForeignKey(
        Region, models.PROTECT, related_name="import_batches", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    parsed = models.FileField(_("parsed sheets"), upload_to="imports/%Y/%m/", blank=True)
    original_name = models.CharField(_("file name"), max_length=200)
    file_type = models.CharField(_("file type"), max_length=4)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PREVIEW)
    # Names the office accepted as new: {"unit": [...], "sector": [...], "leader": [...]}.
    accepted = models.JSONField(_("accepted new names"), default=dict, blank=True)
    # The preview's fingerprint when last shown; confirming a different result asks to look again.
    fingerprint = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created = models.DateTimeField(_("uploaded"), auto_now_add=True)
    confirmed = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year} · {self.original_name}"


class ExportJob(models.Model):
    """A ledger export too large to write during the request, written by a background job.

    The job keeps the query string of the ledger page it came from, not its rows: the task resolves
    the user again and filters the ledger exactly as the page does. The file lies under
    MEDIA_ROOT/exports/, which no URL serves; only the user who asked may download it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="export_jobs", verbose_name=_("user")
    )
    query = models.TextField(_("ledger filters"), blank=True)  # the ledger page's GET query string
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    done_rows = models.PositiveIntegerField(default=0)
    total_rows = models.PositiveIntegerField(default=0)
    file = models.FileField(_("file"), upload_to="exports/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    created = models.DateTimeField(_("requested"), auto_now_add=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")

    def __str__(self) -> str:
        return f"{self.user} · {self.filename or self.query}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
