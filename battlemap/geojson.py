"""Checking an uploaded boundary: GeoJSON parsed with json only, bounded in size and depth."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
GEOMETRIES = {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
# How deep coordinates nest for each geometry type (a Point is [x, y], a MultiPolygon four lists deep).
DEPTH = {"Point": 0, "MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def parse_geojson(raw: bytes) -> dict[str, Any]:
    """Parse and check a GeoJSON document; return it normalised as a FeatureCollection.

    Raises ValidationError with a message a user can act on. Only `json` touches the bytes.
    """
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ValidationError(_("The file is not valid JSON (UTF-8 GeoJSON is expected)."))
    if not isinstance(data, dict):
        raise ValidationError(_("The file is JSON but not GeoJSON: it must be an object with a type."))
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise ValidationError(_("The FeatureCollection has no features."))
    elif kind == "Feature":
        features = [data]
    elif kind in GEOMETRIES:
        features = [{"type": "Feature", "properties": {}, "geometry": data}]
    else:
        raise ValidationError(_("Unknown GeoJSON type %(type)s.") % {"type": str(kind)[:40]})
    clean = []
    for number, feature in enumerate(features, start=1):
        clean.append(_feature(feature, number))
    return {"type": "FeatureCollection", "features": clean}


def _feature(feature: Any, number: int) -> dict[str, Any]:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValidationError(_("Feature %(n)d is not a GeoJSON Feature.") % {"n": number})
    geometry = feature.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in GEOMETRIES:
        raise ValidationError(_("Feature %(n)d has no usable geometry.") % {"n": number})
    if not _coordinates_ok(geometry.get("coordinates"), DEPTH[geometry["type"]]):
        raise ValidationError(
            _("Feature %(n)d has coordinates that are not longitude/latitude numbers.") % {"n": number}
        )
    properties = feature.get("properties")
    properties = properties if isinstance(properties, dict) else {}
    # Only a name is kept from the properties; the rest is not needed to draw the outline.
    name = properties.get("name")
    return {
        "type": "Feature",
        "properties": {"name": str(name)[:100]} if name is not None else {},
        "geometry": {"type": geometry["type"], "coordinates": geometry["coordinates"]},
    }


def _coordinates_ok(value: Any, depth: int) -> bool:
    if depth == 0:
        return (
            isinstance(value, list)
            and len(value) >= 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value[:2])
            and -180 <= value[0] <= 180
            and -90 <= value[1] <= 90
        )
    return isinstance(value, list) and bool(value) and all(_coordinates_ok(v, depth - 1) for v in value)
