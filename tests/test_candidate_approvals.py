"""A reserve candidate's approval node plan, kept on pages as a project's is: from the candidate's page
the office applies a template and edits nodes, the proposing unit records submission and approval
(document number, file); others read it or do not see it at all; bad input changes nothing; once the
candidate is promoted its plan is the project's."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import ApprovalNode
from approvals.services import templates_load_standard
from lists import services as list_services

from . import pool_builders as pb
from .list_builders import ready_candidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def levee(world):
    """An accepted candidate of the water bureau's, in the county with the standard templates."""
    for name in ("县发展改革委", "县规划自然资源局", "县生态环境局", "县住房城乡建委"):
        world.county.units.create(name=name)
    templates_load_standard(region=world.county)
    return ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)


def record(client, node, **fields):
    return client.post(
        f"/approvals/node/{node.pk}/record/", {f"r{node.pk}-{name}": value for name, value in fields.items()}
    )


def test_the_candidate_page_links_to_its_node_plan(world, levee, as_user):
    page = as_user(world.water_user).get(f"/pool/{levee.pk}/").content.decode()
    assert f"/approvals/candidate/{levee.pk}/" in page and f"/land/candidate/{levee.pk}/" in page


def test_the_office_applies_a_template_to_a_candidate_with_planned_working_days(world, levee, as_user):
    response = as_user(world.office).post(
        f"/approvals/candidate/{levee.pk}/apply/", {"procedure": "approval", "start": "2020-09-28"}
    )
    assert response.status_code == 302 and response["Location"] == f"/approvals/candidate/{levee.pk}/"
    nodes = list(levee.approval_nodes.order_by("sort"))
    assert [n.name for n in nodes][:2] == ["项目建议书", "可研批复"]
    assert all(n.project_id is None for n in nodes)
    # 项目建议书 has 5 working days over the National Day holiday: 29, 30 Sep, 9, 10 (worked) and 12 Oct.
    assert (nodes[0].planned_on, nodes[1].planned_on) == (dt.date(2020, 9, 28), dt.date(2020, 10, 12))
    page = as_user(world.water_user).get(f"/approvals/candidate/{levee.pk}/").content.decode()
    assert "可研批复" in page and "县发展改革委" in page and levee.name in page


