"""The not-started board writes its rows in Python (blockers.board.board_rows_html); on every case
they must stay the rows templates/reports/_not_started_row.html draws: light, reason, stage,
planned start month, unit, leader, plan, what the project lacks (folded after four), its open
blockers (overdue or not), its commitment (passed or not, with a note) and slips, and the form."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from approvals.readiness import Missing, summary
from blockers.board import MISSING_SHOWN, board_rows_html, commitment_story
from blockers.models import Blocker
from projects.models import Project, YearPlan
from regions.models import Leader, Unit
from reports.ledger import light_cell
from reports.models import StartCommitment

ON = dt.date(2020, 10, 11)
HOSTILE = "<b>\"洪安\" & '桥'</b>"


def at(day: dt.date) -> dt.datetime:
    # Late in the evening in Asia/Shanghai: the UTC date is the day before, the page shows the local one.
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 30)))


def commitment(day: dt.date, on: dt.date, *, note: str = "", source: str = "") -> StartCommitment:
    return StartCommitment(pk=on.toordinal(), committed_date=day, at=at(on), note=note, source=source)


def blocker(pk: int, kind: str, description: str, deadline: dt.date | None) -> Blocker:
    return Blocker(pk=pk, kind=kind, description=description, deadline=deadline)


LACKS = [Missing(f"环评批复{n}", "县生态环境局" if n % 2 else "") for n in range(6)] + [
    Missing(HOSTILE, HOSTILE)
]

CASES = {
    "ready, nothing else": {},
    "red, overdue, a hostile name": {"light": "red", "name": HOSTILE, "planned_start_month": 3},
    "yellow preparatory with no month": {
        "light": "yellow",
        "stage": "preparatory",
        "planned_start_month": None,
    },
    "no leader": {"leader": None},
    "a leader with no title": {"leader": Leader(pk=6, title="")},
    "no plan amount": {"planned_investment": None},
    "one lack": {"missing": LACKS[:1]},
    "exactly the lacks shown": {"missing": LACKS[:MISSING_SHOWN]},
    "more lacks than shown": {"missing": LACKS},
    "blockers overdue, due and without deadline": {
        "blockers": [
            blocker(7, "land", "征地拆迁" * 20, dt.date(2020, 9, 30)),
            blocker(8, "funds", HOSTILE, ON),
            blocker(9, "other", "短", None),
        ]
    },
    "a commitment passed, with a note": {
        "commitments": [commitment(dt.date(2020, 9, 1), dt.date(2020, 8, 1), note=HOSTILE)]
    },
    "a commitment to come": {"commitments": [commitment(dt.date(2020, 11, 1), dt.date(2020, 8, 1))]},
    "slips, with and without a source": {
        "commitments": [
            commitment(dt.date(2020, 9, 1), dt.date(2020, 7, 1)),
            commitment(dt.date(2020, 9, 1), dt.date(2020, 7, 15)),  # re-committed the same: no slip
            commitment(dt.date(2020, 10, 1), dt.date(2020, 8, 31), source=HOSTILE),
            commitment(dt.date(2020, 12, 1), dt.date(2020, 9, 30)),
        ]
    },
    "may not commit": {"can_commit": False},
}


def board_row(**given) -> YearPlan:
    """A row as the board's view leaves it, and the attributes the template row read from it."""
    project = Project(pk=41, name=given.get("name", "梅江河大桥"), code="XS-041")
    project.lead_unit = given.get("lead_unit", Unit(pk=3, name="县交通局"))
    project.leader = given.get("leader", Leader(pk=5, title="副县长"))
    row = YearPlan(
        project=project,
        stage=given.get("stage", "new"),
        planned_start_month=given.get("planned_start_month", 5),
        planned_investment=given.get("planned_investment", Decimal("12345.60")),
    )
    row.light, row.light_reason = given.get("light", "green"), f"理由 {HOSTILE}"
    row.commitment, row.moves = commitment_story(given.get("commitments", []))
    row.blockers = given.get("blockers", [])
    row.missing = given.get("missing", [])
    row.can_commit = given.get("can_commit", True)
    # What the view worked out for the template before the rows were written in Python.
    row.light_html = light_cell(row.light, row.light_reason)
    row.missing_text = summary(row.missing)
    row.missing_more = row.missing[MISSING_SHOWN:]
    row.missing_first, row.missing_rest = summary(row.missing[:MISSING_SHOWN]), summary(row.missing_more)
    return row


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("case", list(CASES))
def test_it_writes_each_row_as_the_row_template_draws_it(case, language):
    request = RequestFactory().get("/reports/not-started/", {"year": "2020", "month": "9", "q": '"&<'})
    with translation.override(language):
        row = board_row(**CASES[case])
        drawn = render_to_string(
            "reports/_not_started_row.html",
            {"row": row, "today": ON, "request": request, "csrf_token": get_token(request)},
        )
        written = board_rows_html([row], request=request, on=ON)
    # A CSRF token is masked afresh each time it is asked for: any of them is valid.
    assert unmasked(written) == f"\n      {unmasked(drawn.strip())}\n    "
    assert ('name="csrfmiddlewaretoken"' in written) == row.can_commit


def unmasked(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w{64}"', 'name="csrfmiddlewaretoken" value=""', html)


def test_it_writes_rows_one_after_another_as_the_page_listed_them():
    request = RequestFactory().get("/reports/not-started/")
    rows = [board_row(**CASES["ready, nothing else"]), board_row(**CASES["more lacks than shown"])]
    written = board_rows_html(rows, request=request, on=ON)
    assert written.count('<tr data-project="41">') == 2
    assert written.startswith("\n      <tr") and written.endswith("</tr>\n    ")
    assert "环评批复4" in written.split("</tr>")[1]  # the second row's folded lacks stay in it
