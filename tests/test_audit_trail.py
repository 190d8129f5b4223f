"""What the audit trail records (issue 13 item 6): users, units, year settings, meetings and
decisions, report saves with old → new, photo removal as a soft delete — who, when, old → new.
(Its clock: test_audit_clock.)"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from accounts.models import SecurityEvent, User
from audit.models import AuditEntry
from meetings.models import Decision, Meeting
from reports import services
from reports.models import ReportEvent, ReportPhoto

from .conftest import login
from .report_builders import report, year_setting

pytestmark = pytest.mark.django_db


def entry(model: str, pk) -> AuditEntry:
    return AuditEntry.objects.filter(model=model, object_id=str(pk)).latest("pk")


def changes(e: AuditEntry) -> dict[str, tuple[str, str]]:
    return {c["field"]: (c["old"], c["new"]) for c in e.changes}


def user_form(user, **values) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "role": user.role,
        "region": user.region_id,
        "unit": user.unit_id or "",
        "leader": user.leader_id or "",
        "phone": user.phone,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "password": "",
    }
    data.update(values)
    return {k: v for k, v in data.items() if v != ""}


def test_it_records_who_changed_a_users_role_and_unit_never_the_password(world):
    office = login(world.office)
    response = office.post(
        f"/manage/users/{world.water_user.pk}/",
        user_form(world.water_user, unit=world.transport.pk, password="Another-Secret-2021"),
    )
    assert response.status_code == 302
    e = entry("accounts.user", world.water_user.pk)
    assert e.by == world.office and e.action == AuditEntry.Action.CHANGED
    assert changes(e)["unit"] == ("县水利局", "县交通局")
    assert "password" not in changes(e) and "Another-Secret" not in e.text
    password = SecurityEvent.objects.get(kind=SecurityEvent.Kind.PASSWORD_SET)
    assert password.user == world.water_user and password.by == world.office
    office.post(f"/manage/users/{world.water_user.pk}/", user_form(world.water_user, role="viewer", unit=""))
    with translation.override("zh-hans"):
        expected = (str(User.Role.UNIT.label), str(User.Role.VIEWER.label))
    assert changes(entry("accounts.user", world.water_user.pk))["role"] == expected


def test_it_records_a_deactivated_unit_with_who_and_old_new(world):
    response = login(world.office).post(
        f"/manage/units/{world.hongan.pk}/",
        {
            "name": "洪安镇政府",
            "kind": "township",
            "region": world.county.pk,
            "township": world.hongan_town.pk,
            "contact_person": "",
            "contact_phone": "",
            "email": "",
        },
    )
    assert response.status_code == 302
    e = entry("regions.unit", world.hongan.pk)
    assert e.by == world.office and e.region == world.county
    assert changes(e)["name"] == ("洪安镇人民政府", "洪安镇政府")
    assert changes(e)["is_active"] == ("是", "否")


def test_it_records_year_settings_meetings_and_decisions(world):
    setting = year_setting(world.county)
    setting.yellow_threshold = Decimal("8.00")
    setting.save()
    assert changes(entry("reports.yearsetting", setting.pk))["yellow_threshold"] == ("10.00", "8.00")
    meeting = Meeting.objects.create(region=world.county, title="县长办公会", date=dt.date(2020, 10, 11))
    decision = Decision.objects.create(meeting=meeting, text="加快征地", project=world.reservoir)
    decision.text = "十月底前完成征地"
    decision.save()
    assert entry("meetings.meeting", meeting.pk).action == AuditEntry.Action.CREATED
    assert changes(entry("meetings.decision", decision.pk))["text"] == ("加快征地", "十月底前完成征地")
    assert entry("meetings.decision", decision.pk).region == world.county
    pk = decision.pk
    decision.delete()
    assert entry("meetings.decision", pk).action == AuditEntry.Action.DELETED


def test_a_saved_report_carries_old_and_new_figures(world):
    data = {
        "amount": Decimal("10.00"),
        "progress": "施工中",
        "started": True,
        "start_date": dt.date(2020, 5, 1),
    }
    services.report_save(project=world.reservoir, year=2020, month=9, data=data, by=world.water_user)
    services.report_save(
        project=world.reservoir,
        year=2020,
        month=9,
        data={**data, "amount": Decimal("12.50")},
        by=world.water_user,
    )
    saved = ReportEvent.objects.filter(action=ReportEvent.Action.SAVED).get()
    assert saved.changes == [{"field": "amount", "old": "10.00", "new": "12.50"}]
    page = login(world.water_user).get(f"/reports/{world.reservoir.pk}/2020/9/")
    assert "10.00 → 12.50" in page.content.decode()
    e = AuditEntry.objects.filter(model="reports.monthlyreport", action=AuditEntry.Action.CHANGED).get()
    assert e.by == world.water_user and changes(e)["amount"] == ("10.00", "12.50")


def test_removing_a_photo_keeps_row_and_file_marked_deleted(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = report(world.reservoir, 9, "10.00", status="draft", by=world.water_user)
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(buffer, "PNG")
    photo = services.photo_add(
        report=draft, upload=SimpleUploadedFile("a.png", buffer.getvalue()), caption="", by=world.water_user
    )
    client = login(world.water_user)
    assert client.post(f"/reports/photos/{photo.pk}/delete/").status_code == 302
    photo = ReportPhoto.objects.get(pk=photo.pk)
    assert photo.deleted_by == world.water_user and photo.deleted_at is not None
    assert (tmp_path / photo.image.name).exists()
    assert client.get(f"/reports/photos/{photo.pk}/").status_code == 404
    assert (
        f"/reports/photos/{photo.pk}/"
        not in client.get(f"/reports/{world.reservoir.pk}/2020/9/").content.decode()
    )
    e = entry("reports.reportphoto", photo.pk)
    assert e.action == AuditEntry.Action.DELETED and e.by == world.water_user


def test_blocker_and_task_timelines_are_in_the_audit_log(world):
    from blockers import services as blocker_services
    from blockers.models import Blocker

    from .blocker_builders import raise_blocker

    blocker = raise_blocker(world.reservoir, by=world.water_user)
    blocker_services.blocker_move(blocker=blocker, by=world.water_user, to=Blocker.Status.COORDINATING)
    e = entry("blockers.blocker", blocker.pk)
    assert e.by == world.water_user and e.action == AuditEntry.Action.STATUS and e.region == world.county
    with translation.override("zh-hans"):
        expected = (str(Blocker.Status.OPEN.label), str(Blocker.Status.COORDINATING.label))
    assert changes(e)["status"] == expected
    lines = login(world.office).get("/manage/audit/", {"model": "blockers.blocker"}).context["lines"]
    assert [line.url for line in lines][:1] == [f"/blockers/{blocker.pk}/"]
