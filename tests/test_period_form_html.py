"""The battle map pages write their period form in Python (battlemap.fragments.period_form_html); on
every case it must stay what templates/battlemap/_period.html draws: the years and months offered,
the one selected, and the hidden fields kept, in both languages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from battlemap.fragments import period_form_html

MONTHS = list(range(1, 13))
CASES = {
    "one year": {"years": [2020], "year": 2020, "month": 9},
    "several years, the first month": {"years": [2021, 2020, 2019], "year": 2019, "month": 1},
    "a year not offered": {"years": [2021, 2020], "year": 2018, "month": 12},
    "the wall's grouping kept": {"years": [2020], "year": 2020, "month": 3, "extra_fields": [("by", "unit")]},
    "hostile hidden fields": {
        "years": [2020],
        "year": 2020,
        "month": 5,
        "extra_fields": [("by", "<b>\"x\" & 'y'</b>"), ("page", 2)],
    },
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", CASES)
def test_it_writes_the_form_the_template_draws(case, language):
    values = {"months": MONTHS, "extra_fields": (), **CASES[case]}
    with translation.override(language):
        drawn = render_to_string("battlemap/_period.html", values)
        written = period_form_html(**values)
    assert written == drawn
