"""An overdue approval node puts a warning, with its reason in words, beside the project's light: on the
project page, in the ledger row, counted by kind on the dashboard and in the API's projects/{id} — and
it changes neither the light nor the lights counts. One click raises an approvals blocker from it."""

import datetime as dt

import pytest

from approvals.warnings import DEPARTMENT_LATE, OWNER_LATE
from blockers.models import Blocker
from projects.models import Project

from . import factories as f
from .approval_builders import late_eia, node, unsubmitted
from .report_builders import report, started
from .tender_builders import awarded

pytestmark = pytest.mark.django_db
REASON = "环评批复超期12个工作日"
OWNER_REASON = "可研批复逾期2个工作日未报送"


@pytest.fixture
def late(world, pinned_today):
    started(world.reservoir)
    awarded(world.reservoir)  # started under a let construction contract: no bidding warning beside it
    report(world.reservoir, 9, "2250.00")  # on schedule: green
    late_eia(world.reservoir, world.water)
    unsubmitted(world.bridge)
    return world


def test_the_project_page_shows_the_warning_and_its_reason_beside_the_light(late, as_user):
    body = as_user(late.water_user).get(f"/projects/{late.reservoir.pk}/").content.decode()
    assert 'id="project-warnings"' in body
    assert REASON in body
    assert "审批超时限" in body
    assert f"/blockers/from-warning/{late.reservoir.pk}/" in body


def test_a_reader_sees_the_warning_without_the_button(late, as_user):
    body = as_user(late.viewer).get(f"/projects/{late.reservoir.pk}/").content.decode()
    assert REASON in body
    assert "/blockers/from-warning/" not in body


def test_the_owner_late_warning_has_its_own_kind_and_reason(late, as_user):
    body = as_user(late.office).get(f"/projects/{late.bridge.pk}/").content.decode()
    assert OWNER_REASON in body
    assert "审批逾期未报送" in body
    assert REASON not in body


def test_the_ledger_row_carries_the_reason_and_keeps_its_light(late, as_user):
    response = as_user(late.office).get("/projects/?year=2020&month=9")
    rows = response.content.decode().split("<tr>")
    reservoir = next(r for r in rows if "洪安水库工程" in r)
    assert REASON in reservoir
    assert 'data-light="green"' in reservoir
    road = next(r for r in rows if "中和至平凯公路改造" in r)
    assert "data-warning" not in road


def test_the_dashboard_counts_warnings_by_kind_and_not_in_the_lights(late, as_user):
    response = as_user(late.office).get("/battlemap/?year=2020&month=9")
    counts = {kind.code: n for kind, n in response.context["warning_counts"]}
    assert counts[DEPARTMENT_LATE] == 1 and counts[OWNER_LATE] == 1
    assert 'id="warning-counts"' in response.content.decode()
    summary = as_user(late.office).get("/api/v1/summary?year=2020&month=9").json()
    assert summary["lights"]["green"] == 1  # the reservoir stays green


def test_the_api_lists_the_projects_warnings(late, as_user):
    data = as_user(late.office).get(f"/api/v1/projects/{late.reservoir.pk}?year=2020&month=9").json()
    assert data["warnings"] == [{"kind": DEPARTMENT_LATE, "label": "审批超时限", "reason": REASON}]
    assert as_user(late.office).get(f"/api/v1/projects/{late.road.pk}").json()["warnings"] == []


def test_a_unit_sees_no_warning_of_another_units_project(late, as_user):
    counts = {k.code: n for k, n in as_user(late.water_user).get("/battlemap/").context["warning_counts"]}
    assert counts[OWNER_LATE] == 0  # the bridge is transport's
    assert counts[DEPARTMENT_LATE] == 1


def test_one_click_raises_an_approvals_blocker_with_the_reason(late, as_user):
    client = as_user(late.water_user)
    url = f"/blockers/from-warning/{late.reservoir.pk}/"
    response = client.post(url, {"warning": DEPARTMENT_LATE})
    blocker = Blocker.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/blockers/{blocker.pk}/"
    assert (blocker.kind, blocker.description, blocker.lead_unit) == ("approvals", REASON, late.water)
    client.post(url, {"warning": DEPARTMENT_LATE})
    assert Blocker.objects.count() == 1  # the same blocker again is not raised twice


def test_no_blocker_without_the_warning_or_the_right(late, as_user):
    assert (
        as_user(late.office)
        .post(f"/blockers/from-warning/{late.road.pk}/", {"warning": DEPARTMENT_LATE})
        .status_code
        == 302
    )
    assert (
        as_user(late.office)
        .post(f"/blockers/from-warning/{late.road.pk}/", {"warning": "nonsense"})
        .status_code
        == 404
    )
    assert (
        as_user(late.viewer)
        .post(f"/blockers/from-warning/{late.reservoir.pk}/", {"warning": DEPARTMENT_LATE})
        .status_code
        == 403
    )
    assert (
        as_user(late.transport_user)
        .post(f"/blockers/from-warning/{late.reservoir.pk}/", {"warning": DEPARTMENT_LATE})
        .status_code
        == 404
    )
    assert not Blocker.objects.exists()


def test_an_approved_node_leaves_no_warning(late, as_user):
    eia = late.reservoir.approval_nodes.get()
    eia.approved_on, eia.doc_number = dt.date(2020, 10, 9), "秀环准〔2020〕31号"
    eia.save()
    body = as_user(late.office).get(f"/projects/{late.reservoir.pk}/").content.decode()
    assert REASON not in body


@pytest.mark.parametrize("count", [3, 60])
def test_the_ledger_with_warnings_keeps_a_fixed_number_of_queries(
    world, pinned_today, as_user, django_assert_max_num_queries, count
):
    for _ in range(count):
        p = f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
        late_eia(p, world.water)
        unsubmitted(p)
        node(p, "施工许可证", planned_on=dt.date(2020, 12, 1))
    client = as_user(world.office)
    # The same cap for 3 rows as for 60: the ledger's own queries and each warning kind's fixed ones
    # (quality and safety's kind, registered since, added one).
    with django_assert_max_num_queries(25):
        response = client.get("/projects/?year=2020&size=100")
    # Each row's badge, its reason in the tooltip.
    assert response.content.decode().count(f'title="{REASON}"') == count
    assert Project.objects.count() == count + 4
