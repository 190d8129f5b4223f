"""SMS through a provider interface: KEYPROJ_SMS_BACKEND names a class with `send(phone, text)` that
raises on failure. The console backend (the default, for development and tests) only logs."""

from __future__ import annotations

import logging
from collections import deque
from typing import ClassVar, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class ConsoleBackend:
    """Writes the message to the log instead of sending it; keeps the last hundred sent, for tests."""

    sent: ClassVar[deque[tuple[str, str]]] = deque(maxlen=100)

    def send(self, phone: str, text: str) -> None:
        log.warning("SMS to %s: %s", phone, text)
        ConsoleBackend.sent.append((phone, text))


def backend() -> SmsBackend:
    return import_string(settings.KEYPROJ_SMS_BACKEND)()
