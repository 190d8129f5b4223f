"""Who calls the API: a bearer token or a signed-in browser session; the per-token rate limit; the
log of every call.

A token acts as its user (request.user is set to it, so history records the right person) but it
never signs anyone in: no session is created, and the HTML pages do not read the Authorization
header at all.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security.base import AuthBase
from ninja.throttling import BaseThrottle
from ninja.utils import check_csrf

from .models import ApiCall, ApiToken

# last_used is written at most once a minute per token, not on every call.
LAST_USED_EVERY = dt.timedelta(seconds=60)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
PERIODS = {"s": 1, "sec": 1, "min": 60, "m": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


class BearerToken(AuthBase):
    """`Authorization: Bearer <token>`. A header that is present but wrong is refused with 401: it never
    falls back to a browser session."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
        header = request.headers.get("Authorization")
        if not header:
            return None
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise AuthenticationError(message=_("Send the token as 'Authorization: Bearer <token>'."))
        token = ApiToken.find(secret.strip())
        if token is None:
            raise AuthenticationError(message=_("This token is not valid."))
        request.api_token = token
        if not token.is_active:
            raise AuthenticationError(message=_("This token has been revoked."))
        if not token.user.is_active:
            raise AuthenticationError(message=_("This token's user is deactivated."))
        if token.user.is_administrator:  # 三员分立: an administrator reads no business data
            raise AuthenticationError(message=_("An administrator's account has no API access."))
        moment = timezone.now()
        if token.last_used is None or moment - token.last_used >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used=moment)
        request.user = token.user
        return token.user


class Session(AuthBase):
    """The signed-in browser session (the battle map pages fetch the API); writes need the CSRF token."""

    openapi_type = "apiKey"
    openapi_in = "cookie"
    openapi_name = settings.SESSION_COOKIE_NAME

    def __call__(self, request: HttpRequest):
        user = request.user
        if not user.is_authenticated:
            return None
        if request.method not in SAFE_METHODS and check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the X-CSRFToken header with a session's write."))
        return user


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/min" → (120, 60)."""
    try:
        count, period = rate.split("/")
        return int(count), PERIODS[period.strip()]
    except (ValueError, KeyError):
        raise ImproperlyConfigured(f"KEYPROJ_API_RATE must look like '120/min', got {rate!r}")


class TokenRate(BaseThrottle):
    """At most KEYPROJ_API_RATE calls per token in each window (Django's cache counts). Sessions are
    not limited: the pages poll every few minutes."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        if token is None:
            return True
        limit, period = parse_rate(settings.KEYPROJ_API_RATE)
        window = int(time.time() // period)
        self.retry_after = (window + 1) * period - time.time()
        key = f"keyproj:api-rate:{token.pk}:{window}"
        cache.add(key, 0, timeout=period + 1)
        try:
            calls = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period + 1)
            calls = 1
        return calls <= limit

    def wait(self) -> float | None:
        return getattr(self, "retry_after", None)


def logged(view: Callable) -> Callable:
    """Record the call (who, when, which endpoint, which status) once the response is known.

    Calls nobody can be named for (no session, an unknown token) are not recorded: nobody could
    read them and they would let anyone fill the table.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        token = getattr(request, "api_token", None)
        user = token.user if token is not None else request.user
        if token is not None or user.is_authenticated:
            ApiCall.objects.create(
                via=ApiCall.Via.TOKEN if token is not None else ApiCall.Via.SESSION,
                token=token,
                user=user,
                method=request.method[:8],
                path=request.path[:200],
                status=response.status_code,
            )
        return response

    return wrapper


def json_401() -> JsonResponse:
    return JsonResponse({"detail": _("Sign in, or send 'Authorization: Bearer <token>'.")}, status=401)


def caller_required(view: Callable) -> Callable:
    """For the JSON endpoints outside the operations (the schema, the API root): a session or a
    valid token, else 401 with the error shape."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            user = BearerToken()(request) or Session()(request)
        except HttpError as exc:
            return JsonResponse({"detail": exc.message}, status=exc.status_code)
        if not user:
            return json_401()
        return view(request, *args, **kwargs)

    return wrapper


def page_login_required(view: Callable) -> Callable:
    """The browsable docs are a page: a session only (a token does not sign in to pages)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper
