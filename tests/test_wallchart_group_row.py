"""The wall chart writes each group's head row in Python (battlemap.wallchart.Group.head_html); on
every case it must stay the row templates/battlemap/_wall_group_row.html draws: one project or many,
no rate, large counts and amounts, a group with no figures, a hostile label."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from battlemap.wallchart import Group, RowWords

HOSTILE = "<b>\"县水利局\" & '交通'</b>"


def figures(**given) -> dict:
    return {
        "key": 7,
        "label": "交通",
        "projects": 12,
        "planned_investment": "12345.60",
        "ytd_investment": "6172.80",
        "completion_rate": 50.0,
        "lights": {"red": 3, "yellow": 4, "green": 5},
        "url": "/ledger/?year=2020&month=9&sector=7",
        **given,
    }


CASES = {
    "many projects": {"label": "交通", "figures": figures()},
    "one project": {"label": "水利", "figures": figures(projects=1, completion_rate=33.333)},
    "no rate, nothing planned": {
        "label": "能源",
        "figures": figures(completion_rate=None, planned_investment="0.00", ytd_investment="0.00"),
    },
    "large": {
        "label": "市政",
        "figures": figures(
            projects=12345,
            planned_investment="1234567.89",
            ytd_investment="987654.32",
            lights={"red": 1234, "yellow": 0, "green": 99999},
        ),
    },
    "no figures": {"label": "—", "figures": None},
    "a hostile label and link": {"label": HOSTILE, "figures": figures(url="/ledger/?unit=<x>&'\"")},
}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_it_writes_each_group_row_as_the_row_template_draws_it(case, language):
    with translation.override(language):
        group = Group(key=7, **CASES[case])
        drawn = render_to_string("battlemap/_wall_group_row.html", {"group": group})
        assert group.head_html == drawn.strip()
        assert Group(key=7, **CASES[case], words=RowWords()).head_html == drawn.strip()


def test_it_escapes_a_hostile_label():
    written = Group(key=1, **CASES["a hostile label and link"]).head_html
    assert "<b>" not in written and "&lt;b&gt;" in written
