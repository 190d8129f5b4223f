"""A growing delay per account for failed sign-ins spread over many addresses.

django-axes locks an account at one address (settings.AXES_LOCKOUT_PARAMETERS), so guesses spread
over addresses would be unlimited. Here the account's failures from every address since its last
successful sign-in (within the window) are counted; past the limit each attempt must wait 2^k
seconds after the last failure, at most the maximum (5 minutes by default), and is refused unread
meanwhile. An attacker cannot turn this into a lock on someone else's account: the delay is short
and bounded, and an address the account signed in from before (the user's office, their phone)
is not delayed at all, so the right password from there still signs in.
"""

from __future__ import annotations

import datetime as dt

from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.db.models import Max
from django.utils import timezone


def _known_address(username: str, address: str, now: dt.datetime) -> bool:
    since = now - dt.timedelta(days=settings.KEYPROJ_LOGIN_KNOWN_ADDRESS_DAYS)
    return AccessLog.objects.filter(username=username, ip_address=address, attempt_time__gte=since).exists()


def login_retry_at(*, username: str, address: str) -> dt.datetime | None:
    """When `username` may next be tried from `address`, or None when it may be tried now.

    Real clock (timezone.now), never the demo's pinned "today".
    """
    now = timezone.now()
    since = now - dt.timedelta(minutes=settings.KEYPROJ_LOGIN_THROTTLE_WINDOW_MINUTES)
    last_success = AccessLog.objects.filter(username=username, attempt_time__gte=since).aggregate(
        at=Max("attempt_time")
    )["at"]
    # Attempts refused by an axes lockout read no password: they are no guesses and do not count.
    failures = AccessFailureLog.objects.filter(
        username=username, locked_out=False, attempt_time__gte=last_success or since
    )
    summary = failures.aggregate(last=Max("attempt_time"))
    count = failures.count()
    excess = count - settings.KEYPROJ_LOGIN_THROTTLE_AFTER
    if excess < 0 or _known_address(username, address, now):
        return None
    wait = min(2 ** min(excess, 30), settings.KEYPROJ_LOGIN_THROTTLE_MAX_SECONDS)
    retry_at = summary["last"] + dt.timedelta(seconds=wait)
    return retry_at if retry_at > now else None
