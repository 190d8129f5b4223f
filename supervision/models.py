"""Supervision (督办): tasks assigned to units with a deadline, and the supervisors' daily inspections."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lib.concurrency import Versioned
from lib.today import now, today
from notifications.models import Event
from projects.models import Leader, Project, Unit, region_ids_for
from regions.models import Region

if TYPE_CHECKING:
    from accounts.models import User


def task_open_on(on: dt.date) -> Q:
    """Tasks created by `on` and not yet closed on that day."""
    return Q(created_at__date__lte=on) & (Q(closed_at__isnull=True) | Q(closed_at__date__gt=on))


class InspectionQuerySet(models.QuerySet):
    def for_user(self, user: User) -> InspectionQuerySet:
        return self.filter(project__in=Project.objects.for_user(user).values("pk"))


class Inspection(models.Model):
    """日督查 — a supervisor's visit to a project: what was found, and the follow-up it opened."""

    class FollowUp(models.TextChoices):
        NONE = "none", _("None")
        BLOCKER = "blocker", _("Open a blocker")
        TASK = "task", _("Open a supervision task")

    project = models.ForeignKey(
        Project, models.CASCADE, related_name="inspections", verbose_name=_("project")
    )
    date = models.DateField(_("date"), default=today)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inspector"),
    )
    findings = models.TextField(_("findings"))
    follow_up = models.CharField(
        _("follow-up"), max_length=8, choices=FollowUp.choices, default=FollowUp.NONE
    )
    created_at = models.DateTimeField(default=now)
    # The blockers an inspection raised. The key sits on this side (supervision is above blockers), so
    # blockers know nothing of inspections; a blocker is raised by one inspection at most.
    blockers = models.ManyToManyField(
        "blockers.Blocker",
        through="InspectionBlocker",
        blank=True,
        related_name="+",
        verbose_name=_("blockers raised"),
    )

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date", "project"])]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.date} · {self.project.name}"


class InspectionBlocker(models.Model):
    """A blocker and the inspection that raised it (`blocker.source_inspection_link.inspection`)."""

    inspection = models.ForeignKey(Inspection, models.CASCADE, related_name="+", verbose_name=_("inspection"))
    blocker = models.OneToOneField(
        "blockers.Blocker", models.CASCADE, related_name="source_inspection_link", verbose_name=_("blocker")
    )

    class Meta:
        verbose_name = _("blocker raised by an inspection")
        verbose_name_plural = _("blockers raised by inspections")

    def __str__(self) -> str:
        return f"{self.inspection_id} → {self.blocker_id}"


class InspectionPhoto(models.Model):
    inspection = models.ForeignKey(
        Inspection, models.CASCADE, related_name="photos", verbose_name=_("inspection")
    )
    image = models.ImageField(_("photo"), upload_to="inspections/%Y/%m/")
    uploaded_at = models.DateTimeField(default=now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")

    def __str__(self) -> str:
        return self.image.name


class TaskQuerySet(models.QuerySet):
    def for_user(self, user: User) -> TaskQuerySet:
        """Tasks a user may see: the region's for office, supervisor and viewer; a unit's own or on its
        projects; a leader's on the projects in their charge or given by them."""
        if not user.is_authenticated or user.region_id is None:
            return self.none()
        qs = self.filter(region__in=region_ids_for(user))
        if user.role == user.Role.UNIT:
            if user.unit_id is None:
                return self.none()
            projects = Project.objects.for_user(user).filter(pk=OuterRef("project_id"))
            qs = qs.filter(Q(assignee_unit_id=user.unit_id) | Exists(projects))
        elif user.role == user.Role.LEADER:
            if user.leader_id is None:
                return self.none()
            qs = qs.filter(Q(leader_id=user.leader_id) | Q(project__leader_id=user.leader_id))
        return qs

    def open_on(self, on: dt.date) -> TaskQuerySet:
        return self.filter(task_open_on(on))

    def overdue_on(self, on: dt.date) -> TaskQuerySet:
        return self.filter(task_open_on(on), deadline__lt=on)


class SupervisionTask(Versioned):
    """督办事项 — something a unit must do by a deadline; the supervisor verifies it before it closes."""

    class Source(models.TextChoices):
        DECISION = "decision", _("Meeting decision")
        INSPECTION = "inspection", _("Inspection")
        INSTRUCTION = "instruction", _("Leader's instruction")

    class Status(models.TextChoices):
        OPEN = "open", _("In progress")
        REPORTED = "reported", _("Reported done")
        CLOSED = "closed", _("Closed")

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    source = models.CharField(_("source"), max_length=12, choices=Source.choices, default=Source.INSTRUCTION)
    source_inspection = models.ForeignKey(
        Inspection, models.SET_NULL, null=True, blank=True, related_name="tasks", verbose_name=_("inspection")
    )
    project = models.ForeignKey(
        Project, models.CASCADE, null=True, blank=True, related_name="tasks", verbose_name=_("project")
    )
    blocker = models.ForeignKey(
        "blockers.Blocker",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("blocker"),
    )
    title = models.CharField(_("task"), max_length=200)
    requirement = models.TextField(_("requirement"), blank=True)
    assignee_unit = models.ForeignKey(
        Unit, models.PROTECT, related_name="tasks", verbose_name=_("assignee unit")
    )
    leader = models.ForeignKey(
        Leader,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("leader in charge"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=now)
    reported_at = models.DateTimeField(_("reported done at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["assignee_unit", "status"]),
        ]
        verbose_name = _("supervision task")
        verbose_name_plural = _("supervision tasks")

    def __str__(self) -> str:
        return self.title

    def last_change(self) -> tuple[User | None, dt.datetime | None]:
        """Who changed it last and when (its feedback lines that changed it), for a stale form's message."""
        event = self.feedback.exclude(kind="feedback").select_related("by").order_by("-pk").first()
        return (event.by, event.at) if event else (None, None)

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED

    def is_overdue(self, on: dt.date) -> bool:
        return self.is_open and self.deadline < on


class TaskFeedback(Event):
    """One line of a task's history: the unit's progress feedback, its report, a send-back, the closure."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Assigned")
        FEEDBACK = "feedback", _("Progress feedback")
        REPORTED = "reported", _("Reported done")
        SENT_BACK = "sent_back", _("Sent back")
        CLOSED = "closed", _("Closure verified")

    task = models.ForeignKey(SupervisionTask, models.CASCADE, related_name="feedback", verbose_name=_("task"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FEEDBACK)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("task feedback")
        verbose_name_plural = _("task feedback")

    def __str__(self) -> str:
        return f"{self.task_id} · {self.get_kind_display()}"
