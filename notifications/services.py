"""Deliver notices: in the app always; by e-mail and SMS as each user picked; to the group robots the
office configured — a unit's robot hears that unit's events, the region's robot only titles and counts.
Everything that leaves the app is a Delivery row sent by the job queue (tasks.deliver), retried."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from lib.today import now, today
from regions.models import Region, Unit

from .models import Delivery, Notification, Preference, Robot
from .tasks import deliver

if TYPE_CHECKING:
    from django.db.models import QuerySet


@dataclass
class Notice:
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""
    # What the region's robot may hear of it (a title, no unit's details); empty: nothing.
    region_line: str = ""


@dataclass
class Announcement:
    """An event's notice and who hears it: users in the app (and their channels), units' robots, the
    region's robots. Built by an app's notices module from the event row, after its transaction."""

    notice: Notice
    users: list[User]
    units: list[Unit] = field(default_factory=list)
    region: Region | None = None


def link(url: str) -> str:
    """An absolute address for e-mails and robots (the app's pages are relative)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.KEYPROJ_SITE_URL.rstrip("/") + url


# Who: the people of a role. Scope is checked separately (may_open), object by object.


def active(qs: QuerySet[User]) -> QuerySet[User]:
    return qs.filter(is_active=True).select_related("unit", "region")


def office_of(region_id: int | None) -> list[User]:
    """The key-project office of exactly that region."""
    return list(active(User.objects.filter(role=User.Role.OFFICE, region_id=region_id)))


def supervisors_of(region_id: int | None) -> list[User]:
    return list(active(User.objects.filter(role=User.Role.SUPERVISOR, region_id=region_id)))


def unit_users(unit_ids: Iterable[int | None]) -> list[User]:
    ids = {i for i in unit_ids if i}
    return list(active(User.objects.filter(role=User.Role.UNIT, unit_id__in=ids))) if ids else []


def leader_users(leader_ids: Iterable[int | None]) -> list[User]:
    ids = {i for i in leader_ids if i}
    return list(active(User.objects.filter(role=User.Role.LEADER, leader_id__in=ids))) if ids else []


def may_open(
    users: Iterable[User], scoped: Callable[[User], models.QuerySet], pk: int, *, besides: User | None = None
) -> list[User]:
    """The users (once each, never `besides`, the one who acted) whose own scope holds the object:
    nobody is told of something they cannot open."""
    seen: set[int] = set()
    out = []
    for user in users:
        if user.pk in seen or (besides is not None and user.pk == besides.pk):
            continue
        seen.add(user.pk)
        if scoped(user).filter(pk=pk).exists():
            out.append(user)
    return out


def units_may_open(units: Iterable[Unit], scoped: Callable[[User], models.QuerySet], pk: int) -> list[Unit]:
    """The units whose reporters could open the object (a unit's robot is told no more than they)."""
    out = []
    for unit in {u.pk: u for u in units if u is not None}.values():
        stand_in = User(role=User.Role.UNIT, unit=unit, region=unit.region)
        if scoped(stand_in).filter(pk=pk).exists():
            out.append(unit)
    return out


# Delivering.


def _enqueue(delivery: Delivery) -> None:
    # After the rows are committed: the worker must find them; and a failure never blocks the caller.
    transaction.on_commit(lambda: deliver(delivery.pk), robust=True)


def _queue(**fields) -> Delivery:
    delivery = Delivery.objects.create(**fields)
    _enqueue(delivery)
    return delivery


def _email_address(user: User) -> str:
    if user.email:
        return user.email
    return user.unit.email if user.unit_id and user.unit.email else ""


def _channels(created: list[Notification], notice: Notice, region: Region | None) -> None:
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=[n.user_id for n in created])}
    emails: dict[str, int | None] = {}
    phones: dict[str, int | None] = {}
    for n in created:
        pref = prefs.get(n.user_id) or Preference(user=n.user)
        if pref.email and (address := _email_address(n.user)):
            emails.setdefault(address, n.user.region_id)
        if pref.sms and n.user.phone:
            phones.setdefault(n.user.phone, n.user.region_id)
    text = notice.body
    for address, region_id in sorted(emails.items()):
        _queue(
            region_id=region.pk if region else region_id,
            channel=Delivery.Channel.EMAIL,
            to=address,
            key=notice.key,
            title=notice.title[:200],
            text=text,
            link=link(notice.url),
        )
    for phone, region_id in sorted(phones.items()):
        _queue(
            region_id=region.pk if region else region_id,
            channel=Delivery.Channel.SMS,
            to=phone,
            key=notice.key,
            title=notice.title[:200],
            text=text[:200],
            link=link(notice.url),
        )