def test_the_office_edits_adds_and_removes_a_candidates_nodes(world, levee, as_user):
    client = as_user(world.office)
    response = client.post(
        f"/approvals/candidate/{levee.pk}/add/",
        {"new-name": "水土保持方案批复", "new-time_limit": "20", "new-limit_basis": "promised"},
    )
    assert response.status_code == 302
    added = levee.approval_nodes.get(name="水土保持方案批复")
    response = client.post(
        f"/approvals/node/{added.pk}/edit/",
        {
            f"n{added.pk}-name": "水土保持方案批复",
            f"n{added.pk}-time_limit": "15",
            f"n{added.pk}-limit_basis": "statutory",
            f"n{added.pk}-planned_on": "2020-11-02",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"/approvals/candidate/{levee.pk}/"
    added.refresh_from_db()
    assert (added.time_limit, added.planned_on) == (15, dt.date(2020, 11, 2))
    # A second node of the same name on the same candidate is refused, nothing added.
    again = client.post(
        f"/approvals/candidate/{levee.pk}/add/",
        {"new-name": "水土保持方案批复", "new-time_limit": "20", "new-limit_basis": "promised"},
    )
    assert again.status_code == 400 and "已有同名节点" in again.content.decode()
    assert levee.approval_nodes.filter(name="水土保持方案批复").count() == 1
    client.post(f"/approvals/node/{added.pk}/delete/")
    assert not levee.approval_nodes.filter(name="水土保持方案批复").exists()


def test_the_proposing_unit_records_an_approval_on_its_accepted_candidate(
    world, levee, as_user, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    kyb = ApprovalNode.objects.create(candidate=levee, name="可研批复", procedure="approval")
    response = record(
        as_user(world.water_user),
        kyb,
        submitted_on="2020-08-03",
        approved_on="2020-08-14",
        doc_number="秀发改投〔2020〕66号",
        attachment=SimpleUploadedFile("批复.pdf", b"%PDF-1.4 test", "application/pdf"),
    )
    assert response.status_code == 302 and response["Location"] == f"/approvals/candidate/{levee.pk}/"
    kyb.refresh_from_db()
    assert (kyb.approved_on, kyb.doc_number) == (dt.date(2020, 8, 14), "秀发改投〔2020〕66号")
    assert kyb.attachment.name.startswith(f"approvals/candidate-{levee.pk}/")
    assert kyb.history.count() == 2


def test_a_suspension_on_a_candidates_node_counts_against_nothing(world, levee, as_user):
    eia = ApprovalNode.objects.create(
        candidate=levee,
        name="环评批复",
        procedure="approval",
        submitted_on=dt.date(2020, 8, 3),
        time_limit=30,
    )
    response = as_user(world.water_user).post(
        f"/approvals/node/{eia.pk}/suspend/",
        {
            f"s{eia.pk}-reason": "expert",
            f"s{eia.pk}-starts_on": "2020-09-01",
            f"s{eia.pk}-ends_on": "2020-09-03",
        },
    )
    assert response.status_code == 302
    page = as_user(world.office).get(f"/approvals/candidate/{levee.pk}/").content.decode()
    assert "超期12个工作日" in page  # 42 working days used, 3 suspended, over a limit of 30


def test_bad_input_on_a_candidates_node_is_a_message_and_saves_nothing(world, levee, as_user):
    kyb = ApprovalNode.objects.create(
        candidate=levee, name="可研批复", procedure="approval", submitted_on=dt.date(2020, 9, 10)
    )
    response = record(as_user(world.office), kyb, submitted_on="2020-09-10", approved_on="2020-09-01")
    assert response.status_code == 400
    assert "批复日期不能早于报送日期" in response.content.decode()
    kyb.refresh_from_db()
    assert kyb.approved_on is None
    bad = as_user(world.office).post(
        f"/approvals/candidate/{levee.pk}/apply/", {"procedure": "x", "start": "y"}
    )
    assert bad.status_code == 400 and not levee.approval_nodes.exclude(pk=kyb.pk).exists()


def test_only_the_office_sets_a_candidates_plan(world, levee, as_user):
    kyb = ApprovalNode.objects.create(candidate=levee, name="可研批复", procedure="approval")
    unit = as_user(world.water_user)
    apply = {"procedure": "filing", "start": "2020-09-28"}
    assert unit.post(f"/approvals/candidate/{levee.pk}/apply/", apply).status_code == 403
    assert unit.post(f"/approvals/node/{kyb.pk}/delete/").status_code == 403
    assert "套用模板" not in unit.get(f"/approvals/candidate/{levee.pk}/").content.decode()
    assert "套用模板" in as_user(world.office).get(f"/approvals/candidate/{levee.pk}/").content.decode()
    assert list(levee.approval_nodes.values_list("name", flat=True)) == ["可研批复"]


@pytest.mark.parametrize("who", ["leader_user", "supervisor", "viewer"])
def test_readers_see_a_candidates_plan_but_change_nothing(world, as_user, who):
    levee = ready_candidate(
        region=world.county, lead_unit=world.water, sector=world.reservoir.sector, leader=world.leader
    )
    kyb = ApprovalNode.objects.create(candidate=levee, name="可研批复", procedure="approval")
    client = as_user(getattr(world, who))
    page = client.get(f"/approvals/candidate/{levee.pk}/")
    assert page.status_code == 200 and "可研批复" in page.content.decode()
    assert f"/approvals/node/{kyb.pk}/record/" not in page.content.decode()
    assert record(client, kyb, submitted_on="2020-09-01").status_code == 403
    kyb.refresh_from_db()
    assert kyb.submitted_on is None


@pytest.mark.parametrize("who", ["transport_user", "hongan_user", "outsider"])
def test_others_do_not_even_see_a_candidates_plan(world, levee, as_user, who):
    kyb = ApprovalNode.objects.create(candidate=levee, name="可研批复", procedure="approval")
    client = as_user(getattr(world, who))
    assert client.get(f"/approvals/candidate/{levee.pk}/").status_code == 404
    assert record(client, kyb, submitted_on="2020-09-01").status_code == 404
    assert client.post(f"/approvals/candidate/{levee.pk}/apply/", {"procedure": "filing"}).status_code == 404


def test_a_candidates_nodes_stay_out_of_the_register_and_the_departments_figures(world, levee, as_user):
    eco = world.county.units.get(name="县生态环境局")
    ApprovalNode.objects.create(
        candidate=levee,
        name="环评批复",
        procedure="approval",
        department=eco,
        submitted_on=dt.date(2020, 8, 3),
    )
    client = as_user(world.office)
    assert client.get("/api/v1/approvals").json()["count"] == 0
    assert client.get("/api/v1/approvals/departments").json() == []


def test_once_promoted_the_plan_is_the_projects(world, levee, as_user):
    kyb = ApprovalNode.objects.create(candidate=levee, name="可研批复", procedure="approval")
    year_list = list_services.list_draft(user=world.office, year=2021)
    list_services.entries_add_candidates(user=world.office, year_list=year_list, candidate_ids=[levee.pk])
    list_services.list_publish(user=world.office, year_list=year_list)
    levee.refresh_from_db()
    kyb.refresh_from_db()
    assert kyb.project == levee.project and kyb.candidate is None
    client = as_user(world.office)
    page = client.get(f"/approvals/candidate/{levee.pk}/").content.decode()
    assert f"/approvals/project/{levee.project_id}/" in page and "可研批复" not in page
    # Nothing more is planned on the candidate: its plan lives on the project now.
    apply = {"procedure": "filing", "start": "2020-09-28"}
    assert client.post(f"/approvals/candidate/{levee.pk}/apply/", apply).status_code == 403
    assert f"/approvals/project/{levee.project_id}/" in client.get(f"/pool/{levee.pk}/").content.decode()


def test_a_returned_candidate_of_a_unit_is_planned_by_the_office_too(world, levee, as_user):
    returned = pb.candidate(
        region=world.county, lead_unit=world.water, sector=world.reservoir.sector, review_state="returned"
    )
    response = as_user(world.office).post(
        f"/approvals/candidate/{returned.pk}/apply/", {"procedure": "filing", "start": "2020-09-28"}
    )
    assert response.status_code == 302 and returned.approval_nodes.count() == 4
