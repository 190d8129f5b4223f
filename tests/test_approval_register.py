"""The approvals register (filters, .xlsx), the approving departments' figures (pending, overdue,
average working days) and GET /api/v1/approvals?overdue=true — scoped per role, fixed queries."""

import datetime as dt
import io

import openpyxl
import pytest

from regions.models import Unit

from . import factories as f
from .approval_builders import late_eia, node, unsubmitted

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def plans(world, pinned_today):
    eco = f.unit(world.county, "县生态环境局")
    ndrc = f.unit(world.county, "县发展改革委")
    late_eia(world.reservoir, eco)  # pending, 12 working days over
    unsubmitted(world.bridge, ndrc)  # the owner is 2 working days late
    # Approved: 2 working days (within 5) and 8 working days (3 over 5: approved late).
    node(
        world.road,
        "可研批复",
        department=ndrc,
        submitted_on=D(2020, 9, 1),
        approved_on=D(2020, 9, 3),
        time_limit=5,
        doc_number="a",
    )
    node(
        world.bridge,
        "项目建议书",
        department=ndrc,
        submitted_on=D(2020, 9, 1),
        approved_on=D(2020, 9, 11),
        time_limit=5,
        doc_number="b",
    )
    node(world.far, "环评批复", submitted_on=D(2020, 8, 3), time_limit=5)  # the other county's
    world.eco, world.ndrc = eco, ndrc
    return world


def rows(response) -> list[tuple[str, str]]:
    return [(n.project.name, n.name) for n, _ in response.context["rows"]]


def test_it_lists_the_nodes_in_scope_with_both_lateness_figures(plans, as_user):
    response = as_user(plans.office).get("/approvals/")
    assert len(rows(response)) == 4
    body = response.content.decode()
    assert "部门超期12个工作日" in body and "业主逾期2个工作日" in body
    assert "酉阳水厂" not in body


def test_it_filters_overdue_department_node_and_unit(plans, as_user):
    client = as_user(plans.office)
    assert sorted(rows(client.get("/approvals/?overdue=1"))) == [
        ("梅江河大桥", "可研批复"),
        ("洪安水库工程", "环评批复"),
    ]
    assert rows(client.get(f"/approvals/?department={plans.eco.pk}")) == [("洪安水库工程", "环评批复")]
    assert len(rows(client.get("/approvals/?node=可研批复"))) == 2
    assert {p for p, _ in rows(client.get(f"/approvals/?unit={plans.transport.pk}"))} == {
        "中和至平凯公路改造",
        "梅江河大桥",
    }
    assert (
        len(rows(client.get("/approvals/?department=abc&overdue=maybe"))) == 4
    )  # a bad value filters nothing


@pytest.mark.parametrize(
    ("who", "projects"),
    [
        ("water_user", {"洪安水库工程", "中和至平凯公路改造"}),
        ("transport_user", {"中和至平凯公路改造", "梅江河大桥"}),
        ("leader_user", {"洪安水库工程"}),
        ("outsider", {"酉阳水厂"}),
    ],
)
def test_each_role_sees_only_its_projects_nodes(plans, as_user, who, projects):
    client = as_user(getattr(plans, who))
    assert {p for p, _ in rows(client.get("/approvals/"))} == projects
    api = client.get("/api/v1/approvals").json()
    assert {r["project"]["name"] for r in api["results"]} == projects


def test_the_export_holds_the_filtered_register(plans, as_user):
    response = as_user(plans.office).get("/approvals/export.xlsx?overdue=1")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "环评批复" in values and "可研批复" in values and "项目建议书" not in values


def test_the_departments_figures(plans, as_user):
    figures = {f.name: f for f in as_user(plans.office).get("/approvals/departments/").context["figures"]}
    eco, ndrc = figures["县生态环境局"], figures["县发展改革委"]
    assert (eco.pending, eco.overdue, eco.approved, eco.average_days) == (1, 1, 0, None)
    assert (ndrc.nodes, ndrc.pending, ndrc.overdue, ndrc.approved, ndrc.approved_late) == (3, 0, 0, 2, 1)
    assert ndrc.average_days == 5.0  # (2 + 8) / 2 working days
    api = as_user(plans.office).get("/api/v1/approvals/departments").json()
    assert {d["department"]["name"]: d["average_working_days"] for d in api if d["department"]}[
        "县发展改革委"
    ] == 5.0
    export = as_user(plans.office).get("/approvals/departments/export.xlsx")
    assert export.status_code == 200


def test_the_api_answers_overdue_true_with_the_late_nodes(plans, as_user):
    data = as_user(plans.office).get("/api/v1/approvals?overdue=true").json()
    assert data["count"] == 2
    eia = next(r for r in data["results"] if r["name"] == "环评批复")
    assert (
        eia["department_late"],
        eia["owner_late"],
        eia["working_days_used"],
        eia["working_days_suspended"],
    ) == (12, 0, 42, 3)
    assert eia["department"]["name"] == "县生态环境局"
    bad = as_user(plans.office).get("/api/v1/approvals?department=x")
    assert bad.status_code in (400, 422)


def test_an_anonymous_call_gets_no_data(plans, client):
    assert client.get("/api/v1/approvals").status_code in (401, 403)


def test_the_openapi_document_describes_the_endpoints_and_the_warnings(plans, as_user):
    doc = as_user(plans.office).get("/api/v1/openapi.json").json()
    assert "/api/v1/approvals" in doc["paths"]
    assert "overdue" in {p["name"] for p in doc["paths"]["/api/v1/approvals"]["get"]["parameters"]}
    assert "warnings" in doc["components"]["schemas"]["ProjectDetail"]["properties"]


@pytest.mark.parametrize("count", [2, 40])
def test_the_register_and_departments_keep_a_fixed_number_of_queries(
    world, pinned_today, as_user, django_assert_max_num_queries, count
):
    eco = f.unit(world.county, "县生态环境局")
    for _ in range(count):
        p = f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
        late_eia(p, eco)
        unsubmitted(p, eco)
    client = as_user(world.office)
    with django_assert_max_num_queries(14):
        response = client.get("/approvals/")
    assert len(response.context["rows"]) == 2 * count
    with django_assert_max_num_queries(10):
        client.get("/approvals/departments/")
    with django_assert_max_num_queries(10):
        assert client.get("/api/v1/approvals?overdue=true&page_size=100").json()["count"] == 2 * count
    assert Unit.objects.filter(name="县生态环境局").count() == 1
