"""The demo county's baselines: every project has one, five revised with their reasons, one request
from 县水利局 waiting, and the year's plan total untouched."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db.models import Sum

from accounts.models import User
from projects import baseline
from projects.models import Baseline, BaselineRevision, Project, YearPlan

pytestmark = pytest.mark.django_db


def test_the_demo_has_revised_baselines_and_one_waiting_request(demo):
    county = demo.county
    assert (
        Baseline.objects.filter(project__region=county).count()
        == Project.objects.filter(region=county).count()
    )
    approved = BaselineRevision.objects.filter(project__region=county, state="approved")
    assert approved.count() == 5
    assert {r.reason.split("：")[0] for r in approved} >= {
        "设计变更增加投资",
        "征地拆迁滞后顺延工期",
        "材料价格上涨",
    }
    assert all(r.approval_number and r.approving_authority for r in approved)
    [waiting] = BaselineRevision.objects.filter(project__region=county, state="requested")
    assert waiting.requested_by.username == "water" and waiting.changed() == ["planned_end"]
    assert YearPlan.objects.filter(project__region=county, year=2020).aggregate(t=Sum("planned_investment"))[
        "t"
    ] == D("614700.00")
    for r in approved:  # each project now stands where its revision left it
        p = Project.objects.select_related("baseline").get(pk=r.project_id)
        assert (p.total_investment, p.planned_end) == (r.new_total_investment, r.new_planned_end)
    office = User.objects.get(username="office")
    lists = baseline.largest(office, year=2020)
    assert len(lists["overruns"]) == 3 and len(lists["delays"]) == 2
    assert [p["months_late"] for p in lists["delays"]] == [6, 3]
    assert list(baseline.pending(office)) == [waiting]


def test_the_demo_baselines_date_from_the_years_list_before_its_revisions(demo):
    """The demo writes its projects at seed time, but the card must not read a baseline dated after the
    2020 revisions it lists."""
    first = BaselineRevision.objects.filter(project__region=demo.county).earliest("requested_at")
    dates = set(Baseline.objects.filter(project__region=demo.county).values_list("as_of__date", flat=True))
    assert len(dates) == 1 and dates.pop().year == 2020
    assert all(b.as_of < first.requested_at for b in Baseline.objects.filter(project__region=demo.county))
