"""Logs a server can ship: one JSON object a line, each carrying the request id and the user.

Under `make run` (DEBUG on) the lines stay plain text for a person reading a terminal; with DEBUG off
(or LOG_FORMAT=json) every line is JSON (python-json-logger). The request's id and user travel in a
context variable set by keyproj.middleware_requests.RequestLog, so a line logged anywhere during the
request (a view, a service, a database warning) carries them without being passed anything.

Also here, because it is set up at the same moment: the optional error-reporting DSN (SENTRY_DSN).
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.utils.functional import empty

# What a request id may be when a proxy sends one (nginx's $request_id is 32 hex digits): anything
# else is replaced, so a client cannot write arbitrary text into every log line.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:-]{1,128}")
NO_REQUEST = "-"


@dataclass
class RequestContext:
    request_id: str
    client: str = ""
    request: object = field(default=None, repr=False)


current: ContextVar[RequestContext | None] = ContextVar("keyproj_request", default=None)


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is a sensible token, else a new one."""
    if header and REQUEST_ID_PATTERN.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _user_of(request: object) -> object | None:
    """The request's user if it is already known; never loads it (a log line must not query the
    database, and a line logged by the database layer itself would recurse)."""
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)  # django's SimpleLazyObject until evaluated
    return None if wrapped is empty else wrapped


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id, username and client to every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current.get()
        record.request_id = context.request_id if context else NO_REQUEST
        record.client = context.client if context else ""
        user = _user_of(context.request) if context else None
        if user is not None and getattr(user, "is_authenticated", False):
            record.user_id = user.pk
            record.username = user.get_username()
        else:
            record.user_id = None
            record.username = ""
        return True


JSON_FIELDS = (
    "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s %(username)s %(client)s"
)
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(username)s] %(message)s"


def logging_config(*, json: bool, level: str, request_level: str) -> dict:
    """settings.LOGGING: one console handler, JSON or text, the request filter on it."""
    formatter = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
        if json
        else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request": {"()": "keyproj.logging_setup.RequestContextFilter"}},
        "formatters": {"main": formatter},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "filters": ["request"], "formatter": "main"}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per request (keyproj.middleware_requests): method, path, status, duration.
            "keyproj.request": {"level": request_level, "propagate": True},
        },
    }


def init_error_reporting(dsn: str, *, environment: str, release: str, traces_sample_rate: float) -> bool:
    """sentry-sdk with its Django integration when a DSN is configured; nothing at all without one.

    send_default_pii is off: no user names, addresses, cookies or request bodies leave the county's
    network with an error report (the user's id still does, from the log context, not the SDK).
    """
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
    )
    return True
