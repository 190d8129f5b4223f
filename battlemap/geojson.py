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


def decode_echarts(collection: dict[str, Any]) -> dict[str, Any]:
    """Plain GeoJSON from ECharts' compressed map encoding (`"UTF8Encoding": true`).

    Each ring is a string of character pairs: code point − 64 is a zigzag-encoded delta from the
    previous point, in 1/1024 degree, starting from the ring's entry in `encodeOffsets`. This is the
    decoder ECharts itself runs in the browser (echarts/src/coord/geo/parseGeoJson.ts), done once on
    the server so the page gets ordinary coordinates. A collection without the flag is returned as is.
    """
    if not collection.get("UTF8Encoding"):
        return collection
    scale = collection.get("UTF8Scale") or 1024
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        coordinates, offsets = geometry["coordinates"], geometry.get("encodeOffsets")
        if geometry["type"] == "Polygon":
            coordinates = [
                _decode_ring(ring, offset, scale) for ring, offset in zip(coordinates, offsets, strict=True)
            ]
        elif geometry["type"] == "MultiPolygon":
            coordinates = [
                [
                    _decode_ring(ring, offset, scale)
                    for ring, offset in zip(polygon, polygon_offsets, strict=True)
                ]
                for polygon, polygon_offsets in zip(coordinates, offsets, strict=True)
            ]
        features.append(
            {
                "type": "Feature",
                "properties": feature.get("properties") or {},
                "geometry": {"type": geometry["type"], "coordinates": coordinates},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _decode_ring(encoded: str, offset: list[int], scale: int) -> list[list[float]]:
    x, y = offset
    ring = []
    for i in range(0, len(encoded) - 1, 2):
        dx, dy = ord(encoded[i]) - 64, ord(encoded[i + 1]) - 64
        x += (dx >> 1) ^ -(dx & 1)
        y += (dy >> 1) ^ -(dy & 1)
        ring.append([round(x / scale, 6), round(y / scale, 6)])
    return ring


def transform(collection: dict[str, Any], convert) -> dict[str, Any]:
    """The collection with every position passed through `convert(lng, lat) -> (lng, lat)`."""

    def walk(value: Any, depth: int) -> Any:
        if depth == 0:
            lng, lat = convert(value[0], value[1])
            return [round(lng, 7), round(lat, 7), *value[2:]]
        return [walk(v, depth - 1) for v in value]

    return {
        "type": "FeatureCollection",
        "features": [
            {
                **feature,
                "geometry": {
                    "type": feature["geometry"]["type"],
                    "coordinates": walk(
                        feature["geometry"]["coordinates"], DEPTH[feature["geometry"]["type"]]
                    ),
                },
            }
            for feature in collection["features"]
        ],
    }
