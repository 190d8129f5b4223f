"""Coordinates typed from Chinese web maps, brought back to WGS-84 (what GPS, 天地图 and our map use).

高德 (AMap), 腾讯 and Google's China maps show GCJ-02, the offset that GB 20263 requires of published
maps; 百度 shows BD-09, a further offset of GCJ-02. The formulas are the well-known public ones
(Krasovsky 1940 ellipsoid, the offset polynomials); the Python packages that carry them (eviltransform,
coord-convert) have had no release for years, so they are written once here. GCJ-02 has no closed-form
inverse: `gcj02_to_wgs84` iterates the forward offset until it reproduces the input to 1e-9°, well
under a centimetre, instead of the one-step estimate that is off by up to a few metres.
"""

from __future__ import annotations

import math
from decimal import Decimal
from enum import StrEnum

A = 6378245.0  # semi-major axis of the Krasovsky 1940 ellipsoid GCJ-02 is defined on
EE = 0.00669342162296594323  # its first eccentricity squared
X_PI = math.pi * 3000.0 / 180.0
TOLERANCE = 1e-9
MAX_STEPS = 30


class System(StrEnum):
    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


def out_of_china(lng: float, lat: float) -> bool:
    """The offsets apply inside China's bounding box only; outside it every system is WGS-84."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (the forward offset)."""
    if out_of_china(lng, lat):
        return lng, lat
    dlat = _offset_lat(lng - 105.0, lat - 35.0)
    dlng = _offset_lng(lng - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (A / sqrtmagic * math.cos(radlat) * math.pi)
    return lng + dlng, lat + dlat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → WGS-84, by fixed-point iteration on the forward offset."""
    if out_of_china(lng, lat):
        return lng, lat
    x, y = lng, lat
    for _step in range(MAX_STEPS):
        gx, gy = wgs84_to_gcj02(x, y)
        dx, dy = gx - lng, gy - lat
        if abs(dx) < TOLERANCE and abs(dy) < TOLERANCE:
            break
        x, y = x - dx, y - dy
    return x, y


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """BD-09 → GCJ-02."""
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → BD-09."""
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def to_wgs84(lng: float, lat: float, system: str) -> tuple[float, float]:
    """A point read in `system` (a System value) as WGS-84 longitude and latitude."""
    system = System(system)
    if system is System.GCJ02:
        return gcj02_to_wgs84(lng, lat)
    if system is System.BD09:
        return gcj02_to_wgs84(*bd09_to_gcj02(lng, lat))
    return lng, lat


def to_wgs84_decimal(lng: Decimal, lat: Decimal, system: str, *, places: int = 6) -> tuple[Decimal, Decimal]:
    """`to_wgs84` for Decimal degrees, rounded to `places` (6 places is about 0.1 m)."""
    x, y = to_wgs84(float(lng), float(lat), system)
    step = Decimal(1).scaleb(-places)
    return Decimal(repr(x)).quantize(step), Decimal(repr(y)).quantize(step)
