"""A unit proposes and keeps its candidates; the office accepts them with a priority or returns them
with a reason, which the unit reads and which stays in the candidate's history."""

from __future__ import annotations

import pytest

from pool.models import Candidate

from . import factories as f
from . import pool_builders as pb
from .conftest import login

pytestmark = pytest.mark.django_db


def propose(client, **extra):
    data = {
        "name": "钟灵水库工程",
        "sector": f.sector("水利").pk,
        "content": "新建中型水库一座",
        "estimated_investment": "86,000.00",
        "proposed_start_year": "2021",
        "maturity": "packaged",
        "entered_on": "2020-06-01",
        **extra,
    }
    return client.post("/pool/new/", data)


def test_it_lets_a_unit_propose_its_own_candidate(world):
    response = propose(login(world.water_user), lead_unit=world.transport.pk)
    assert response.status_code == 302
    c = Candidate.objects.get(name="钟灵水库工程")
    assert c.lead_unit == world.water  # a unit proposes as itself, whatever the form says
    assert c.review_state == Candidate.Review.PROPOSED and c.proposed_by == world.water_user
    assert str(c.estimated_investment) == "86000.00"


def test_it_refuses_bad_input_and_saves_nothing(world):
    response = propose(login(world.water_user), estimated_investment="八万", proposed_start_year="")
    assert response.status_code == 200
    page = response.content.decode()
    assert "invalid-feedback" in page
    assert not Candidate.objects.exists()


def test_it_lets_the_office_accept_with_a_priority(world):
    c = pb.candidate(region=world.county, lead_unit=world.water, sector=f.sector("水利"))
    response = login(world.office).post(f"/pool/{c.pk}/review/", {"decision": "accept", "priority": "A"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.review_state == Candidate.Review.ACCEPTED and c.priority == "A" and c.reviewed_by == world.office


def test_it_returns_with_a_reason_the_unit_reads_and_history_keeps(world):
    c = pb.candidate(region=world.county, lead_unit=world.water, sector=f.sector("水利"))
    office = login(world.office)
    missing = office.post(f"/pool/{c.pk}/review/", {"decision": "return", "reason": "  "})
    assert missing.status_code == 400
    c.refresh_from_db()
    assert c.review_state == Candidate.Review.PROPOSED
    office.post(f"/pool/{c.pk}/review/", {"decision": "return", "reason": "投资估算偏高，请核实"})
    c.refresh_from_db()
    assert c.review_state == Candidate.Review.RETURNED
    page = login(world.water_user).get(f"/pool/{c.pk}/").content.decode()
    assert "投资估算偏高，请核实" in page
    # The unit changes it and saves: it goes back to the office; the reason stays in its history.
    edit = login(world.water_user).post(
        f"/pool/{c.pk}/edit/",
        {
            "name": c.name,
            "sector": c.sector_id,
            "content": "调整后的建设内容",
            "estimated_investment": "800.00",
            "proposed_start_year": "2021",
            "maturity": "idea",
            "entered_on": "2020-05-01",
        },
    )
    assert edit.status_code == 302
    c.refresh_from_db()
    assert c.review_state == Candidate.Review.PROPOSED
    assert "投资估算偏高，请核实" in c.history.values_list("return_reason", flat=True)
    assert "投资估算偏高，请核实" in login(world.office).get(f"/pool/{c.pk}/").content.decode()


def test_it_does_not_let_a_unit_review_or_change_an_accepted_candidate(world):
    c = pb.candidate(region=world.county, lead_unit=world.water, sector=f.sector("水利"))
    unit = login(world.water_user)
    assert unit.post(f"/pool/{c.pk}/review/", {"decision": "accept", "priority": "A"}).status_code == 403
    c.refresh_from_db()
    assert c.review_state == Candidate.Review.PROPOSED
    assert f"/pool/{c.pk}/review/" not in unit.get(f"/pool/{c.pk}/").content.decode()
    login(world.office).post(f"/pool/{c.pk}/review/", {"decision": "accept", "priority": "B"})
    assert unit.get(f"/pool/{c.pk}/edit/").status_code == 403
    assert login(world.office).get(f"/pool/{c.pk}/edit/").status_code == 200
