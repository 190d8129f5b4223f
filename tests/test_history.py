"""The audit trail: every change to a project or its plan shows who, when and old → new."""

from __future__ import annotations

import pytest

from .conftest import login
from .project_forms import edit_data

pytestmark = pytest.mark.django_db


def test_it_records_who_changed_what_from_old_to_new(world):
    client = login(world.water_user)
    client.post(
        f"/projects/{world.reservoir.pk}/edit/", edit_data(world.reservoir, owner="秀山县水务有限公司")
    )
    response = client.get(f"/projects/{world.reservoir.pk}/")
    entry = next(e for e in response.context["history"] if e.changes)
    assert entry.who == "water"
    change = next(c for c in entry.changes if c.new == "秀山县水务有限公司")
    assert change.old == "—"
    body = response.content.decode()
    assert "<ins>秀山县水务有限公司</ins>" in body


def test_it_records_plan_changes_with_names_not_ids(world):
    client = login(world.office)
    data = {
        "year": "2020",
        "stage": "completing",
        "planned_investment": "3500.00",
        "invested_before": "0",
        "planned_start_month": "",
        "progress_target": "",
        "months-TOTAL_FORMS": "0",
        "months-INITIAL_FORMS": "0",
    }
    client.post(f"/projects/{world.reservoir.pk}/plans/2020/", data, HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    history = client.get(f"/projects/{world.reservoir.pk}/").context["history"]
    changes = {c.field: (c.old, c.new) for e in history for c in e.changes}
    assert changes["annual planned investment (10k yuan)"] == ("3000.00", "3500.00")
    assert changes["stage"] == ("Continuing", "Completing")


def test_it_shows_cooperating_units_by_name_in_history(world):
    client = login(world.office)
    form = {
        "region": world.county.pk,
        "code": world.bridge.code,
        "name": world.bridge.name,
        "sector": world.bridge.sector_id,
        "level": "county",
        "nature": "new",
        "lead_unit": world.transport.pk,
        "cooperating_units": [world.water.pk],
        "townships": [],
        "leader": "",
        "total_investment": "1500.00",
        "content": "桥梁",
        "status": "preparing",
        "team-TOTAL_FORMS": "0",
        "team-INITIAL_FORMS": "0",
    }
    assert client.post(f"/projects/{world.bridge.pk}/edit/", form).status_code == 302
    history = client.get(f"/projects/{world.bridge.pk}/").context["history"]
    assert any(c.new == "县水利局" for e in history for c in e.changes)
