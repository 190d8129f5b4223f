"""How figures and filters read on the pages: signed gaps with two places, year selects, "All" as the
empty filter choice, and error pages a user can act on."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client

from projects.templatetags.kp import points

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]
LONG_DECIMAL = re.compile(r"\d\.\d{5,}")


def test_it_signs_gap_points_with_two_places():
    assert points(Decimal("4.73999999999999")) == "+4.74"
    assert points(Decimal("-3.98000000000000")) == "\u22123.98"
    assert points(-5) == "\u22125.00"
    assert (points(Decimal("0.001")), points(None)) == ("0.00", "—")


def test_it_shows_gaps_signed_and_rounded_on_the_report_pages(reported):
    client = login(reported.office)
    monthly = client.get("/reports/?year=2020&month=9").content.decode()
    assert "\u221230.00" in monthly  # the road: 45 % against 75 %
    assert not LONG_DECIMAL.search(monthly)
    for path in ("/reports/units/?year=2020&month=9", "/", "/battlemap/?year=2020&month=9"):
        page = client.get(path).content.decode()
        assert not LONG_DECIMAL.search(page), path


def test_it_offers_the_year_as_a_select_on_the_report_pages(reported):
    client = login(reported.office)
    for path in (
        "/reports/",
        "/reports/units/",
        "/reports/not-started/",
        "/reports/status/",
        "/reports/settings/",
    ):
        page = client.get(path + "?year=2020&month=9").content.decode()
        assert re.search(r'<select name="year"[^>]*>\s*(<option[^>]*>\d{4}</option>)*', page), path
        assert '<option value="2020" selected>2020</option>' in page, path


def test_it_offers_all_rather_than_dashes_as_the_empty_filter_choice(reported):
    client = login(reported.office)
    for path in ("/blockers/", "/supervision/tasks/", "/supervision/inspections/new/"):
        page = client.get(path).content.decode()
        assert "---------" not in page, path


def test_it_gives_the_big_screen_the_words_to_relabel_its_period_on_refresh(reported):
    response = login(reported.office).get("/battlemap/screen/")
    assert "%(year)s" in response.context["labels"]["period"]
    assert 'id="bm-period"' in response.content.decode()


def test_it_shows_error_pages_a_user_can_act_on(reported):
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404
    page = anonymous.content.decode()
    assert "kp-sidebar" not in page and 'href="/login/"' in page
    refused = login(reported.viewer).get("/reports/settings/")
    assert refused.status_code == 403
    assert "kp-sidebar" in refused.content.decode() and "bi-shield-lock" in refused.content.decode()
