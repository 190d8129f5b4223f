"""Sending one Delivery: by e-mail, SMS or a group robot, counting attempts and keeping the last error."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import F

from lib.today import now

from . import robots, sms
from .models import Delivery

log = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    pass


def _send(delivery: Delivery) -> None:
    if delivery.channel == Delivery.Channel.EMAIL:
        body = f"{delivery.text}\n\n{delivery.link}".strip()
        send_mail(delivery.title, body, settings.DEFAULT_FROM_EMAIL, [delivery.to])
    elif delivery.channel == Delivery.Channel.SMS:
        sms.backend().send(delivery.to, f"{delivery.title} {delivery.text}".strip())
    elif delivery.channel == Delivery.Channel.ROBOT:
        if delivery.robot is None or not delivery.robot.active:
            raise DeliveryFailed("robot removed or disabled")
        robots.post(
            robots.build(delivery.robot, title=delivery.title, text=delivery.text, link=delivery.link)
        )


def delivery_send(delivery_id: int) -> Delivery | None:
    """Send a pending or failed delivery once; record the attempt; raise DeliveryFailed on failure.

    No transaction is held over the network call (a robot may take seconds; SQLite would stop every
    writer meanwhile): the attempt is counted first, the outcome written after."""
    delivery = Delivery.objects.select_related("robot").filter(pk=delivery_id).first()
    if delivery is None or delivery.status == Delivery.Status.SENT:
        return delivery
    Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    delivery.refresh_from_db(fields=["attempts"])
    try:
        _send(delivery)
    except Exception as exc:  # noqa: BLE001 — any failure is recorded and retried by the queue
        delivery.status = Delivery.Status.FAILED
        delivery.error = str(exc)[:300] or exc.__class__.__name__
        delivery.save(update_fields=["status", "error"])
        log.warning("delivery %s failed (attempt %s): %s", delivery_id, delivery.attempts, delivery.error)
        raise DeliveryFailed(delivery.error) from exc
    delivery.status = Delivery.Status.SENT
    delivery.error = ""
    delivery.sent_at = now()
    delivery.save(update_fields=["status", "error", "sent_at"])
    return delivery
