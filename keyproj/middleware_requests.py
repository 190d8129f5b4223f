"""The request id and the one log line per request (docs/operations.md)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

from accounts.addresses import client_ip

from .logging_setup import RequestContext, current, request_id_from

REQUEST_ID_HEADER = "X-Request-ID"
request_log = logging.getLogger("keyproj.request")


class RequestLog:
    """First in the chain: gives the request its id (nginx's X-Request-ID, else a new one), echoes it
    in the response, and logs the request's method, path, status and duration when it ends.

    Every line logged while the request runs carries the id and, once the request's user is known,
    the user's id and name (keyproj.logging_setup.RequestContextFilter), so one request's lines can
    be found together in the logs and a user's report "it failed at 10:02" leads to them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        # Cleared when the response is closed (request_finished), not on the way out of here: Django
        # logs a 4xx/5xx (django.request) after the middleware has returned, and that line belongs to
        # the request too.
        current.set(RequestContext(request_id=request_id, client=client_ip(request), request=request))
        started = time.monotonic()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        request_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response


def _forget_request(sender: object, **kwargs: object) -> None:
    current.set(None)


request_finished.connect(_forget_request, dispatch_uid="keyproj.middleware_requests.forget")
