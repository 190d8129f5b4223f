"""The one API object behind /api/v1/: authentication, the rate limit, the error shape, the routers.

Every error answers {"detail": "<message in the caller's language>"}: 400 for bad parameters (ninja's
422 for a failed validation becomes 400), 401 without a session or a valid token, 403 for what the
caller may read but not do, 404 outside the caller's scope, 409 for a workflow step the object's
state does not allow, 429 past the token's rate.
"""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from . import (
    approvals,
    figures,
    funds,
    land,
    lists,
    milestones,
    pool,
    projects,
    registers,
    reports,
    safety,
    works,
)
from .auth import BearerToken, Session, TokenRate, caller_required, logged, page_login_required
from .docs import LocalSwagger
from .params import param_message


class KeyprojAPI(NinjaAPI):
    def _get_urls(self) -> list:
        """ninja's routes, each call logged; the schema for callers only, the docs page for signed-in
        users; a JSON 404 (401 for strangers) for any other path under the API."""
        guards = {
            "openapi-json": caller_required,
            "openapi-view": page_login_required,
            "api-root": caller_required,
        }
        urls = []
        for entry in super()._get_urls():
            view = entry.callback
            if entry.name == "api-root":
                view = root
            view = guards.get(entry.name, lambda v: v)(view)
            urls.append(URLPattern(entry.pattern, logged(view), entry.default_args, entry.name))
        urls.append(path("<path:rest>", logged(caller_required(not_found)), name="not-found"))
        return urls


def root(request: HttpRequest, **kwargs) -> HttpResponse:
    return redirect(reverse("api:openapi-view"))


def not_found(request: HttpRequest, rest: str) -> HttpResponse:
    return json_error(_("There is no such endpoint or object."), 404)


def json_error(message: str, status: int) -> HttpResponse:
    return api.create_response(None, {"detail": message}, status=status)


api = KeyprojAPI(
    title="keyproj",
    version="1",
    description=(
        "重点项目调度平台 JSON API. Every figure comes from the same code as the pages, scoped to the caller. "
        "Authenticate with `Authorization: Bearer <token>` (issued by the key-project office) or a "
        'signed-in session. Errors: `{"detail": "..."}`.'
    ),
    urls_namespace="api",
    auth=[BearerToken(), Session()],
    throttle=[TokenRate()],
    docs=LocalSwagger(),
)


@api.exception_handler(ValidationError)
def bad_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return json_error(param_message(exc.errors[0] if exc.errors else {}), 400)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if exc.message == "Unauthorized":  # ninja's own, when no scheme matched
        return json_error(_("Sign in, or send 'Authorization: Bearer <token>'."), 401)
    return json_error(exc.message, 401)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    return json_error(_("Too many requests for this token: wait a moment and try again."), 429)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return json_error(exc.message, exc.status_code)


@api.exception_handler(Http404)
def not_in_scope(request: HttpRequest, exc: Exception) -> HttpResponse:
    return json_error(_("Not found."), 404)


api.add_exception_handler(ObjectDoesNotExist, not_in_scope)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return json_error(str(exc) or _("You may read this but not change it."), 403)


@api.exception_handler(DjangoValidationError)
def invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return json_error(" ".join(exc.messages), 400)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    """Anything else is a bug or an outage: Django handles it as it does for a page, whatever DEBUG
    says — logged by django.request and a 500, or keyproj.middleware's 503 while the database is
    away. (ninja's own handler answers DEBUG's traceback as a 500 of its own, logged nowhere.)"""
    raise exc


api.add_router("", figures.router)
api.add_router("", projects.router)
api.add_router("", reports.router)
api.add_router("", registers.router)
api.add_router("", pool.router)
api.add_router("", lists.router)
api.add_router("", land.router)
api.add_router("", approvals.router)
api.add_router("", works.router)
api.add_router("", safety.router)
api.add_router("", funds.router)
api.add_router("", milestones.router)

__all__ = ["api"]
