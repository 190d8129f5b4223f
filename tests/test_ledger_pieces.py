"""Pieces of the ledger written in Python (reports.ledger): the year and month selects' options must be
what the template loop they replace drew, and a detail link reversed once per process must be the URL
reverse() gives, under whatever script prefix the request is served."""

from __future__ import annotations

import pytest
from django.template import engines
from django.urls import clear_script_prefix, reverse, set_script_prefix

from reports.ledger import detail_link, period_options

# The loops templates/projects/ledger.html drew the year and month options with.
YEAR_LOOP = """{% for y in years %}<option value="{{ y }}"{% if y == year %} selected{% endif %}>{{ y }}</option>{% endfor %}"""
MONTH_LOOP = """{% for m in months %}<option value="{{ m }}"{% if m == month %} selected{% endif %}>{{ m }}</option>{% endfor %}"""


@pytest.mark.parametrize(
    ("years", "year"),
    [([2020, 2019, 2018, 2017, 2016], 2020), ([2020, 2019], 2019), ([2021], 2021), ([2020, 2019], 2031)],
)
def test_it_draws_the_year_options_the_template_drew(years, year):
    drawn = engines["django"].from_string(YEAR_LOOP).render({"years": years, "year": year})
    assert period_options(years, year) == drawn


@pytest.mark.parametrize("month", [None, 1, 9, 12])
def test_it_draws_the_month_options_the_template_drew(month):
    drawn = engines["django"].from_string(MONTH_LOOP).render({"months": range(1, 13), "month": month})
    assert period_options(range(1, 13), month) == drawn
    assert period_options(range(1, 13), month).count(" selected") == (month is not None)


@pytest.mark.parametrize("name", ["projects:detail", "land:project", "safety:hazard", "works:project"])
def test_a_kept_link_is_the_reversed_url(name):
    for pk in (1, 42, 987654321, 10**12):
        assert detail_link(name)(pk) == reverse(name, args=[pk])


def test_a_link_follows_the_script_prefix():
    """Served under a prefix (a reverse proxy's SCRIPT_NAME), the links carry it, and lose it again."""
    plain = detail_link("projects:detail")(7)
    try:
        set_script_prefix("/keyproj/")
        prefixed = detail_link("projects:detail")(7)
        assert prefixed == reverse("projects:detail", args=[7])
        assert prefixed == "/keyproj" + plain
    finally:
        clear_script_prefix()
    assert detail_link("projects:detail")(7) == plain
