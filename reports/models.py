"""Monthly reports (月报), their workflow history and photos; year settings; start commitments."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib import schedule
from lib.concurrency import Versioned
from notifications.models import Event
from projects.models import Project
from regions.models import Region
from workdays.calendar import WorkCalendar

if TYPE_CHECKING:
    from accounts.models import User

MONEY = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}
MONTH = [MinValueValidator(1), MaxValueValidator(12)]


class YearSetting(models.Model):
    """Per region and year: report deadline, warning threshold, the schedule curve, and the rules by
    which the quarterly dispatch criticises and commends units (printed in the document)."""

    class Mode(models.TextChoices):
        LINEAR = schedule.LINEAR, _("Linear by month (month ÷ 12)")
        DAILY = schedule.DAILY, _("By days elapsed (days ÷ days in the year)")
        CUSTOM = schedule.CUSTOM, _("Custom cumulative curve")

    class Criticise(models.TextChoices):
        BOTTOM = "bottom", _("The last N units of the ranking")
        GAP = "gap", _("Every ranked unit more than X points behind the schedule")

    class Commend(models.TextChoices):
        TOP = "top", _("The first N units of the ranking")
        RATE = "rate", _("Every ranked unit with a completion rate of at least Y percent")

    region = models.ForeignKey(Region, models.CASCADE, related_name="year_settings", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("report deadline (day of the following month)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    yellow_threshold = models.DecimalField(
        _("yellow threshold (points below schedule)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    mode = models.CharField(_("schedule"), max_length=10, choices=Mode.choices, default=Mode.LINEAR)
    # Twelve cumulative percentages as strings ("8.00", ..., "100.00"); used when mode is custom.
    curve = models.JSONField(_("custom curve"), default=list, blank=True)
    # Only ranked units are judged: a unit the schedule asks nothing of (reports.figures.ranked) is
    # listed apart, never criticised.
    criticise_by = models.CharField(
        _("criticism rule"), max_length=8, choices=Criticise.choices, default=Criticise.BOTTOM
    )
    criticise_count = models.PositiveSmallIntegerField(
        _("N: units criticised from the bottom"), default=3, validators=[MaxValueValidator(100)]
    )
    criticise_gap = models.DecimalField(
        _("X: points behind the schedule"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    commend_by = models.CharField(
        _("commendation rule"), max_length=8, choices=Commend.choices, default=Commend.TOP
    )
    commend_count = models.PositiveSmallIntegerField(
        _("N: units commended from the top"), default=3, validators=[MaxValueValidator(100)]
    )
    commend_rate = models.DecimalField(
        _("Y: completion rate (percent)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80.00"),
        validators=[MinValueValidator(0), MaxValueValidator(999)],
    )

    history = HistoricalRecords()  # the audit trail: who changed the deadline, threshold, curve, rules

    DISPATCH_RULES = (
        "criticise_by",
        "criticise_count",
        "criticise_gap",
        "commend_by",
        "commend_count",
        "commend_rate",
    )

    class Meta:
        unique_together = [("region", "year")]
        verbose_name = _("year setting")
        verbose_name_plural = _("year settings")

    def __str__(self) -> str:
        return f"{self.region} · {self.year}"

    def target(self, month: int) -> Decimal:
        return schedule.target(self.mode, year=self.year, month=month, curve=self.curve)

    def deadline(self, month: int) -> dt.date:
        """The day a report for `month` is due: `deadline_day` of the following month, or the first
        working day after it when that day is a holiday or weekend (the 5th of October → the 9th)."""
        year, nxt = (self.year + 1, 1) if month == 12 else (self.year, month + 1)
        due = dt.date(year, nxt, min(self.deadline_day, calendar.monthrange(year, nxt)[1]))
        return WorkCalendar.load().next_workday(due)


class MonthlyReport(Versioned):
    """月报 — what a project did in one month. Year-to-date figures are derived, never stored."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    # Reports that count in figures and lights: the county sees fresh figures as soon as they are filed.
    COUNTED = (Status.SUBMITTED, Status.APPROVED)

    project = models.ForeignKey(Project, models.CASCADE, related_name="reports", verbose_name=_("project"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH)
    amount = models.DecimalField(_("investment completed in the month (10k yuan)"), **MONEY)
    progress = models.TextField(_("physical progress"))
    completion_pct = models.DecimalField(
        _("physical completion (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    started = models.BooleanField(_("construction started"), default=False)
    start_date = models.DateField(_("actual start date"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("workers on site"), default=0)
    problems = models.TextField(_("problems"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    first_submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project__code", "year", "month"]
        unique_together = [("project", "year", "month")]
        indexes = [
            # Covering for the latest counted month in a scope: a short backward scan (latest_period).
            models.Index(fields=["year", "month", "status", "project"], name="reports_mr_period_status"),
            # Covering for a scope's sums by month, probed project by project (the dashboard's curve).
            models.Index(
                fields=["project", "year", "month", "status", "amount"], name="reports_mr_project_amount"
            ),
        ]
        verbose_name = _("monthly report")
        verbose_name_plural = _("monthly reports")

    def __str__(self) -> str:
        return f"{self.project} · {self.year}-{self.month:02d}"

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        """Who changed it last and when (its workflow events), for a stale form's message."""
        event = self.events.select_related("by").order_by("-pk").first()
        return (event.by, event.at) if event else (None, None)

    @property
    def is_counted(self) -> bool:
        return self.status in self.COUNTED


class ReportEvent(Event):
    """One step of a report's workflow: who did what, when, and why."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        SAVED = "saved", _("saved")
        SUBMITTED = "submitted", _("submitted")
        RESUBMITTED = "resubmitted", _("resubmitted")
        RETURNED = "returned", _("returned")
        APPROVED = "approved", _("approved")
        REOPENED = "reopened", _("reopened")

    report = models.ForeignKey(MonthlyReport, models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    reason = models.TextField(_("reason"), blank=True)
    # What a save changed: [{"field": name, "old": text, "new": text}, ...] (empty for other steps).
    changes = models.JSONField(_("changes"), default=list, blank=True)

    class Meta:
        ordering = ["report", "at", "pk"]
        verbose_name = _("report event")
        verbose_name_plural = _("report events")

    def __str__(self) -> str:
        return f"{self.report} · {self.action}"

    def change_lines(self) -> list[tuple[str, str, str]]:
        """The save's changes as (field's label, old, new), in the reader's language."""
        lines = []
        for change in self.changes:
            try:
                label = str(MonthlyReport._meta.get_field(change["field"]).verbose_name)
            except FieldDoesNotExist:
                label = change["field"]
            lines.append((label, change["old"], change["new"]))
        return lines


def photo_path(instance: ReportPhoto, filename: str) -> str:
    report = instance.report
    ext = "png" if filename.lower().endswith(".png") else "jpg"
    return f"reports/{report.year}/{report.month:02d}/{report.project_id}/{instance.uid}.{ext}"


class PhotoQuerySet(models.QuerySet):
    def shown(self) -> PhotoQuerySet:
        """The photos pages show: not deleted."""
        return self.filter(deleted_at__isnull=True)


class ReportPhoto(models.Model):
    report = models.ForeignKey(MonthlyReport, models.CASCADE, related_name="photos")
    uid = models.CharField(max_length=32, editable=False)
    image = models.FileField(_("photo"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=120, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    uploaded = models.DateTimeField(auto_now_add=True)
    # A removed photo is kept, row and file, marked deleted (the audit trail); pages never show it.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    objects = PhotoQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("report photo")
        verbose_name_plural = _("report photos")

    def __str__(self) -> str:
        return self.caption or self.image.name


class StartCommitment(models.Model):
    """承诺开工时间 — the start date a unit (or a meeting) committed to. Old rows stay, superseded."""

    project = models.ForeignKey(Project, models.CASCADE, related_name="start_commitments")
    committed_date = models.DateField(_("committed start date"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("when"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)
    superseded = models.BooleanField(_("superseded"), default=False)

    class Meta:
        ordering = ["project", "at", "pk"]
        indexes = [models.Index(fields=["project", "superseded"])]
        verbose_name = _("start commitment")
        verbose_name_plural = _("start commitments")

    def __str__(self) -> str:
        return f"{self.project} → {self.committed_date}"


class ProjectMonth(models.Model):
    """What a project had counted by the end of each month of a year — a summary of its reports.

    Derived, never edited: the report services (reports/services.py) rebuild a project-year's rows
    in the same transaction as every write to its reports, through reports.months.refresh (bulk
    loads call reports.months.rebuild), so figures read one row instead of summing reports. Rows
    run from the first month with a report to December; a missing row means nothing was reported
    yet (ytd 0, not started by report).
    """

    project = models.ForeignKey(Project, models.CASCADE, related_name="report_months")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH)
    # Counted (submitted or approved) reports only: the month's amount and the sum of months ≤ month.
    month_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    ytd = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    # A counted report of a month ≤ month says construction started, and no later counted
    # correction (not started, with its reason) says otherwise.
    started = models.BooleanField(default=False)
    # The status of the month's own report, whatever it is (None: not filed).
    report_status = models.CharField(max_length=10, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="reports_projectmonth_unique")
        ]
        indexes = [
            # Covering, led by the period: the figures of a month join it for thousands of projects
            # without touching the table, reading one compact stretch of the index.
            models.Index(
                fields=["year", "month", "project", "ytd", "month_amount", "started", "report_status"],
                name="reports_pm_period_cover",
            ),
        ]
        verbose_name = _("project month")
        verbose_name_plural = _("project months")

    def __str__(self) -> str:
        return f"{self.project_id} · {self.year}-{self.month:02d}"
