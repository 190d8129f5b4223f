"""GET /api/v1/approvals/departments (and its page) count only the nodes of the projects the caller may
see: each role its own scope, never another unit's projects nor another county's."""

from __future__ import annotations

import datetime as dt

import pytest

from . import factories as f
from .approval_builders import node
from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def nodes(world):
    """One node per project, each at its own department, so a department's presence names a project:
    洪安水库工程 (water's, in 洪安镇, the leader's) at 县生态环境局, pending; 中和至平凯公路改造 (transport's,
    water cooperates) at 县发展改革委, approved; 梅江河大桥 (transport's alone) at 县住房城乡建委, pending;
    酉阳水厂 (the other county's) at 酉阳县生态环境局, pending."""
    eco, ndrc = f.unit(world.county, "县生态环境局"), f.unit(world.county, "县发展改革委")
    housing, far_eco = f.unit(world.county, "县住房城乡建委"), f.unit(world.other_county, "酉阳县生态环境局")
    node(world.reservoir, "环评批复", department=eco, submitted_on=dt.date(2020, 9, 1))
    node(
        world.road,
        "可研批复",
        department=ndrc,
        submitted_on=dt.date(2020, 8, 3),
        approved_on=dt.date(2020, 8, 14),
        doc_number="秀发改投〔2020〕66号",
    )
    node(world.bridge, "施工许可证", department=housing, submitted_on=dt.date(2020, 9, 28))
    node(world.far, "环评批复", department=far_eco, submitted_on=dt.date(2020, 9, 1))
    return world


COUNTY = {"县生态环境局": 1, "县发展改革委": 1, "县住房城乡建委": 1}


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("office", COUNTY),
        ("supervisor", COUNTY),
        ("viewer", COUNTY),
        ("water_user", {"县生态环境局": 1, "县发展改革委": 1}),  # its own and the one it cooperates on
        ("transport_user", {"县发展改革委": 1, "县住房城乡建委": 1}),
        ("hongan_user", {"县生态环境局": 1}),  # the township's project
        ("leader_user", {"县生态环境局": 1}),  # the project in its charge
        ("outsider", {"酉阳县生态环境局": 1}),  # another county's office: its own county only
        ("city_office", {**COUNTY, "酉阳县生态环境局": 1}),  # the city sees its counties
    ],
)
def test_each_role_counts_only_the_nodes_of_its_projects(nodes, who, expected):
    client = login(getattr(nodes, who))
    api = client.get("/api/v1/approvals/departments")
    assert api.status_code == 200
    assert {d["department"]["name"]: d["nodes"] for d in api.json()} == expected
    page = client.get("/approvals/departments/")
    assert {fig.name: fig.nodes for fig in page.context["figures"]} == expected


def test_the_figures_a_unit_sees_are_those_of_its_projects_alone(nodes):
    """The transport bureau sees 县发展改革委's approval on the road, not a count swollen by others'."""
    api = login(nodes.transport_user).get("/api/v1/approvals/departments").json()
    ndrc = next(d for d in api if d["department"]["name"] == "县发展改革委")
    assert (ndrc["approved"], ndrc["pending"], ndrc["overdue"]) == (1, 0, 0)
    housing = next(d for d in api if d["department"]["name"] == "县住房城乡建委")
    assert (housing["pending"], housing["approved"], housing["average_working_days"]) == (1, 0, None)


def test_a_user_with_no_scope_and_an_anonymous_call_get_nothing(nodes, client):
    assert client.get("/api/v1/approvals/departments").status_code in (401, 403)
    lost = f.user("nounit", "unit", nodes.county)  # a unit account not yet tied to a unit
    assert login(lost).get("/api/v1/approvals/departments").json() == []
