"""The dashboard writes its short lists in Python (battlemap.fragments.project_list_html); on every case
they must stay what templates/battlemap/_project_list.html draws: light and reason, the project's
link, name and code, its unit, the rate or the planned start month, in both languages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from battlemap.fragments import project_list_html

HOSTILE = "<b>\"洪安\" & '桥'</b>"


def item(**changes) -> dict:
    row = {
        "id": 7,
        "code": "XS-2020-007",
        "name": "中和至平凯公路改造",
        "unit": "县交通运输局",
        "light": "red",
        "reason": "落后时序进度 12.50 个百分点",
        "completion_rate": 33.5,
        "planned_start_month": 3,
        "url": "/projects/7/",
    }
    row.update(changes)
    return row


CASES = {
    "no row": [],
    "one row": [item()],
    "hostile texts": [item(name=HOSTILE, code=HOSTILE, unit=HOSTILE, reason=HOSTILE)],
    "no rate, no start month": [item(completion_rate=None, planned_start_month=None, light="yellow")],
    "several rows": [item(id=n, url=f"/projects/{n}/", completion_rate=n * 1.25) for n in range(1, 5)],
}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("start", [False, True])
@pytest.mark.parametrize("case", CASES)
def test_it_writes_the_list_the_template_draws(case, start, language):
    items, empty = CASES[case], "Every project has started."
    with translation.override(language):
        drawn = render_to_string(
            "battlemap/_project_list.html", {"items": items, "empty": empty, "start": start}
        )
        written = project_list_html(items, empty=empty, start=start)
    assert written == drawn
