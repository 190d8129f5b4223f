"""Background jobs (huey): every message that leaves the app, retried after a failure."""

from __future__ import annotations

from django.conf import settings
from huey.contrib.djhuey import db_task

from .delivery import delivery_send


@db_task(retries=settings.KEYPROJ_DELIVERY_RETRIES, retry_delay=settings.KEYPROJ_DELIVERY_RETRY_DELAY)
def deliver(delivery_id: int) -> None:
    """Send one e-mail, SMS or robot message; raises on failure so that huey tries again later."""
    delivery_send(delivery_id)
