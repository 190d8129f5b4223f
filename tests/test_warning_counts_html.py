"""The dashboard writes its warnings by kind in Python (battlemap.fragments.warning_counts_html); on
every case it must stay what templates/battlemap/_warning_counts.html draws: each kind with its link
to the list of its projects (or none), its count, lit when not zero, in both languages."""

from __future__ import annotations

import dataclasses

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from battlemap.fragments import warning_counts_html
from reports import warnings


def _cases() -> dict[str, list[tuple]]:
    kinds = warnings.kinds()
    hostile = dataclasses.replace(kinds[0], code="<x>", label="<b>\"x\" & 'y'</b>", list_url="")
    return {
        "every kind, some zero": [(kind, i % 3) for i, kind in enumerate(kinds)],
        "every kind zero": [(kind, 0) for kind in kinds],
        "a kind with no list and a hostile name": [(hostile, 4), (kinds[-1], 1)],
        "no kind": [],
    }


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize(
    "case", ["every kind, some zero", "every kind zero", "a kind with no list and a hostile name", "no kind"]
)
def test_it_writes_the_counts_the_template_draws(case, language):
    counts = _cases()[case]
    with translation.override(language):
        drawn = render_to_string("battlemap/_warning_counts.html", {"warning_counts": counts})
        written = warning_counts_html(counts)
    assert written == drawn


def test_it_links_the_kinds_that_have_a_list_and_escapes_names():
    counts = _cases()["a kind with no list and a hostile name"]
    written = warning_counts_html(counts)
    assert "<b>" not in written
    assert 'data-warning="&lt;x&gt;"' in written
    assert any(kind.list_url for kind, _n in _cases()["every kind zero"])
    assert written.count("<a ") == (1 if counts[1][0].list_url else 0)
