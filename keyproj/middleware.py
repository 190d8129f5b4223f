"""Request-wide middleware of the project (not of any one app)."""

from __future__ import annotations

import logging
import sqlite3
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.defaults import page_not_found

from accounts.views import SESSION_ENDED

TOUCHED = "_keyproj_touched"
SIGNED_IN = "_keyproj_signed_in"


def _mark_signed_in(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """Start the absolute lifetime at every sign-in (login() keeps the session data for the same user)."""
    if getattr(request, "session", None) is not None:
        request.session[SIGNED_IN] = int(time.time())


user_logged_in.connect(_mark_signed_in, dispatch_uid="keyproj.middleware.signed_in")


class SlidingSession:
    """The idle timeout without writing the session on every request.

    A signed-in session lives SESSION_COOKIE_AGE after it was last saved. Saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) costs a database write per page view, which at the
    deadline-day burst is most of the writes; here the expiry is pushed forward only when the last
    push is SESSION_REFRESH_SECONDS old, so a user idle for the whole age is still signed out
    (at most that many seconds early). Real clock: session times never follow the pinned "today".

    Beside it an absolute lifetime: SESSION_ABSOLUTE_SECONDS after signing in the session ends however
    busy it was kept, so that a stolen session cookie or a shared screen left running does not stay
    signed in for good. The sign-in time is set at login (a session from before this rule starts its
    lifetime at its next request).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            signed_in = session.get(SIGNED_IN)
            if signed_in is not None and time.time() - signed_in >= settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)  # flushes the session: the view sees an anonymous user
                session[SESSION_ENDED] = True  # the sign-in page says why
        response = self.get_response(request)
        if session is not None and not session.is_empty() and request.user.is_authenticated:
            now = int(time.time())
            session.setdefault(SIGNED_IN, now)
            if now - session.get(TOUCHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[TOUCHED] = now  # marks the session modified: SessionMiddleware saves it
        return response


class NoStoreWhenSignedIn:
    """`Cache-Control: no-store` on every response to a signed-in user (no cache, shared or private).

    Pages show unit data to the one user allowed to see it: no shared proxy may keep them, and the
    browser may not show them from its cache after sign-out (the back button on a shared computer).
    Static files never reach this middleware (whitenoise and the static handler answer first); the
    STATIC_URL prefix is skipped anyway so a deployment that routes them through Django keeps caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        static = request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))
        if user is not None and user.is_authenticated and not static:
            patch_cache_control(response, no_store=True)
        return response


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), and the server-error page's own styles.

    Django renders 500.html without a request, so the page cannot carry the nonce; it holds no data
    of anyone's, and its inline <style> is let through on that response alone.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code >= 500 and not getattr(request, "_csp_nonce", None):
            response._csp_update = {"style-src": ["'unsafe-inline'"]}
        return super().process_response(request, response)


