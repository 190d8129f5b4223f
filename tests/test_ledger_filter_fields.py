"""The ledger's filter fields are written in Python (reports.ledger.filter_fields_html): they must be
what the template loop they replace draws, for a county office, above county level with and without a
county chosen, with a value chosen, with errors, and with text needing escaping."""

from __future__ import annotations

import pytest
from django.template import engines

from projects.filters import LedgerFilter
from projects.models import YearPlan
from reports.ledger import FILTER_FIELDS_TEMPLATE, filter_fields_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def drawn_both_ways(user, data: dict) -> tuple[str, str]:
    template = engines["django"].from_string(FILTER_FIELDS_TEMPLATE)
    by_template = template.render({"filter": LedgerFilter(data, queryset=YearPlan.objects.all(), user=user)})
    by_python = filter_fields_html(LedgerFilter(data, queryset=YearPlan.objects.all(), user=user))
    return by_python, by_template


def test_it_draws_what_the_template_drew(reported):
    asks = [
        (reported.office, {}),
        (reported.office, {"sector": str(reported.reservoir.sector_id), "q": "<b>\"路\"</b> & 'x'"}),
        (reported.office, {"stage": "bogus", "unit": "987654", "started": "no"}),  # errors beside fields
        (reported.city_office, {}),
        (reported.city_office, {"region": str(reported.county.pk), "unit": str(reported.water.pk)}),
        (reported.city_office, {"unit": str(reported.water.pk), "unit_role": "lead"}),
    ]
    for user, data in asks:
        by_python, by_template = drawn_both_ways(user, data)
        assert by_python == by_template, (user, data)


def test_it_escapes_what_was_typed(reported):
    by_python, _ = drawn_both_ways(reported.office, {"q": '"><script>alert(1)</script>'})
    assert "<script>" not in by_python
    assert "&quot;&gt;&lt;script&gt;" in by_python


def test_it_offers_the_county_only_above_county_level(reported):
    county, _ = drawn_both_ways(reported.office, {})
    city, _ = drawn_both_ways(reported.city_office, {})
    assert 'name="region"' not in county
    assert 'name="region"' in city
