"""Deliver notices: in the app always, by e-mail where the user or the unit has an address, and to a
webhook (JSON POST, as government messaging robots take) when KEYPROJ_WEBHOOK_URL is set."""

from __future__ import annotations

import datetime as dt
import json
import logging
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from lib.today import now

from .models import Notification

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)


@dataclass
class Notice:
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""


def notify(*, users: Iterable[User], notice: Notice, day: dt.date) -> list[Notification]:
    """Create the notice for each user unless they already have it today; e-mail and post the new ones.
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
        _email(created, notice)
        _webhook(created, notice)
    return created


def _email(created: list[Notification], notice: Notice) -> None:
    addresses = set()
    for n in created:
        if n.user.email:
            addresses.add(n.user.email)
        elif n.user.unit_id and n.user.unit.email:
            addresses.add(n.user.unit.email)
    if not addresses:
        return
    try:
        send_mail(
            notice.title,
            f"{notice.body}\n\n{notice.url}".strip(),
            settings.DEFAULT_FROM_EMAIL,
            sorted(addresses),
        )
    except Exception:  # noqa: BLE001 — a mail server down must not stop the in-app notices
        log.exception("e-mail notification failed: %s", notice.key)


def _webhook(created: list[Notification], notice: Notice) -> None:
    url = getattr(settings, "KEYPROJ_WEBHOOK_URL", "")
    if not url:
        return
    recipients = sorted({n.user.unit.name if n.user.unit_id else n.user.username for n in created})
    payload = {
        # The text message shape most government messaging robots accept, plus structured fields.
        "msgtype": "text",
        "text": {"content": f"{notice.title}\n{notice.body}\n{'、'.join(recipients)}".strip()},
        "kind": notice.kind,
        "key": notice.key,
        "url": notice.url,
        "recipients": recipients,
    }
    post_json(url, payload)


def post_json(url: str, payload: dict) -> bool:
    """POST JSON; log and return False on failure instead of raising."""
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 — the URL is configuration
            return 200 <= response.status < 300
    except Exception:  # noqa: BLE001
        log.exception("webhook notification failed: %s", payload.get("key"))
        return False


def mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=now())
