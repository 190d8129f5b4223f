"""A project's node plan: the office applies a template and edits nodes; the unit records submission,
suspension and approval (document number, file) on its own projects only; bad input changes nothing."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from approvals.models import ApprovalNode, NodeTemplate
from approvals.services import templates_load_standard

from .approval_builders import node

pytestmark = pytest.mark.django_db


@pytest.fixture
def standard(world, pinned_today):
    for name in ("县发展改革委", "县规划自然资源局", "县生态环境局", "县住房城乡建委"):
        world.county.units.create(name=name)
    templates_load_standard(region=world.county)
    return world


def test_the_office_applies_the_template_with_planned_dates_in_working_days(standard, as_user):
    world = standard
    response = as_user(world.office).post(
        f"/approvals/project/{world.bridge.pk}/apply/", {"procedure": "approval", "start": "2020-09-28"}
    )
    assert response.status_code == 302
    nodes = list(world.bridge.approval_nodes.order_by("sort"))
    assert [n.name for n in nodes][:3] == ["项目建议书", "可研批复", "用地预审与选址意见书"]
    assert nodes[0].planned_on == dt.date(2020, 9, 28)
    # 项目建议书 has 5 working days: 29, 30 Sep, 9, 10 (a Saturday worked) and 12 Oct.
    assert nodes[1].planned_on == dt.date(2020, 10, 12)
    assert nodes[1].department.name == "县发展改革委"
    # 环评批复 and 节能审查 run beside 建设用地规划许可证: one planned date.
    parallel = [n for n in nodes if n.parallel_group == 1]
    assert len({n.planned_on for n in parallel}) == 1 and len(parallel) == 3
    page = as_user(world.transport_user).get(f"/approvals/project/{world.bridge.pk}/")
    assert "环评批复" in page.content.decode()


def test_applying_twice_adds_nothing_twice(standard, as_user):
    client = as_user(standard.office)
    for _ in range(2):
        client.post(
            f"/approvals/project/{standard.bridge.pk}/apply/", {"procedure": "filing", "start": "2020-09-28"}
        )
    assert standard.bridge.approval_nodes.count() == NodeTemplate.objects.filter(procedure="filing").count()


def test_a_unit_records_an_approval_on_its_own_project(world, as_user, pinned_today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 1))
    response = as_user(world.transport_user).post(
        f"/approvals/node/{eia.pk}/record/",
        {
            f"r{eia.pk}-submitted_on": "2020-09-01",
            f"r{eia.pk}-approved_on": "2020-09-25",
            f"r{eia.pk}-doc_number": "秀环准〔2020〕31号",
            f"r{eia.pk}-attachment": SimpleUploadedFile("批复.pdf", b"%PDF-1.4 test", "application/pdf"),
        },
    )
    assert response.status_code == 302
    eia.refresh_from_db()
    assert eia.approved_on == dt.date(2020, 9, 25) and eia.doc_number == "秀环准〔2020〕31号"
    assert eia.attachment.name.endswith(".pdf")
    assert eia.history.count() == 2


def test_it_refuses_an_approval_before_the_submission_and_saves_nothing(world, as_user, pinned_today):
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 10))
    response = as_user(world.office).post(
        f"/approvals/node/{eia.pk}/record/",
        {
            f"r{eia.pk}-submitted_on": "2020-09-10",
            f"r{eia.pk}-approved_on": "2020-09-01",
            f"r{eia.pk}-doc_number": "x",
        },
    )
    assert response.status_code == 400
    assert "批复日期不能早于报送日期" in response.content.decode()
    eia.refresh_from_db()
    assert eia.approved_on is None


def test_it_refuses_a_file_that_is_not_a_pdf_or_image(world, as_user, pinned_today):
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 10))
    response = as_user(world.office).post(
        f"/approvals/node/{eia.pk}/record/",
        {
            f"r{eia.pk}-submitted_on": "2020-09-10",
            f"r{eia.pk}-approved_on": "2020-09-20",
            f"r{eia.pk}-doc_number": "秀环准〔2020〕31号",
            f"r{eia.pk}-attachment": SimpleUploadedFile(
                "批复.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"
            ),
        },
    )
    assert response.status_code == 400
    assert "请上传 PDF、JPEG 或 PNG 文件" in response.content.decode()
    eia.refresh_from_db()
    assert eia.approved_on is None


def test_a_suspension_is_recorded_and_refused_before_the_submission(world, as_user, pinned_today):
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 10))
    client = as_user(world.transport_user)
    bad = client.post(
        f"/approvals/node/{eia.pk}/suspend/",
        {f"s{eia.pk}-reason": "expert", f"s{eia.pk}-starts_on": "2020-09-01"},
    )
    assert bad.status_code == 400 and not eia.suspensions.exists()
    good = client.post(
        f"/approvals/node/{eia.pk}/suspend/",
        {
            f"s{eia.pk}-reason": "expert",
            f"s{eia.pk}-starts_on": "2020-09-14",
            f"s{eia.pk}-ends_on": "2020-09-18",
        },
    )
    assert good.status_code == 302 and eia.suspensions.count() == 1


@pytest.mark.parametrize(("who", "status"), [("water_user", 404), ("leader_user", 404), ("viewer", 403)])
def test_others_may_not_record_on_a_project(world, as_user, pinned_today, who, status):
    """Out of sight: the node does not exist for them; in sight but read-only: refused."""
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 9, 10))
    response = as_user(getattr(world, who)).post(
        f"/approvals/node/{eia.pk}/record/",
        {
            f"r{eia.pk}-submitted_on": "2020-09-10",
            f"r{eia.pk}-approved_on": "2020-09-20",
            f"r{eia.pk}-doc_number": "x",
        },
    )
    assert response.status_code == status
    eia.refresh_from_db()
    assert eia.approved_on is None


def test_a_unit_may_record_but_not_change_the_plan(world, as_user, pinned_today):
    eia = node(world.bridge, "环评批复", time_limit=30)
    client = as_user(world.transport_user)
    response = client.post(
        f"/approvals/node/{eia.pk}/edit/", {f"n{eia.pk}-name": "环评批复", f"n{eia.pk}-time_limit": 300}
    )
    assert response.status_code == 403
    assert (
        client.post(f"/approvals/project/{world.bridge.pk}/apply/", {"procedure": "approval"}).status_code
        == 403
    )
    eia.refresh_from_db()
    assert eia.time_limit == 30


def test_the_office_edits_a_node_and_a_bad_limit_changes_nothing(world, as_user, pinned_today):
    eia = node(world.bridge, "环评批复", time_limit=30)
    client = as_user(world.office)
    base = {
        f"n{eia.pk}-name": "环评批复",
        f"n{eia.pk}-limit_basis": "statutory",
        f"n{eia.pk}-planned_on": "2020-10-20",
    }
    assert (
        client.post(f"/approvals/node/{eia.pk}/edit/", {**base, f"n{eia.pk}-time_limit": "0"}).status_code
        == 400
    )
    eia.refresh_from_db()
    assert eia.time_limit == 30
    assert (
        client.post(f"/approvals/node/{eia.pk}/edit/", {**base, f"n{eia.pk}-time_limit": "60"}).status_code
        == 302
    )
    eia.refresh_from_db()
    assert (eia.time_limit, eia.limit_basis, eia.planned_on) == (60, "statutory", dt.date(2020, 10, 20))


def test_the_office_keeps_the_templates(world, as_user):
    client = as_user(world.office)
    assert client.post("/approvals/templates/", {"standard": "1"}).status_code == 302
    assert NodeTemplate.objects.filter(region=world.county, procedure="approval").count() == 10
    assert as_user(world.water_user).get("/approvals/templates/").status_code == 403
    assert ApprovalNode.objects.count() == 0
