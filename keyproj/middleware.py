"""Request-wide middleware of the project (not of any one app)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.defaults import page_not_found

TOUCHED = "_keyproj_touched"


class SlidingSession:
    """The idle timeout without writing the session on every request.

    A signed-in session lives SESSION_COOKIE_AGE after it was last saved. Saving it on every
    request (SESSION_SAVE_EVERY_REQUEST) costs a database write per page view, which at the
    deadline-day burst is most of the writes; here the expiry is pushed forward only when the last
    push is SESSION_REFRESH_SECONDS old, so a user idle for the whole age is still signed out
    (at most that many seconds early). Real clock: session times never follow the pinned "today".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(TOUCHED, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[TOUCHED] = now  # marks the session modified: SessionMiddleware saves it
        return response


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
