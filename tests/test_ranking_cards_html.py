"""The dashboard writes its ranking cards in Python (battlemap.fragments.ranking_cards_html); on every
case it must stay what templates/battlemap/_ranking_cards.html (with _apart.html) draws: the title of
each kind, "all n ranked" or "the best and the worst n of m", the full ranking's link, and the groups
listed apart, in both languages, with hostile names escaped."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from battlemap.fragments import ranking_cards_html

APART = [
    {"url": "/ledger/?year=2020&month=9&unit=7&unit_role=lead", "label": "县水利局"},
    {"url": "/ledger/?year=2020&month=9&unit=8", "label": "<b>\"x\" & 'y'</b>"},
]
CASES = {
    "a county: every group ranked, none apart": [
        {"name": "units", "ranked": 12, "capped": False, "apart": []},
        {"name": "townships", "ranked": 9, "capped": False, "apart": []},
    ],
    "a province: both ends of thousands": [
        {"name": "units", "ranked": 4321, "capped": True, "apart": APART},
        {"name": "townships", "ranked": 1500, "capped": True, "apart": APART[:1]},
    ],
    "nothing ranked, all apart": [
        {"name": "units", "ranked": 0, "capped": False, "apart": APART},
        {"name": "townships", "ranked": 0, "capped": False, "apart": []},
    ],
    "no kinds": [],
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", CASES)
def test_it_writes_the_cards_the_template_draws(case, language):
    units_url = "/reports/units/?year=2020&month=9"
    kinds = CASES[case]
    with translation.override(language):
        drawn = render_to_string(
            "battlemap/_ranking_cards.html",
            {"ranking_kinds": kinds, "rank_size": 20, "data": {"units_url": units_url}},
        )
        written = ranking_cards_html(kinds, rank_size=20, units_url=units_url)
    # The reference template starts with its comment, which draws nothing.
    assert written == drawn


def test_it_escapes_what_users_typed():
    kinds = CASES["nothing ranked, all apart"]
    written = ranking_cards_html(kinds, rank_size=20, units_url="/reports/units/?year=2020&month=9")
    assert "<b>" not in written
    assert "&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;" in written
    assert 'href="/reports/units/?year=2020&amp;month=9"' in written
