"""The dashboard writes its headline cards in Python (battlemap.fragments.headline_html); on every
case it must stay what templates/battlemap/_headline.html draws: counts, amounts with thousands
separators, rate, schedule and gap (behind, ahead, on it, none), the lights' links, blockers with or
without their register, overdue marked, in both languages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from battlemap.fragments import headline_html

URL = "/ledger/?year=2020&month=9"
BASE = {
    "key": 1,
    "label": "某县",
    "projects": 1234,
    "planned_investment": "6147000.50",
    "ytd_investment": "0.00",
    "completion_rate": 61.47,
    "schedule_target": 75.0,
    "gap_points": -13.53,
    "lights": {"green": 800, "yellow": 300, "red": 134},
    "not_started": 34,
    "started": 1200,
    "scheduled_investment": "4610250.38",
    "url": URL,
    "light_urls": {c: f"{URL}&light={c}" for c in ("green", "yellow", "red")},
    "blockers_open": 12,
    "blockers_overdue": 3,
    "tasks_open": 5,
    "tasks_overdue": 0,
    "as_of": "2020-10-11",
    "as_of_label": "截至10月11日",
    "started_url": f"{URL}&started=yes",
    "not_started_url": f"{URL}&started=no",
    "blockers_url": "/blockers/",
    "tasks_url": "/supervision/tasks/",
}
CASES = {
    "behind the schedule": {},
    "ahead, tasks overdue, no blocker overdue": {
        "gap_points": 4.2,
        "tasks_overdue": 2,
        "blockers_overdue": 0,
    },
    "exactly on it": {"gap_points": 0.0, "completion_rate": 75.0},
    "nothing planned: no rate, no gap": {
        "completion_rate": None,
        "gap_points": None,
        "planned_investment": "0.00",
    },
    "no blocker register": {"blockers_url": None, "tasks_url": None},
    "hostile words": {"as_of_label": "<b>\"x\" & 'y'</b>", "url": '/ledger/?a=<x>&b="y"'},
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", CASES)
def test_it_writes_the_cards_the_template_draws(case, language):
    headline = {**BASE, **CASES[case]}
    with translation.override(language):
        drawn = render_to_string("battlemap/_headline.html", {"headline": headline})
        written = headline_html(headline)
    assert written == drawn


def test_it_escapes_what_it_is_given():
    written = headline_html({**BASE, **CASES["hostile words"]})
    assert "<b>" not in written and "<x>" not in written
    assert "&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;" in written
