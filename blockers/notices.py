"""Who hears of a blocker's timeline (connected in BlockersConfig.ready): raised, assigned (its lead
unit, cooperating units or leader changed), escalated, resolved, closed → its lead and cooperating
units and its leader in charge. A meeting's decision on it is told by meetings.notices."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.events import follow
from notifications.models import Notification
from notifications.services import Announcement, Notice, leader_users, may_open, unit_users, units_may_open

from .models import Blocker, BlockerEvent

Kind = BlockerEvent.Kind
Status = Blocker.Status
# The fields whose change is an assignment (the blocker goes to other hands).
ASSIGNING = ("lead_unit", "cooperating_units", "leader")


def _assigned(event: BlockerEvent) -> bool:
    # The timeline line names the changed fields in the language of whoever made the change.
    labels = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels += [str(Blocker._meta.get_field(name).verbose_name) for name in ASSIGNING]
    return any(line.startswith(label) for line in event.text.splitlines() for label in labels)


def _what(event: BlockerEvent) -> str | None:
    if event.kind == Kind.CREATED:
        return _("Blocker raised: %(p)s")
    if event.kind == Kind.ESCALATED:
        return _("Blocker escalated to %(level)s: %(p)s")
    if event.kind == Kind.EDITED and _assigned(event):
        return _("Blocker assigned: %(p)s")
    if event.kind == Kind.STATUS and event.to_status == Status.RESOLVED:
        return _("Blocker resolved: %(p)s")
    if event.kind == Kind.STATUS and event.to_status == Status.CLOSED:
        return _("Blocker closed: %(p)s")
    return None


def blocker_people(blocker: Blocker, *, besides=None, key: str, title: str, body: str) -> Announcement:
    """The announcement to a blocker's lead and cooperating units and its leader, within their scope."""
    units = [blocker.lead_unit, *blocker.cooperating_units.select_related("region")]
    people = unit_users(u.pk for u in units) + leader_users([blocker.leader_id])
    return Announcement(
        notice=Notice(
            kind=Notification.Kind.BLOCKER,
            key=key,
            title=title,
            body=body,
            url=reverse("blockers:detail", args=[blocker.pk]),
            region_line=title,
        ),
        users=may_open(people, Blocker.objects.for_user, blocker.pk, besides=besides),
        units=units_may_open(units, Blocker.objects.for_user, blocker.pk),
        region=blocker.project.region,
    )


def blocker_event(event: BlockerEvent) -> Announcement | None:
    what = _what(event)
    if what is None:
        return None
    blocker = Blocker.objects.select_related("project__region", "lead_unit__region").get(pk=event.blocker_id)
    title = what % {"p": blocker.project.name, "level": blocker.get_level_display()}
    kind = blocker.get_kind_display()
    body = _("%(kind)s: %(text)s") % {"kind": kind, "text": event.text} if event.text else kind
    return blocker_people(blocker, besides=event.by, key=f"blocker-event:{event.pk}", title=title, body=body)


def connect() -> None:
    follow(BlockerEvent, blocker_event)
