"""How the pages' filters read: the year as a select, "All" as the empty choice."""

from __future__ import annotations

import re

import pytest

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


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
