"""lib/coords.py: GCJ-02 (高德) and BD-09 (百度) coordinates back to WGS-84, against published points."""

from __future__ import annotations

from decimal import Decimal

import pytest

from lib import coords

# Tian'anmen (116.404, 39.915) through the public coordtransform library's documented conversions.
TIANANMEN = (116.404, 39.915)
PUBLISHED = {
    "wgs84_to_gcj02": (116.41024449916938, 39.91640428150164),
    "gcj02_to_bd09": (116.41036949371029, 39.92133699351021),
    "bd09_to_gcj02": (116.39762729119315, 39.90865673957631),
}
# Beijing railway station as 高德 and 百度 show it (five decimals as published).
STATION_GCJ02 = (116.42703, 39.90245)
STATION_BD09 = (116.43351, 39.90851)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_it_matches_the_published_conversions(name):
    lng, lat = getattr(coords, name)(*TIANANMEN)
    assert lng == pytest.approx(PUBLISHED[name][0], abs=1e-9)
    assert lat == pytest.approx(PUBLISHED[name][1], abs=1e-9)


def test_it_matches_the_station_in_both_maps():
    assert coords.gcj02_to_bd09(*STATION_GCJ02) == pytest.approx(STATION_BD09, abs=1e-5)
    assert coords.bd09_to_gcj02(*STATION_BD09) == pytest.approx(STATION_GCJ02, abs=1e-5)


@pytest.mark.parametrize(
    "point", [(108.99, 28.44), (116.404, 39.915), (121.4737, 31.2304), (87.6168, 43.8256)]
)
def test_it_inverts_gcj02_to_well_under_a_metre(point):
    # The one-step inverse most snippets use is off by up to a few metres; iteration is exact.
    back = coords.gcj02_to_wgs84(*coords.wgs84_to_gcj02(*point))
    assert back == pytest.approx(point, abs=1e-8)  # 1e-8° is about a millimetre


def test_it_brings_a_baidu_point_back_to_wgs84():
    wgs = (108.990000, 28.440000)
    bd = coords.gcj02_to_bd09(*coords.wgs84_to_gcj02(*wgs))
    # BD-09's published inverse is itself a close approximation: a few centimetres.
    assert coords.to_wgs84(*bd, "bd09") == pytest.approx(wgs, abs=1e-6)
    lng, lat = coords.to_wgs84_decimal(Decimal(repr(bd[0])), Decimal(repr(bd[1])), "bd09")
    micro = Decimal("0.000001")
    assert abs(lng - Decimal("108.99")) <= micro and abs(lat - Decimal("28.44")) <= micro
    assert lng.as_tuple().exponent == -6


def test_it_leaves_points_outside_china_and_wgs84_points_alone():
    assert coords.to_wgs84(2.3522, 48.8566, "gcj02") == (2.3522, 48.8566)
    assert coords.to_wgs84(108.99, 28.44, "wgs84") == (108.99, 28.44)
    with pytest.raises(ValueError):
        coords.to_wgs84(108.99, 28.44, "cgcs")
