"""The unit plans page (/reports/units/) writes its ranking's rows in Python
(reports.board_views.unit_rows_html); on every case they must stay the rows
templates/reports/_unit_row.html draws: ranked or not, ahead, behind or on schedule, no rate,
large counts and amounts, a hostile unit name."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reports.board_views import unit_rows_html
from reports.figures import Figures

HOSTILE = "<b>\"县水利局\" & '交通'</b>"


def group(**given) -> Figures:
    figures = {
        "key": 7,
        "label": "县水利局",
        "projects": 12,
        "planned": Decimal("12345.60"),
        "ytd": Decimal("6172.80"),
        "rate": Decimal("50.00"),
        "target": Decimal("60.00"),
        "gap": Decimal("-10.00"),
        "lights": {"red": 3, "yellow": 4, "green": 5},
        "rank": 1,
    }
    return Figures(**{**figures, **given})


CASES = {
    "ranked, behind": {},
    "ranked, ahead": {"gap": Decimal("9.905"), "rate": Decimal("69.91"), "rank": 12},
    "on schedule": {"gap": Decimal("0.004")},
    "not ranked, nothing planned": {
        "rank": None,
        "rate": None,
        "gap": None,
        "planned": Decimal("0.00"),
        "ytd": Decimal("0.00"),
    },
    "large": {
        "projects": 12345,
        "planned": Decimal("1234567.89"),
        "lights": {"red": 1234, "yellow": 0, "green": 99999},
    },
    "a hostile name": {"label": HOSTILE},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_it_writes_each_row_as_the_row_template_draws_it(case, language):
    with translation.override(language):
        f = group(**CASES[case])
        drawn = render_to_string(
            "reports/_unit_row.html",
            {"f": f, "year": 2020, "month": 9, "monthly_url": reverse("reports:monthly")},
        )
        written = unit_rows_html([f], year=2020, month=9)
    assert written == f"\n      {drawn.strip()}\n    "


def test_it_writes_the_rows_in_ranking_order():
    written = unit_rows_html([group(label="甲", rank=1), group(label="乙", rank=2)], year=2020, month=9)
    assert written.index("甲") < written.index("乙") and written.count("<tr>") == 2
