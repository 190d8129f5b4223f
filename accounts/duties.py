"""Separation of duties (三员分立): which administration page belongs to whom, in one table.

Every administration page is named here by its URL name, with its duty. accounts.middleware asks
`allowed()` before any view runs, so a page added later is refused to the three administrators by
default (they open only their own duty's pages and the few OPEN ones); the views check their duty
again (`duty_required`). With KEYPROJ_SEPARATE_DUTIES on (the default when DEBUG is off) the duties
belong to the administrators only; off (`make run`), the office keeps them as well.

Granting (docs/security.md): an administrator role is never granted on a page — only by
`manage.py create_admins` on the server — and no page edits an administrator's account, so no
administrator can make itself or anyone another kind of administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .models import User

Role = User.Role

USERS, UNITS, LOCKS, TOKENS, LOGIN_LOG, AUDIT = "users", "units", "locks", "tokens", "login_log", "audit"

# Whose duty each is when separated.
OWNER = {
    USERS: Role.SYSADMIN,
    UNITS: Role.SYSADMIN,
    LOCKS: Role.SECADMIN,
    TOKENS: Role.SECADMIN,
    LOGIN_LOG: Role.SECADMIN,
    AUDIT: Role.AUDITOR,
}

# The administration pages, by URL name (namespace:name), and their duty.
PAGES = {
    "accounts:users": USERS,
    "accounts:user_create": USERS,
    "accounts:user_edit": USERS,
    "accounts:units": UNITS,
    "accounts:unit_create": UNITS,
    "accounts:unit_edit": UNITS,
    "accounts:user_unlock": LOCKS,
    "accounts:security": LOCKS,
    "accounts:otp_reset": LOCKS,
    "api_tokens:list": TOKENS,
    "api_tokens:revoke": TOKENS,
    "accounts:login_log": LOGIN_LOG,
    "audit:log": AUDIT,
}

# Pages everyone signed in may open, administrators included: their own account and the way out.
OPEN = {
    "home",
    "login",  # signed in already: it sends them home, which sends an administrator to its page
    "logout",
    "set_language",
    "accounts:password_change",
    "accounts:otp_enrol",
    "accounts:otp_verify",
}

# Where an administrator lands (the home page is the battle map, business data).
LANDING = {Role.SYSADMIN: "accounts:users", Role.SECADMIN: "accounts:security", Role.AUDITOR: "audit:log"}


def separated() -> bool:
    return settings.KEYPROJ_SEPARATE_DUTIES


def duties_of(user: User) -> frozenset[str]:
    """The duties a signed-in user holds: an administrator its own; the office all six while
    separation is off; nobody else any."""
    if not user.is_authenticated:
        return frozenset()
    own = {duty for duty, role in OWNER.items() if role == user.role}
    if user.role == Role.OFFICE and not separated():
        own = set(OWNER)
    return frozenset(own)


def may(user: User, duty: str) -> bool:
    return duty in duties_of(user)


def allowed(user: User, view_name: str) -> bool:
    """May this signed-in user open the page named `view_name`? Administration pages by their duty;
    any other page is refused to the administrators unless OPEN, and left to the view's own checks
    for everyone else."""
    duty = PAGES.get(view_name)
    if duty is not None:
        return may(user, duty)
    if user.is_administrator:
        return view_name in OPEN
    return True


def duty_required(duty: str) -> Callable:
    """The view's own check of its duty (the middleware has refused already; this keeps a view
    closed if it is ever mounted under another name)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not may(request.user, duty):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
