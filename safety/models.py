"""Quality and safety (质量安全): inspections, the hazards they find and their rectification, accidents.

A `SafetyInspection` (质量安全检查) is one visit to a project by the supervising unit (监理单位), the
industry regulator (行业主管部门), the quality or safety station (质监站, 安监站) or the supervision office
(督查室). Each `Hazard` (隐患) it finds has a level — the two official tiers of the State Administration
of Work Safety's rules on hidden dangers (《安全生产事故隐患排查治理暂行规定》): 一般隐患 and 重大隐患 — a
rectification deadline and a responsible party, and moves open → rectified (the unit's measures) →
verified (销号, by the supervisor or the office), or back to open with a reason. A hazard is overdue while
open past its deadline (safety.selectors.overdue — the one rule). An `Accident` (事故) carries the four
official levels of the State Council's regulations on accident reports (《生产安全事故报告和调查处理条例》).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from lib.concurrency import Versioned
from lib.today import now, today
from projects.models import Project, Unit, visible_to

if TYPE_CHECKING:
    from accounts.models import User

PEOPLE = {"default": 0, "validators": [MaxValueValidator(10000)]}


class Body(models.TextChoices):
    SUPERVISING_UNIT = "supervising_unit", _("Supervising unit")
    REGULATOR = "regulator", _("Industry regulator")
    QUALITY_STATION = "quality_station", _("Quality supervision station")
    SAFETY_STATION = "safety_station", _("Safety supervision station")
    SUPERVISION_OFFICE = "supervision_office", _("Supervision office")


class InspectionKind(models.TextChoices):
    QUALITY = "quality", _("Quality")
    SAFETY = "safety", _("Safety")
    BOTH = "both", _("Quality and safety")


class SafetyInspectionQuerySet(models.QuerySet):
    def for_user(self, user: User) -> SafetyInspectionQuerySet:
        """The inspections of the projects a user may see; every page, export and endpoint starts here."""
        return self.filter(visible_to(user, via="project"))


class SafetyInspection(Versioned):
    project = models.ForeignKey(
        Project, models.CASCADE, related_name="safety_inspections", verbose_name=_("project")
    )
    date = models.DateField(_("inspection date"), default=today)
    body = models.CharField(_("inspecting body"), max_length=20, choices=Body.choices)
    body_name = models.CharField(_("name of the body"), max_length=100, blank=True)
    inspectors = models.CharField(_("inspectors"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=8, choices=InspectionKind.choices, default=InspectionKind.BOTH
    )
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=now)

    history = HistoricalRecords()
    objects = SafetyInspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["project", "date"])]
        verbose_name = _("quality and safety inspection")
        verbose_name_plural = _("quality and safety inspections")

    def __str__(self) -> str:
        return f"{self.date} · {self.get_body_display()}"


class HazardQuerySet(models.QuerySet):
    def for_user(self, user: User) -> HazardQuerySet:
        """The hazards of the projects a user may see; every page, export and endpoint starts here."""
        return self.filter(visible_to(user, via="project"))

    def not_verified(self) -> HazardQuerySet:
        """Open or rectified: not yet closed off (销号) by a verification."""
        return self.exclude(state=Hazard.State.VERIFIED)

    def overdue_on(self, on: dt.date) -> HazardQuerySet:
        """The one overdue rule: open (not rectified) and its deadline before `on`."""
        return self.filter(state=Hazard.State.OPEN, deadline__lt=on)


class Hazard(Versioned):
    class Level(models.TextChoices):
        GENERAL = "general", _("General hazard")
        MAJOR = "major", _("Major hazard")

    class Category(models.TextChoices):
        QUALITY = "quality", _("Construction quality")
        FALL = "fall", _("Work at height")
        ELECTRICITY = "electricity", _("Temporary electricity")
        EXCAVATION = "excavation", _("Excavation and support")
        SCAFFOLD = "scaffold", _("Scaffolding and formwork")
        LIFTING = "lifting", _("Lifting machinery")
        FIRE = "fire", _("Fire safety")
        SITE = "site", _("Site management")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("hazard state", "Open")
        RECTIFIED = "rectified", _("Rectified, awaiting verification")
        VERIFIED = "verified", _("Verified")

    inspection = models.ForeignKey(
        SafetyInspection,
        models.CASCADE,
        related_name="hazards",
        verbose_name=pgettext_lazy("safety", "inspection"),
    )
    # The inspection's project, kept on the hazard so that scoping and filters join one table less.
    project = models.ForeignKey(Project, models.CASCADE, related_name="hazards", verbose_name=_("project"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.GENERAL)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    description = models.TextField(pgettext_lazy("hazard", "description"))
    photo = models.ImageField(_("photo"), upload_to="hazards/found/%Y/%m/", blank=True)
    deadline = models.DateField(_("rectification deadline"))
    responsible_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="+", verbose_name=_("responsible unit")
    )
    contractor = models.CharField(_("contractor"), max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    measures = models.TextField(_("measures taken"), blank=True)
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)
    rectification_photo = models.ImageField(
        _("photo after rectification"), upload_to="hazards/rectified/%Y/%m/", blank=True
    )
    rectified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_back_reason = models.TextField(_("reason for sending back"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=now)

    history = HistoricalRecords()
    objects = HazardQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["project", "state"]),
        ]
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")

    def __str__(self) -> str:
        return f"{self.get_level_display()} · {self.description[:30]}"

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        return self.changed_by, self.changed_at

    def is_overdue(self, on: dt.date) -> bool:
        return self.state == self.State.OPEN and self.deadline < on

    def days_overdue(self, on: dt.date) -> int:
        return (on - self.deadline).days if self.is_overdue(on) else 0


class AccidentQuerySet(models.QuerySet):
    def for_user(self, user: User) -> AccidentQuerySet:
        return self.filter(visible_to(user, via="project"))


class Accident(Versioned):
    class Level(models.TextChoices):
        GENERAL = "general", _("General accident")
        LARGER = "larger", _("Larger accident")
        MAJOR = "major", _("Major accident")
        GRAVE = "grave", _("Especially grave accident")

    class Report(models.TextChoices):
        REPORTED = "reported", _("Reported")
        INVESTIGATING = "investigating", _("Under investigation")
        CLOSED = "closed", pgettext_lazy("accident", "Closed")

    project = models.ForeignKey(Project, models.CASCADE, related_name="accidents", verbose_name=_("project"))
    date = models.DateField(_("date of the accident"))
    level = models.CharField(_("level"), max_length=8, choices=Level.choices, default=Level.GENERAL)
    deaths = models.PositiveIntegerField(_("deaths"), **PEOPLE)
    injuries = models.PositiveIntegerField(_("injuries"), **PEOPLE)
    description = models.TextField(pgettext_lazy("accident", "description"))
    report_status = models.CharField(
        pgettext_lazy("accident", "report status"),
        max_length=14,
        choices=Report.choices,
        default=Report.REPORTED,
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=now)

    history = HistoricalRecords()
    objects = AccidentQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("accident")
        verbose_name_plural = _("accidents")

    def __str__(self) -> str:
        return f"{self.date} · {self.get_level_display()}"

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        return self.changed_by, self.changed_at
