"""The blocker register writes its counts by kind and by lead unit in Python (blockers.views.by_kind_html,
by_unit_html); on every case they must stay what templates/blockers/_register_by_kind.html and
_register_by_unit.html draw: a kind with no blocker left out, an overdue count marked, names escaped,
large counts, no row at all, in both languages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from blockers.models import Blocker
from blockers.views import by_kind_html, by_unit_html

HOSTILE = "<b>\"洪安\" & '桥'</b>"


def kind_cases() -> dict[str, list[dict]]:
    kinds = Blocker.Kind.choices
    rows = [
        {"kind": k, "label": label, "n": (i * 7) % 4 * 1234, "overdue": i % 2 * 1001}
        for i, (k, label) in enumerate(kinds)
    ]
    return {
        "some kinds none": rows,
        "every kind none": [{**row, "n": 0, "overdue": 0} for row in rows],
        "a hostile label": [{"kind": "x", "label": HOSTILE, "n": 3, "overdue": 0}],
        "no row": [],
    }


def unit_cases() -> dict[str, list[dict]]:
    return {
        "units": [
            {"lead_unit_id": i, "lead_unit__name": f"县第{i}局", "n": 20000 - i, "overdue": i % 3}
            for i in range(21)
        ],
        "a hostile name": [{"lead_unit_id": 1, "lead_unit__name": HOSTILE, "n": 1, "overdue": 1}],
        "no row": [],
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", list(kind_cases()))
def test_it_writes_the_counts_by_kind_the_template_draws(case, language):
    rows = kind_cases()[case]
    with translation.override(language):
        drawn = render_to_string("blockers/_register_by_kind.html", {"by_kind": rows})
        assert by_kind_html(rows) == drawn.rstrip("\n")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("case", list(unit_cases()))
def test_it_writes_the_counts_by_unit_the_template_draws(case, language):
    rows = unit_cases()[case]
    with translation.override(language):
        drawn = render_to_string("blockers/_register_by_unit.html", {"by_unit": rows})
        assert by_unit_html(rows) == drawn.rstrip("\n")


def test_it_escapes_names_and_marks_overdue_counts():
    written = by_kind_html(kind_cases()["a hostile label"]) + by_unit_html(unit_cases()["a hostile name"])
    assert "<b>" not in written and "&lt;b&gt;" in written
    assert written.count("kp-overdue") == 1
    assert by_kind_html(kind_cases()["every kind none"]) == ""
