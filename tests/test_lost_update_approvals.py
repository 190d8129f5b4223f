"""Two people on one approval node (issue 13 item 3, the node plan page's inline forms): the office
plans the node while the unit records on it, or two tabs hold it. A form drawn before the other's save
is refused with "changed by X at T", both values side by side, and keeps what was typed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from approvals.models import ApprovalNode

from .approval_builders import node
from .conftest import login
from .form_builders import form_values, says_who_and_when, stale_box

pytestmark = pytest.mark.usefixtures("pinned_today")


def _drawn(client, project, eia, prefix: str) -> dict:
    """The node's plan form ("n") or record form ("r"), as the page draws it."""
    page = client.get(reverse("approvals:plan", args=[project.pk])).content.decode()
    return _form(page, eia, prefix)


def _form(page: str, eia: ApprovalNode, prefix: str) -> dict:
    values = form_values(page, f"node-{prefix}{eia.pk}")
    return {k: v for k, v in values.items() if k.startswith(f"{prefix}{eia.pk}-")}


def test_it_refuses_a_stale_node_plan_and_keeps_what_was_typed(world):
    eia = node(world.bridge, "环评批复", time_limit=30)
    first, second = login(world.office), login(world.office)  # two tabs, or two people of the office
    form_1 = _drawn(first, world.bridge, eia, "n")
    form_2 = _drawn(second, world.bridge, eia, "n")
    p = f"n{eia.pk}-"
    assert (
        first.post(
            reverse("approvals:node_edit", args=[eia.pk]), {**form_1, p + "time_limit": "45"}
        ).status_code
        == 302
    )

    response = second.post(
        reverse("approvals:node_edit", args=[eia.pk]), {**form_2, p + "time_limit": "60", p + "note": ""}
    )
    assert response.status_code == 409
    page = response.content.decode()
    box = stale_box(page)
    says_who_and_when(box, "office")
    assert "45" in box and "60" in box  # theirs beside mine
    eia.refresh_from_db()
    assert eia.time_limit == 45  # nothing overwritten
    shown = _form(page, eia, "n")
    assert shown[p + "time_limit"] == "60"  # the typing kept
    assert second.post(reverse("approvals:node_edit", args=[eia.pk]), shown).status_code == 302
    eia.refresh_from_db()
    assert eia.time_limit == 60  # saved again, deliberately


def test_it_refuses_a_units_stale_record_after_the_office_recorded(world):
    eia = node(world.bridge, "环评批复", time_limit=30)
    office, unit = login(world.office), login(world.transport_user)
    office_record = _drawn(office, world.bridge, eia, "r")
    unit_record = _drawn(unit, world.bridge, eia, "r")
    p = f"r{eia.pk}-"
    url = reverse("approvals:node_record", args=[eia.pk])
    assert office.post(url, {**office_record, p + "submitted_on": "2020-09-10"}).status_code == 302

    typed = {**unit_record, p + "submitted_on": "2020-09-14", p + "doc_number": "秀环审〔2020〕8号"}
    response = unit.post(url, typed)
    assert response.status_code == 409
    page = response.content.decode()
    box = stale_box(page)
    says_who_and_when(box, "office")
    assert "2020-09-10" in box and "2020-09-14" in box
    eia.refresh_from_db()
    assert (eia.submitted_on, eia.doc_number) == (dt.date(2020, 9, 10), "")
    shown = _form(page, eia, "r")
    assert (shown[p + "submitted_on"], shown[p + "doc_number"]) == ("2020-09-14", "秀环审〔2020〕8号")


def test_a_node_form_drawn_after_the_save_saves(world):
    eia = node(world.bridge, "环评批复", time_limit=30)
    office = login(world.office)
    url = reverse("approvals:node_edit", args=[eia.pk])
    p = f"n{eia.pk}-"
    form = _drawn(office, world.bridge, eia, "n")
    assert office.post(url, {**form, p + "time_limit": "40"}).status_code == 302
    form = _drawn(office, world.bridge, eia, "n")
    assert office.post(url, {**form, p + "time_limit": "50"}).status_code == 302
    eia.refresh_from_db()
    assert (eia.time_limit, eia.version) == (50, 3)
