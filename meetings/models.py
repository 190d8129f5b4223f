"""Meetings (县长办公会, 专题调度会, 现场办公会): the projects and blockers on the agenda, minutes and decisions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lib.today import now, today
from projects.models import Leader, Project, Unit, region_ids_for
from regions.models import Region

if TYPE_CHECKING:
    from accounts.models import User


class MeetingQuerySet(models.QuerySet):
    def for_user(self, user: User) -> MeetingQuerySet:
        """The region's meetings for office, supervisor and viewer; for a unit those it attended or with its
        projects on the agenda; for a leader those chaired or with projects in their charge."""
        if not user.is_authenticated or user.region_id is None:
            return self.none()
        qs = self.filter(region__in=region_ids_for(user))
        if user.role in (user.Role.UNIT, user.Role.LEADER):
            mine = Project.objects.for_user(user).values("pk")
            on_agenda = Exists(
                Meeting.projects.through.objects.filter(meeting_id=OuterRef("pk"), project_id__in=mine)
            )
            if user.role == user.Role.UNIT:
                attended = Exists(
                    Meeting.attending_units.through.objects.filter(
                        meeting_id=OuterRef("pk"), unit_id=user.unit_id
                    )
                )
                qs = qs.filter(attended | on_agenda)
            else:
                qs = qs.filter(Q(chair_id=user.leader_id) | on_agenda)
        return qs


class Meeting(models.Model):
    class Type(models.TextChoices):
        EXECUTIVE = "executive", _("County executive meeting")
        DISPATCH = "dispatch", _("Dispatch meeting")
        ONSITE = "onsite", _("On-site meeting")

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    type = models.CharField(_("type"), max_length=10, choices=Type.choices, default=Type.EXECUTIVE)
    title = models.CharField(_("title"), max_length=120)
    date = models.DateField(_("date"), default=today)
    location = models.CharField(_("location"), max_length=120, blank=True)
    chair = models.ForeignKey(
        Leader,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_meetings",
        verbose_name=_("chair"),
    )
    attending_units = models.ManyToManyField(
        Unit, blank=True, related_name="meetings", verbose_name=_("attending units")
    )
    projects = models.ManyToManyField(
        Project, blank=True, related_name="meetings", verbose_name=_("projects on the agenda")
    )
    blockers = models.ManyToManyField(
        "blockers.Blocker", blank=True, related_name="meetings", verbose_name=_("blockers on the agenda")
    )
    # Blockers first raised at this meeting. Like the agenda, the key sits on the meetings side
    # (meetings are above blockers); a blocker is raised at one meeting at most.
    raised_blockers = models.ManyToManyField(
        "blockers.Blocker",
        through="RaisedBlocker",
        blank=True,
        related_name="+",
        verbose_name=_("blockers raised"),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(default=now)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords()  # the audit trail (the agenda's many-to-many lists are not tracked)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class Decision(models.Model):
    """One decision of a meeting; it may concern a project or a blocker, set a committed start date and
    create supervision tasks (Decision.tasks)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    text = models.TextField(_("decision"))
    project = models.ForeignKey(
        Project, models.SET_NULL, null=True, blank=True, related_name="decisions", verbose_name=_("project")
    )
    blocker = models.ForeignKey(
        "blockers.Blocker",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("blocker"),
    )
    committed_start = models.DateField(_("committed start date"), null=True, blank=True)
    # The supervision tasks assigned from this decision; the key sits here, above supervision, and a
    # task comes from one decision at most (`task.source_decision_link.decision`).
    tasks = models.ManyToManyField(
        "supervision.SupervisionTask",
        through="DecisionTask",
        blank=True,
        related_name="+",
        verbose_name=_("supervision tasks"),
    )
    created_at = models.DateTimeField(default=now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:40]}"


class RaisedBlocker(models.Model):
    """A blocker and the meeting it was raised at (`blocker.source_meeting_link.meeting`)."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="+", verbose_name=_("meeting"))
    blocker = models.OneToOneField(
        "blockers.Blocker", models.CASCADE, related_name="source_meeting_link", verbose_name=_("blocker")
    )

    class Meta:
        verbose_name = _("blocker raised at a meeting")
        verbose_name_plural = _("blockers raised at meetings")

    def __str__(self) -> str:
        return f"{self.meeting_id} → {self.blocker_id}"


class DecisionTask(models.Model):
    """A supervision task and the decision it was assigned from."""

    decision = models.ForeignKey(Decision, models.CASCADE, related_name="+", verbose_name=_("decision"))
    task = models.OneToOneField(
        "supervision.SupervisionTask",
        models.CASCADE,
        related_name="source_decision_link",
        verbose_name=_("supervision task"),
    )

    class Meta:
        verbose_name = _("task assigned from a decision")
        verbose_name_plural = _("tasks assigned from decisions")

    def __str__(self) -> str:
        return f"{self.decision_id} → {self.task_id}"


class BlockerEventMeeting(models.Model):
    """The meeting a line of a blocker's timeline is about (put on its agenda, decided at it); held here,
    above blockers, and read on the blocker page as `event.meeting_link.meeting`."""

    event = models.OneToOneField(
        "blockers.BlockerEvent", models.CASCADE, related_name="meeting_link", verbose_name=_("blocker event")
    )
    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="+", verbose_name=_("meeting"))

    class Meta:
        verbose_name = _("meeting of a blocker event")
        verbose_name_plural = _("meetings of blocker events")

    def __str__(self) -> str:
        return f"{self.event_id} → {self.meeting_id}"
