"""Heavy reads to a read replica, a user's own writes always from the primary (docs/scale-out.md).

Only when DATABASE_REPLICA_URL is set (settings add the "replica" database, this router and the
middleware). The rule, in one place:

- A request may read the replica only if it is a GET or HEAD of a view named in
  settings.KEYPROJ_REPLICA_VIEWS (the dashboard, the xlsx exports, the API's reads) — ReplicaReads
  marks it in a context variable before the view runs; everything else reads the primary.
- Within such a request, reads go back to the primary as soon as anything is written, and inside a
  transaction (select_for_update, atomic blocks read what they write).
- Writes always go to the primary. A request that wrote leaves a mark for KEYPROJ_REPLICA_STICKY_SECONDS:
  a cookie for the browser and a cache key for the user and for the API token (CACHE_REDIS_URL makes it
  shared by every app server); while it lasts that user's requests read only the primary, so a user
  always sees their own writes whatever the replica's lag.
"""

from __future__ import annotations

import contextvars
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
MARK_COOKIE = "keyproj_primary"
# Who may do what is always read from the primary: accounts, sessions, tokens, locks, second factors
# (a revoked token or a locked account must not pass for a moment on a lagging replica).
PRIMARY_ONLY_APPS = {"accounts", "auth", "sessions", "api", "axes", "otp_totp", "otp_static", "django_otp"}
# Bookkeeping written on a read (the session pushed forward, a token's last use, the API's call log,
# the sign-in lock's records): not a write of the user's that a later read must see, so it keeps the
# request on the replica and leaves no mark. Any other INSERT, UPDATE or DELETE on the primary does.
BOOKKEEPING_TABLES = ("django_session", "api_apitoken", "api_apicall", "axes_")
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE)


@dataclass
class _Request:
    may_replica: bool = False
    wrote: bool = False


_current: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("keyproj_replica", default=None)


def is_user_write(sql: str) -> bool:
    """An INSERT, UPDATE or DELETE on a table other than the bookkeeping ones."""
    match = _WRITE.match(sql)
    return bool(match) and not match.group(1).lower().startswith(BOOKKEEPING_TABLES)


def _watch_writes(state: _Request):
    """An execute wrapper on the primary: notes the first INSERT, UPDATE or DELETE of the request."""

    def wrapper(execute, sql, params, many, context):
        if not state.wrote and is_user_write(sql):
            state.wrote = True
        return execute(sql, params, many, context)

    return wrapper


class ReplicaRouter:
    """Reads to the replica only for a marked request that has written nothing; writes to the primary."""

    def db_for_read(self, model, **hints) -> str:
        state = _current.get()
        if state is None or not state.may_replica or state.wrote:
            return DEFAULT_DB_ALIAS
        if model._meta.app_label in PRIMARY_ONLY_APPS:
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints) -> str:
        # Consulted for reads too (get_or_create, select_for_update): the primary, and no mark —
        # what marks a request is an actual write statement (_watch_writes).
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database: the replica is a copy of the primary

    def allow_migrate(self, db, app_label, **hints) -> bool | None:
        return False if db == REPLICA else None


def _marks(request) -> list[str]:
    """Cache keys naming who made the request: the signed-in user and the API token, if any."""
    keys = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        keys.append(f"keyproj:primary:user:{user.pk}")
    authorization = request.headers.get("Authorization", "")
    if authorization:
        digest = hashlib.sha256(authorization.encode()).hexdigest()[:32]
        keys.append(f"keyproj:primary:token:{digest}")
    return keys


def _listed(request) -> bool:
    match = request.resolver_match
    if match is None:
        return False
    names = settings.KEYPROJ_REPLICA_VIEWS
    return match.view_name in names or f"{match.namespace}:*" in names


class ReplicaReads:
    """Marks a listed GET/HEAD as allowed to read the replica, unless its user wrote recently;
    leaves the recent-writer mark on the way out of a request that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        state = _Request()
        token = _current.set(state)
        try:
            with connections[DEFAULT_DB_ALIAS].execute_wrapper(_watch_writes(state)):
                response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote:
            seconds = settings.KEYPROJ_REPLICA_STICKY_SECONDS
            response.set_cookie(
                MARK_COOKIE,
                "1",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            cache.set_many(dict.fromkeys(_marks(request), 1), seconds)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        state = _current.get()
        if state is None or request.method not in ("GET", "HEAD") or not _listed(request):
            return None
        if request.COOKIES.get(MARK_COOKIE) or any(cache.get_many(_marks(request)).values()):
            return None  # this user wrote a moment ago: read the primary
        state.may_replica = True
        return None
