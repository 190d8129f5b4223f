"""Quality and safety workflow: who may take which step of a hazard (supervisor and office record and
verify, the project's own unit rectifies, leaders and readers read), a step the hazard has passed refused
with its state named (409) and nothing changed, a send-back needs its reason, a stale form is 409, bad
input is 400 with a message, never 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safety.models import Accident, Hazard, SafetyInspection

from .conftest import login
from .safety_builders import hazard, inspection, png

pytestmark = [pytest.mark.django_db]
State = Hazard.State


def _rectify(client, h, **extra):
    data = {"measures": "已补设临边防护栏杆", "rectified_on": "2020-10-09", **extra}
    return client.post(reverse("safety:rectify", args=[h.pk]), data)


def _verify(client, h, **extra):
    return client.post(reverse("safety:verify", args=[h.pk]), {"verify": "1", **extra})


def test_a_supervisor_records_an_inspection_and_a_hazard_the_unit_rectifies_and_the_supervisor_verifies(
    world, pinned_today, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    supervisor = login(world.supervisor)
    url = reverse("safety:inspection_create", args=[world.reservoir.pk])
    response = supervisor.post(
        url,
        {"date": "2020-10-08", "body": "safety_station", "inspectors": "安监站监督员2名", "kind": "safety"},
    )
    assert response.status_code == 302
    found = SafetyInspection.objects.get(project=world.reservoir)
    response = supervisor.post(
        reverse("safety:hazard_create", args=[world.reservoir.pk]),
        {
            "inspection": found.pk,
            "level": "major",
            "category": "excavation",
            "description": "深基坑支护出现裂缝",
            "deadline": "2020-10-20",
            "responsible_unit": world.water.pk,
            "contractor": "施工单位项目部",
            "photo": png(),
        },
    )
    h = Hazard.objects.get()
    assert response.status_code == 302 and response.url == reverse("safety:hazard", args=[h.pk])
    assert (h.state, h.level, h.project, h.responsible_unit) == (
        State.OPEN,
        "major",
        world.reservoir,
        world.water,
    )
    assert h.photo.name.endswith(".png") and "photo" not in h.photo.name  # drawn again, renamed
    assert supervisor.get(reverse("safety:photo", args=[h.pk, "found"])).status_code == 200

    water = login(world.water_user)
    page = water.get(reverse("safety:hazard", args=[h.pk])).content.decode()
    assert 'id="rectify-form"' in page and 'id="verify-form"' not in page
    assert _rectify(water, h).status_code == 302
    h.refresh_from_db()
    assert (h.state, h.rectified_on, h.rectified_by) == (
        State.RECTIFIED,
        dt.date(2020, 10, 9),
        world.water_user,
    )

    page = supervisor.get(reverse("safety:hazard", args=[h.pk])).content.decode()
    assert 'id="verify-form"' in page and "已补设临边防护栏杆" in page
    assert _verify(supervisor, h).status_code == 302
    h.refresh_from_db()
    assert (h.state, h.verified_on, h.verified_by) == (State.VERIFIED, pinned_today, world.supervisor)
    assert [r.state for r in h.history.order_by("history_id")] == ["open", "rectified", "verified"]


@pytest.mark.parametrize("who", ["water_user", "leader_user", "viewer", "hongan_user"])
def test_only_the_supervisor_and_the_office_record_inspections_hazards_and_accidents(
    world, pinned_today, who
):
    client = login(getattr(world, who))
    pk = world.reservoir.pk
    found = inspection(world.reservoir)
    posts = [
        (
            "safety:inspection_create",
            {"date": "2020-10-10", "body": "regulator", "inspectors": "甲", "kind": "both"},
        ),
        (
            "safety:hazard_create",
            {
                "inspection": found.pk,
                "level": "general",
                "category": "fall",
                "description": "x",
                "deadline": "2020-10-20",
                "responsible_unit": world.water.pk,
            },
        ),
        (
            "safety:accident_create",
            {
                "date": "2020-10-01",
                "level": "general",
                "deaths": 0,
                "injuries": 1,
                "description": "x",
                "report_status": "reported",
            },
        ),
    ]
    for name, data in posts:
        assert client.post(reverse(name, args=[pk]), data).status_code == 403
    assert (
        SafetyInspection.objects.count() == 1
        and not Hazard.objects.exists()
        and not Accident.objects.exists()
    )
    assert 'id="inspection-form"' not in client.get(reverse("safety:project", args=[pk])).content.decode()


def test_the_office_records_too_and_an_accident_is_kept_with_its_report_status(world, pinned_today):
    office = login(world.office)
    response = office.post(
        reverse("safety:accident_create", args=[world.road.pk]),
        {
            "date": "2020-07-16",
            "level": "general",
            "deaths": "0",
            "injuries": "1",
            "description": "一名工人手部受伤",
            "report_status": "investigating",
        },
    )
    assert response.status_code == 302
    accident = Accident.objects.get()
    response = office.post(
        reverse("safety:accident_edit", args=[accident.pk]),
        {
            "date": "2020-07-16",
            "level": "general",
            "deaths": "0",
            "injuries": "1",
            "description": "一名工人手部受伤",
            "report_status": "closed",
            "version": accident.version,
        },
    )
    assert response.status_code == 302
    accident.refresh_from_db()
    assert (accident.report_status, accident.version) == ("closed", 2)
    stale = office.post(
        reverse("safety:accident_edit", args=[accident.pk]),
        {
            "date": "2020-07-16",
            "level": "general",
            "deaths": "0",
            "injuries": "2",
            "description": "一名工人手部受伤",
            "report_status": "closed",
            "version": 1,
        },
    )
    assert stale.status_code == 409 and "kp-stale" in stale.content.decode()
    accident.refresh_from_db()
    assert accident.injuries == 1


def test_only_the_projects_own_unit_rectifies(world, pinned_today):
    h = hazard(world.road)  # transport's, water cooperates
    assert _rectify(login(world.supervisor), h).status_code == 403
    assert _rectify(login(world.office), h).status_code == 403
    assert _rectify(login(world.leader_user), h).status_code == 404  # not in the leader's charge
    assert _rectify(login(world.hongan_user), h).status_code == 404  # not in its sight at all
    h.refresh_from_db()
    assert h.state == State.OPEN
    assert _rectify(login(world.water_user), h).status_code == 302  # a cooperating unit is the project's


def test_a_unit_sees_its_hazard_but_may_not_verify_it(world, pinned_today):
    h = hazard(world.reservoir, state=State.RECTIFIED)
    for who in (world.water_user, world.leader_user, world.viewer):
        assert _verify(login(who), h).status_code == 403
    h.refresh_from_db()
    assert h.state == State.RECTIFIED
    assert _verify(login(world.office), h).status_code == 302
    h.refresh_from_db()
    assert h.state == State.VERIFIED


def test_a_step_the_hazard_has_passed_is_refused_with_its_state_and_changes_nothing(world, pinned_today):
    h = hazard(world.reservoir)
    response = _verify(login(world.supervisor), h)
    assert response.status_code == 409
    assert "只有已整改的隐患才能销号。当前状态：待整改。" in response.content.decode()
    h.refresh_from_db()
    assert (h.state, h.version) == (State.OPEN, 1)
    _rectify(login(world.water_user), h)
    again = _rectify(login(world.water_user), h)
    assert again.status_code == 409
    assert "只有待整改的隐患才能登记整改。当前状态：已整改待销号。" in again.content.decode()
    _verify(login(world.supervisor), h)
    back = login(world.supervisor).post(
        reverse("safety:verify", args=[h.pk]), {"send_back": "1", "reason": "x"}
    )
    assert back.status_code == 409
    h.refresh_from_db()
    assert h.state == State.VERIFIED


def test_a_send_back_needs_its_reason_and_reopens_the_hazard_with_it(world, pinned_today):
    h = hazard(world.reservoir, state=State.RECTIFIED)
    supervisor = login(world.supervisor)
    url = reverse("safety:verify", args=[h.pk])
    response = supervisor.post(url, {"send_back": "1", "reason": "  "})
    assert response.status_code == 400 and "请说明退回原因。" in response.content.decode()
    h.refresh_from_db()
    assert h.state == State.RECTIFIED
    assert supervisor.post(url, {"send_back": "1", "reason": "防护栏杆高度不足1.2米"}).status_code == 302
    h.refresh_from_db()
    assert (h.state, h.sent_back_reason, h.rectified_on) == (State.OPEN, "防护栏杆高度不足1.2米", None)
    page = login(world.water_user).get(reverse("safety:hazard", args=[h.pk])).content.decode()
    assert "防护栏杆高度不足1.2米" in page and 'id="rectify-form"' in page


def test_a_stale_form_is_409_and_saves_nothing(world, pinned_today):
    h = hazard(world.reservoir)
    response = _rectify(login(world.water_user), h, version=h.version + 5, seen="")
    assert response.status_code == 409 and 'id="kp-stale"' in response.content.decode()
    h.refresh_from_db()
    assert h.state == State.OPEN


def _hazard_post(world, **data):
    found = inspection(world.reservoir)
    base = {
        "inspection": found.pk,
        "level": "general",
        "category": "fall",
        "description": "临边防护缺失",
        "deadline": "2020-10-20",
        "responsible_unit": world.water.pk,
    }
    return login(world.supervisor).post(
        reverse("safety:hazard_create", args=[world.reservoir.pk]), {**base, **data}
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"deadline": "2020-08-01"}, "整改期限不能早于检查日期（2020-09-01）。"),
        ({"deadline": "yesterday"}, "有效的日期"),
        ({"level": "catastrophic"}, "选择一个有效的选项"),
        ({"description": ""}, "这个字段是必填项"),
    ],
)
def test_bad_hazard_input_is_refused_with_a_message_and_nothing_saved(world, pinned_today, data, message):
    response = _hazard_post(world, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Hazard.objects.exists()


def test_a_hazard_names_one_of_the_projects_units_and_its_photo_is_a_picture(world, pinned_today):
    response = _hazard_post(world, responsible_unit=world.transport.pk)  # a unit, but not the reservoir's
    assert response.status_code == 400 and "选择一个有效的选项" in response.content.decode()
    bad = SimpleUploadedFile("x.png", b"<html>not a picture</html>", content_type="image/png")
    response = _hazard_post(world, photo=bad)
    assert response.status_code == 400 and "x.png 不是 JPEG 或 PNG 格式的图片。" in response.content.decode()
    assert not Hazard.objects.exists()


def test_a_rectification_needs_measures_and_a_date_not_in_the_future(world, pinned_today):
    h = hazard(world.reservoir)
    water = login(world.water_user)
    assert _rectify(water, h, measures="").status_code == 400
    response = _rectify(water, h, rectified_on="2020-10-12")
    assert response.status_code == 400 and "整改完成日期不能晚于今天。" in response.content.decode()
    response = _rectify(water, h, rectified_on="2020-08-31")
    assert (
        response.status_code == 400
        and "整改完成日期不能早于检查日期（2020-09-01）。" in response.content.decode()
    )
    h.refresh_from_db()
    assert (h.state, h.version) == (State.OPEN, 1)


def test_photos_are_served_only_within_the_hazards_scope(world, pinned_today, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    h = hazard(world.reservoir)
    assert _rectify(login(world.water_user), h, photo=png("after.png")).status_code == 302
    h.refresh_from_db()
    url = reverse("safety:photo", args=[h.pk, "rectified"])
    assert login(world.leader_user).get(url)["Content-Type"] == "image/png"
    assert login(world.transport_user).get(url).status_code == 404
    assert login(world.outsider).get(url).status_code == 404
    assert (
        login(world.office).get(reverse("safety:photo", args=[h.pk, "found"])).status_code == 404
    )  # none taken