class NotFoundPage:
    """The app's own 404 page under DEBUG too (`make run` serves with DEBUG on).

    Django answers a missing or out-of-scope page under DEBUG with its technical page: English, and
    listing every URL pattern. Here both a path no pattern matches and an Http404 raised by a view
    get the page production shows (templates/404.html, through Django's page_not_found).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and getattr(request, "resolver_match", None) is None
        ):
            return page_not_found(request, Http404())
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


# How long a client is asked to wait while the database restarts (PostgreSQL is back in seconds).
DATABASE_RETRY_AFTER = 30
DATABASE_ERRORS = (OperationalError, InterfaceError)
DB_ERROR = "_keyproj_database_error"
DB_WRITES = "_keyproj_database_writes"
READS = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "SET ", "SHOW", "EXPLAIN")
database_log = logging.getLogger("keyproj.database")


def _keep_database_error(sender: object, request: HttpRequest | None = None, **kwargs: object) -> None:
    """Note a lost database raised outside any view (a session or user loaded by another middleware,
    the session saved after the view) for DatabaseUnavailable, which sees only the 500 Django made of it."""
    error = sys.exc_info()[1]
    if request is not None and database_lost(error):
        setattr(request, DB_ERROR, error)


def database_lost(error: BaseException) -> bool:
    """Whether the error means the database cannot be reached or cannot answer now.

    On PostgreSQL every OperationalError is one (connection lost, shutting down, deadlock, timeout);
    a bad query is a ProgrammingError or DataError. SQLite raises OperationalError for a bad query too
    (no such table, a syntax error, too many variables): a bug, which stays a 500; there only a locked
    or unreadable database file counts.
    """
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    if isinstance(error.__cause__, sqlite3.Error):
        return any(text in str(error.__cause__) for text in ("locked", "unable to open", "disk I/O"))
    return True


got_request_exception.connect(_keep_database_error, dispatch_uid="keyproj.middleware.database_error")


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


def _raised_at_commit(error: BaseException) -> bool:
    """Whether the error (or one it replaced, e.g. while autocommit was set back) came from COMMIT:
    the server may have committed before the connection was lost, so the outcome is unknown."""
    for link in _chain(error):
        for frame, _line in traceback.walk_tb(link.__traceback__):
            module = frame.f_globals.get("__name__", "")
            if frame.f_code.co_name in ("commit", "_commit") and module.startswith("django.db.backends"):
                return True
    return False


class _Writes:
    """What this request's SQL changed, as far as a lost connection makes it matter (an execute wrapper
    on every connection): a write committed, a write sent outside a transaction whose answer never came,
    or a transaction with writes whose COMMIT failed — each leaves the outcome unknown to the user."""

    def __init__(self) -> None:
        self.wrote = False
        self.committed = False
        self.unknown = False
        self.hooked: dict[str, list] = {}  # alias → the on_commit list our hook is in

    def __call__(self, execute, sql, params, many, context):
        write = not str(sql).lstrip("( \n\t")[:9].upper().startswith(READS)  # "(SELECT …) UNION …" reads
        connection = context["connection"]
        try:
            result = execute(sql, params, many, context)
        except DATABASE_ERRORS:
            if write and not connection.in_atomic_block:
                self.unknown = True  # autocommit: the statement may have run and committed
            raise
        if write:
            self.wrote = True
            if connection.in_atomic_block:
                # Once per transaction: commit, rollback and a rolled-back savepoint replace the list.
                if self.hooked.get(connection.alias) is not connection.run_on_commit:
                    connection.on_commit(self._committed)
                    self.hooked[connection.alias] = connection.run_on_commit
            else:
                self.committed = True
        return result

    def _committed(self) -> None:
        self.committed = True

    def outcome_unknown(self, error: BaseException) -> bool:
        """Sticky: once a response said "cannot confirm", a later error never turns it into "not saved"."""
        self.unknown = self.unknown or self.committed or (self.wrote and _raised_at_commit(error))
        return self.unknown


class DatabaseUnavailable:
    """503 with Retry-After while the database cannot be reached (PostgreSQL restarting or down).

    An OperationalError or InterfaceError from a view is answered here and logged; one raised by
    another middleware (the session or the user loaded, the session saved) reaches this class as
    Django's 500, which is replaced. Any other exception stays a 500 (a bug is a bug, logged by Django),
    and so does a bad query on SQLite (database_lost).

    The page never says "saved" and never says "not saved" when that may be false: before any
    transaction or inside one (rolled back) nothing of the request is kept and it says so; after a
    write was committed, or when COMMIT itself failed, it says the change cannot be confirmed and asks
    to reload and look. The page is rendered without the request's context processors: they would
    ask the database again. JSON for the API and for callers that accept only JSON.
    Connections recover by themselves: Django drops a broken one at the end of the request and
    CONN_HEALTH_CHECKS tests a kept one before reuse (keyproj/settings.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        writes = _Writes()
        setattr(request, DB_WRITES, writes)
        with ExitStack() as stack:
            for connection in connections.all():
                stack.enter_context(connection.execute_wrapper(writes))
            response = self.get_response(request)
        error = getattr(request, DB_ERROR, None)
        if error is not None and response.status_code == 500:
            database_log.warning("Database unavailable: %s %s answered 503", request.method, request.path)
            return self.unavailable(request, error)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not database_lost(exception):
            return None
        database_log.error(
            "Database unavailable: %s %s answered 503", request.method, request.path, exc_info=exception
        )
        return self.unavailable(request, exception)

    def unavailable(self, request: HttpRequest, error: BaseException) -> HttpResponse:
        writes = getattr(request, DB_WRITES, None) or _Writes()
        if request.method in ("GET", "HEAD", "OPTIONS"):  # what such a request writes (a session) no one sent
            message = _("The database is restarting or cannot be reached. Please reload in a minute.")
        elif writes.outcome_unknown(error):
            message = _(
                "The database stopped answering while your change was being saved: it could not be "
                "confirmed whether it was saved. Reload the page in a minute and check before sending it again."
            )
        else:
            message = _(
                "The database is restarting or cannot be reached, and nothing was saved. "
                "Please send it again in a minute."
            )
        if request.path.startswith("/api/") or (
            request.accepts("application/json") and not request.accepts("text/html")
        ):
            response = JsonResponse({"detail": message}, status=503)
        else:
            # A nonce the failed page already used goes on the style (the CSP header carries it); an
            # unused one stays ungenerated (django-csp's lazy nonce is falsy) and ContentSecurityPolicy
            # lets the inline style through, as for the 500 page.
            nonce = getattr(request, "csp_nonce", "")
            page = render_to_string("503.html", {"message": message, "nonce": str(nonce) if nonce else ""})
            response = HttpResponse(page, status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        patch_cache_control(response, no_store=True)
        return response
