"""The gate every signed-in browser request passes, before any view: the second factor, a password
that must be changed, and the separation of duties (accounts.duties).

Placed after django_otp.middleware.OTPMiddleware (request.user.is_verified). Bearer-token API calls
are not signed in here (api.auth sets their user inside the API), so they pass untouched: a machine
client has no second factor and changes no password; api.auth refuses administrators' tokens.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from . import duties, otp
from .models import User

# Reachable while a step is pending: the step's own page and the way out.
WAY_OUT = {"logout", "set_language"}
OTP_PAGES = {"accounts:otp_verify", "accounts:otp_enrol"}
PASSWORD_PAGES = {"accounts:password_change"}


def password_expired(user: User, now: dt.datetime | None = None) -> bool:
    """Older than KEYPROJ_PASSWORD_DAYS (0: never). Real clock, never the demo's pinned "today"."""
    days = settings.KEYPROJ_PASSWORD_DAYS
    if not days:
        return False
    changed = user.password_changed_at or user.date_joined
    return changed <= (now or timezone.now()) - dt.timedelta(days=days)


def must_change_password(user: User) -> bool:
    return first_change_pending(user) or password_expired(user)


def first_change_pending(user: User) -> bool:
    """A password an administrator set, not yet replaced (enforced with KEYPROJ_PASSWORD_FIRST_CHANGE)."""
    return settings.KEYPROJ_PASSWORD_FIRST_CHANGE and user.must_change_password


def password_reason(user: User) -> str:
    """Why the password change page is the only page open, in words; empty when it is not."""
    if first_change_pending(user):
        return _("Choose your own password before you go on: this one was set by an administrator.")
    if password_expired(user):
        return _("Your password is more than %(days)d days old. Choose a new one before you go on.") % {
            "days": settings.KEYPROJ_PASSWORD_DAYS
        }
    return ""


class AccountGate:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in WAY_OUT:
            return None
        if otp.asks_code(request) and not user.is_verified():
            if name in OTP_PAGES:
                return None
            return redirect("accounts:otp_verify" if otp.confirmed_device(user) else "accounts:otp_enrol")
        if must_change_password(user):
            if name in PASSWORD_PAGES:
                return None
            return redirect("accounts:password_change")
        if user.is_administrator and name in ("home", "login"):
            return redirect(duties.LANDING[user.role])  # the home page is the battle map
        if not duties.allowed(user, name):
            raise PermissionDenied
        return None