def _told(robot: Robot, key: str, day: dt.date) -> bool:
    return Delivery.objects.filter(robot=robot, key=key, created_at__date=day).exists()


def _robots(notice: Notice, units: Iterable[Unit], region: Region | None, day: dt.date) -> None:
    unit_ids = [u.pk for u in units]
    if unit_ids:
        for robot in Robot.objects.filter(active=True, unit_id__in=unit_ids):
            if not _told(robot, notice.key, day):
                _queue(
                    region_id=robot.region_id,
                    channel=Delivery.Channel.ROBOT,
                    robot=robot,
                    to=robot.name,
                    key=notice.key,
                    title=notice.title[:200],
                    text=notice.body,
                    link=link(notice.url),
                )
    if region is not None and notice.region_line:
        tell_region(region=region, key=notice.key, title=notice.region_line, day=day)


def tell_region(*, region: Region, key: str, title: str, text: str = "", day: dt.date | None = None) -> int:
    """Post a title (and counts) to the region's own robots, once a day per key; returns how many."""
    day = day or today()
    queued = 0
    for robot in Robot.objects.filter(active=True, unit__isnull=True, region=region):
        if not _told(robot, key, day):
            _queue(
                region_id=region.pk,
                channel=Delivery.Channel.ROBOT,
                robot=robot,
                to=robot.name,
                key=key,
                title=title[:200],
                text=text,
            )
            queued += 1
    return queued


def notify(
    *,
    users: Iterable[User],
    notice: Notice,
    day: dt.date,
    units: Iterable[Unit] = (),
    region: Region | None = None,
) -> list[Notification]:
    """Create the notice for each user unless they already have it today; send the new ones by the
    channels each picked; post it to the robots of `units` and (its region_line) of `region`.
    Returns the notifications created (an empty list when everyone was already told today)."""
    created = []
    for user in users:
        if Notification.objects.filter(user=user, key=notice.key, day=day).exists():
            continue
        try:
            # A concurrent run may insert the same row: the unique constraint decides, we skip.
            with transaction.atomic():
                created.append(
                    Notification.objects.create(
                        user=user,
                        kind=notice.kind,
                        key=notice.key,
                        day=day,
                        title=notice.title[:200],
                        body=notice.body,
                        url=notice.url,
                        created_at=now(),
                    )
                )
        except IntegrityError:
            continue
    if created:
        _channels(created, notice, region)
    _robots(notice, units, region, day)
    return created


def announce(announcement: Announcement | None) -> list[Notification]:
    """Deliver an event's announcement (see Announcement); nothing when the builder returned None."""
    if announcement is None:
        return []
    return notify(
        users=announcement.users,
        notice=announcement.notice,
        day=today(),
        units=announcement.units,
        region=announcement.region,
    )


def _configures(by: User, robot: Robot) -> None:
    if not (by.can_configure and by.region_id == robot.region_id):
        raise PermissionDenied(_("Only the key-project office of the region configures its robots."))


def robot_add(*, by: User, robot: Robot) -> Robot:
    """Save a new robot for the office's own region (a unit robot: a unit in the office's scope)."""
    robot.region_id = by.region_id
    robot.created_by = by
    _configures(by, robot)
    if robot.unit_id and not Unit.objects.for_user(by).filter(pk=robot.unit_id).exists():
        raise PermissionDenied(_("That unit is not in your region."))
    robot.full_clean()
    robot.save()
    return robot


def robot_set_active(*, by: User, robot: Robot, active: bool) -> Robot:
    _configures(by, robot)
    robot.active = active
    robot.save(update_fields=["active"])
    return robot


def robot_test(*, robot: Robot, by: User) -> Delivery:
    """Queue a test message to a robot; the delivery log shows how it went."""
    _configures(by, robot)
    return _queue(
        region_id=robot.region_id,
        channel=Delivery.Channel.ROBOT,
        robot=robot,
        to=robot.name,
        key=f"robot-test:{robot.pk}:{now():%Y%m%d%H%M%S}",
        title=_("Test message from %(site)s") % {"site": settings.KEYPROJ_SITE_TITLE},
        text=_("Robot %(name)s is set up; sent by %(by)s.") % {"name": robot.name, "by": by},
    )


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=now())
