"""JSON behind every chart of the battle map, under /api/v1/ (documented in docs/battle-map.md).

Scoped like the pages: everything starts from the caller's Project.objects.for_user; anonymous
callers get 401 and no data.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import selectors
from .maps import boundary_for, project_points
from .wallchart import GROUPINGS, wall_chart, wall_chart_json


def api_login_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"detail": _("Authentication required.")}, status=401)
        return view(request, *args, **kwargs)

    return wrapper


def _period(request: HttpRequest) -> tuple[int, int]:
    return selectors.period(request.user, request.GET.get("year"), request.GET.get("month"))


@require_GET
@api_login_required
def dashboard(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/dashboard?year=&month= — every figure, chart series and list of the dashboard."""
    year, month = _period(request)
    return JsonResponse(selectors.dashboard(request.user, year=year, month=month))


@require_GET
@api_login_required
def wallchart(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/wallchart?year=&month=&by=sector|unit|leader&page=&size= — the wall chart's rows."""
    year, month = _period(request)
    by = request.GET.get("by") if request.GET.get("by") in GROUPINGS else "sector"
    try:
        size = int(request.GET.get("size") or 150)
    except ValueError:
        size = 150
    groups, page = wall_chart(
        request.user, year=year, month=month, by=by, page=request.GET.get("page") or 1, size=size
    )
    return JsonResponse(wall_chart_json(groups, page, year=year, month=month, by=by))


@require_GET
@api_login_required
def map_points(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/map?year=&month= — projects with coordinates as GeoJSON, coloured by light,
    with the tile source and the boundary to draw under them."""
    year, month = _period(request)
    boundary = boundary_for(request.user)
    return JsonResponse(
        {
            "year": year,
            "month": month,
            "tiles": {
                "url": settings.KEYPROJ_MAP_TILES_URL,
                "attribution": settings.KEYPROJ_MAP_TILES_ATTRIBUTION,
            },
            "boundary": boundary.geojson if boundary else None,
            "projects": project_points(request.user, year=year, month=month),
        }
    )
