"""The login log's records (accounts.SecurityEvent): sign-ins, failures, sign-outs, passwords.

Django's auth signals call these (accounts.apps connects them): they only write the log, they
decide nothing. Times are the real clock (timezone.now), never the demo's pinned "today".
"""

from __future__ import annotations

import ipaddress

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone

from .addresses import client_ip
from .models import SecurityEvent, User

Kind = SecurityEvent.Kind


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None


def security_event_record(
    *,
    kind: str,
    request: HttpRequest | None,
    user: User | None = None,
    username: str = "",
    by: User | None = None,
) -> SecurityEvent:
    """Write one line of the login log. `username` is the name as typed (cut to 150 characters);
    `user` the account it named, if any."""
    if isinstance(user, AnonymousUser):
        user = None
    agent = request.META.get("HTTP_USER_AGENT", "") if request is not None else ""
    return SecurityEvent.objects.create(
        at=timezone.now(),
        kind=kind,
        user=user,
        username=(username or (user.username if user else ""))[:150],
        by=by,
        ip_address=_address(request),
        user_agent=agent[:255],
    )


def on_signed_in(sender, request: HttpRequest, user: User, **kwargs) -> None:
    # Django's own receiver saves last_login with user.save(), which would add an empty history row
    # to every sign-in; an update() writes it without one (accounts.apps disconnects Django's).
    User.objects.filter(pk=user.pk).update(last_login=timezone.now())
    security_event_record(kind=Kind.SIGNED_IN, request=request, user=user)


def on_sign_in_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    typed = str(credentials.get("username") or "")[:150]
    user = User.objects.filter(username=typed).first() if typed else None
    # A wrong second-factor code (accounts.otp_views) is a failed sign-in too, logged as what it was.
    kind = Kind.OTP_FAILED if credentials.get("otp") else Kind.FAILED
    security_event_record(kind=kind, request=request, user=user, username=typed)


def on_signed_out(sender, request: HttpRequest, user: User | None, **kwargs) -> None:
    if user is not None and user.is_authenticated:
        security_event_record(kind=Kind.SIGNED_OUT, request=request, user=user)
