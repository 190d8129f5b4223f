"""The demo county's 2021 draft list: the 2020 projects still going on and the pool's ready
candidates, not published (2021 counts nothing yet)."""

from __future__ import annotations

import pytest

from accounts.models import User
from lists.models import YearList
from lists.selectors import entry_rows
from pool.models import Candidate
from projects.models import Project, YearPlan

from .conftest import login

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_2021_draft_from_2020_and_the_pool(demo):
    year_list = YearList.objects.get(year=2021)
    assert year_list.is_draft
    continuing = year_list.entries.filter(project__isnull=False)
    going_on = (
        Project.objects.filter(plans__year=2020)
        .exclude(status=Project.Status.COMPLETED)
        .exclude(actual_end__year__lte=2020)
    )
    assert continuing.count() == going_on.count() > 80
    ready = Candidate.objects.filter(
        maturity=Candidate.Maturity.READY, review_state=Candidate.Review.ACCEPTED, proposed_start_year=2021
    )
    assert ready.exists()
    assert set(
        year_list.entries.filter(candidate__isnull=False).values_list("candidate_id", flat=True)
    ) == set(ready.values_list("pk", flat=True))
    assert not YearPlan.objects.filter(year=2021).exists()
    office = User.objects.filter(role=User.Role.OFFICE, region=year_list.region).order_by("pk").first()
    rows = entry_rows(office, year_list)
    assert any(e.live and e.before > 0 for e in rows)  # follows the 2020 reports
    assert login(office).get("/api/v1/summary?year=2021&month=1").json()["projects"] == 0
