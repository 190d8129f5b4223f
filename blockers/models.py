"""Blockers (卡点/难点/堵点): what stops a key project, who clears it, by when, and every step on the way."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.concurrency import Versioned
from lib.today import now
from notifications.models import Event
from projects.models import Leader, Project, Unit

if TYPE_CHECKING:
    from accounts.models import User


def day_after_start(on: dt.date) -> dt.datetime:
    """The first instant of the day after `on`, aware in the project's time zone."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


def open_on(on: dt.date) -> Q:
    """Blockers raised by `on` and not yet resolved on that day (a closed blocker was resolved first).

    Compares the timestamps with the start of the next day rather than casting them to dates, so
    the database can use an index and SQLite calls no Python function per row.
    """
    start = day_after_start(on)
    return Q(raised_at__lt=start) & (Q(resolved_at__isnull=True) | Q(resolved_at__gte=start))


class BlockerQuerySet(models.QuerySet):
    def for_user(self, user: User) -> BlockerQuerySet:
        """Blockers of the projects the user may see; every page, export and job starts here."""
        return self.filter(project__in=Project.objects.for_user(user).values("pk"))

    def open_on(self, on: dt.date) -> BlockerQuerySet:
        return self.filter(open_on(on))

    def overdue_on(self, on: dt.date) -> BlockerQuerySet:
        return self.filter(open_on(on), deadline__lt=on)


class Blocker(Versioned):
    class Source(models.TextChoices):
        PROJECT = "project", _("Project")
        REPORT = "report", _("Monthly report")
        INSPECTION = "inspection", _("Inspection")
        MEETING = "meeting", _("Meeting")

    class Kind(models.TextChoices):
        LAND = "land", _("Land acquisition and demolition")
        APPROVALS = "approvals", _("Approvals")
        FUNDS = "funds", _("Funds")
        PLANNING = "planning", _("Planning and design")
        ENVIRONMENT = "environment", _("Environment")
        CONSTRUCTION = "construction", _("Construction")
        POLICY = "policy", _("Policy")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        COORDINATING = "coordinating", _("In coordination")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")

    class Level(models.IntegerChoices):
        UNIT = 1, _("Responsible unit")
        LEADER = 2, _("Leader in charge")
        MEETING = 3, _("County executive meeting")

    project = models.ForeignKey(Project, models.CASCADE, related_name="blockers", verbose_name=_("project"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.PROJECT)
    source_report = models.ForeignKey(
        "reports.MonthlyReport",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("monthly report"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    description = models.TextField(_("description"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raised by"),
    )
    raised_at = models.DateTimeField(_("raised at"), default=now)
    lead_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="led_blockers", verbose_name=_("lead responsible unit")
    )
    cooperating_units = models.ManyToManyField(
        Unit, blank=True, related_name="cooperating_blockers", verbose_name=_("cooperating units")
    )
    leader = models.ForeignKey(
        Leader,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="blockers",
        verbose_name=_("leader in charge"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    measures = models.TextField(_("measures"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    level = models.PositiveSmallIntegerField(_("escalation level"), choices=Level.choices, default=Level.UNIT)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("escalated by"),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.TextField(_("reason for escalation"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = BlockerQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["kind", "status"]),
            # Covering for the counts of a scope (open and overdue on a day; by kind; by lead unit):
            # the province counts 50,000 blockers from the index alone.
            models.Index(
                fields=["project", "raised_at", "resolved_at", "deadline", "status", "kind", "lead_unit"],
                name="blockers_scope_cover",
            ),
        ]
        verbose_name = _("blocker")
        verbose_name_plural = _("blockers")

    def __str__(self) -> str:
        return f"{self.project.name} · {self.get_kind_display()}"

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        """Who changed it last and when (its timeline; comments and meetings change nothing of it), for a stale form's message."""
        event = (
            self.events.exclude(kind__in=["comment", "agenda", "decided"])
            .select_related("by")
            .order_by("-pk")
            .first()
        )
        return (event.by, event.at) if event else (None, None)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.COORDINATING)

    def is_overdue(self, on: dt.date) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < on


class BlockerEvent(Event):
    """One line of a blocker's timeline: its creation, each change, each comment."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Raised")
        STATUS = "status", _("Status changed")
        MEASURES = "measures", _("Measures updated")
        ESCALATED = "escalated", _("Escalated")
        EDITED = "edited", _("Edited")
        COMMENT = "comment", _("Comment")
        # Written by meetings; which meeting is held there (meetings.BlockerEventMeeting).
        AGENDA = "agenda", _("Put on a meeting's agenda")
        DECIDED = "decided", _("Decided at a meeting")

    blocker = models.ForeignKey(Blocker, models.CASCADE, related_name="events", verbose_name=_("blocker"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    from_status = models.CharField(
        _("from status"), max_length=12, choices=Blocker.Status.choices, blank=True
    )
    to_status = models.CharField(_("to status"), max_length=12, choices=Blocker.Status.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Blocker.Level.choices, null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("blocker event")
        verbose_name_plural = _("blocker events")

    def __str__(self) -> str:
        return f"{self.blocker_id} · {self.get_kind_display()}"
