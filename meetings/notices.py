"""Who hears of a meeting decision (connected in MeetingsConfig.ready): every unit it names — its
project's lead unit, its blocker's lead and cooperating units, the units its tasks go to — and, for a
decision on a blocker (the blocker "decided"), the blocker's leader in charge."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from notifications.events import follow
from notifications.models import Notification
from notifications.services import Announcement, Notice, leader_users, may_open, unit_users, units_may_open
from regions.models import Unit

from .models import Decision, Meeting
from .selectors import decisions_seen_by


def _scoped(user):
    return decisions_seen_by(user, Decision.objects.filter(meeting__in=Meeting.objects.for_user(user)))


def named_units(decision: Decision) -> list[Unit]:
    ids = set(decision.tasks.values_list("assignee_unit_id", flat=True))
    if decision.project_id:
        ids.add(decision.project.lead_unit_id)
    if decision.blocker_id:
        ids.add(decision.blocker.lead_unit_id)
        ids |= set(decision.blocker.cooperating_units.values_list("pk", flat=True))
    return list(Unit.objects.filter(pk__in=ids).select_related("region"))


def decision(decision: Decision) -> Announcement | None:
    decision = Decision.objects.select_related("meeting__region", "project", "blocker").get(pk=decision.pk)
    meeting = decision.meeting
    units = named_units(decision)
    people = unit_users(u.pk for u in units)
    if decision.blocker_id:
        people += leader_users([decision.blocker.leader_id])
    subject = decision.project.name if decision.project_id else meeting.title
    title = _("Meeting decision: %(s)s") % {"s": subject}
    return Announcement(
        notice=Notice(
            kind=Notification.Kind.DECISION,
            key=f"decision:{decision.pk}",
            title=title,
            body=f"{meeting} · {decision.number}. {decision.text}",
            url=reverse("meetings:detail", args=[meeting.pk]),
            region_line=_("%(m)s: decision %(n)d") % {"m": meeting, "n": decision.number},
        ),
        users=may_open(people, _scoped, decision.pk),
        units=units_may_open(units, _scoped, decision.pk),
        region=meeting.region,
    )


def connect() -> None:
    follow(Decision, decision)
