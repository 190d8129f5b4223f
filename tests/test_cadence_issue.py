"""Issuing cadence documents (cadence.services.document_issue through the cadence pages): a number once, in
sequence per region, kind and year; the file and figures kept as issued; corrections shown as adjustments
in the next document of the kind; drafts live, unnumbered and marked 征求意见稿; numbers safe under
concurrency."""

from __future__ import annotations

import datetime as dt
import io
import threading

import docx
import pytest
from django.db import connection
from django.urls import reverse

from cadence.models import DocumentSettings, GeneratedDocument
from cadence.periods import month_period, week_of
from cadence.services import document_issue

from .conftest import login
from .report_builders import corrected

pytestmark = pytest.mark.django_db


def docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def issue(client, kind: str, **period) -> GeneratedDocument:
    response = client.post(reverse(f"cadence:{kind}"), {**period, "action": "issue"})
    assert response.status_code == 302 and response.url.startswith(reverse(f"cadence:{kind}"))
    return GeneratedDocument.objects.filter(kind=kind, issued_at__isnull=False).latest("issued_at", "pk")


def test_it_keeps_an_issued_documents_number_and_figures_after_a_correction(reported, pinned_today):
    world = reported
    office = login(world.office)
    september = issue(office, "monthly", year=2020, month=9)
    assert september.number == "秀重研〔2020〕1号"
    first = body(office.get(reverse("cadence:download", args=[september.pk])))
    text = docx_text(first)
    # Reservoir 2,250.00 and road 900.00 万元 by September.
    assert "秀重研〔2020〕1号" in text and "累计完成投资3,150.00万元" in text and "征求意见稿" not in text

    corrected(world.road, 9, "300.00", by=world.office)  # September's road report: 100 → 300

    again = body(office.get(reverse("cadence:download", args=[september.pk])))
    assert again == first  # the same number and figures, byte for byte
    draft = docx_text(
        body(office.get(reverse("cadence:monthly"), {"year": 2020, "month": 9, "format": "docx"}))
    )
    assert "征求意见稿" in draft and "累计完成投资3,350.00万元" in draft and "〔2020〕" not in draft
    page = office.get(reverse("cadence:monthly"), {"year": 2020, "month": 9}).content.decode()
    assert "秀重研〔2020〕1号" in page and 'id="issue"' not in page  # issued once, not offered again

    october = issue(office, "monthly", year=2020, month=10)
    text = docx_text(body(office.get(reverse("cadence:download", args=[october.pk]))))
    assert october.number == "秀重研〔2020〕2号" and "上期数据调整" in text
    assert "秀重研〔2020〕1号（2020年9月）印发后" in text
    assert "全县累计完成投资由3,150.00万元调整为3,350.00万元" in text
    assert "完成率由57.27%调整为60.91%" in text  # of 5,500.00 planned


def test_it_numbers_in_sequence_per_region_kind_and_year(world, today_is):
    today_is(dt.date(2020, 10, 11))
    office = login(world.office)
    assert issue(office, "quarterly", year=2020, quarter=2).number == "秀重调〔2020〕1号"
    assert issue(office, "quarterly", year=2020, quarter=3).number == "秀重调〔2020〕2号"
    assert issue(office, "weekly", date="2020-10-05").number == "秀重周〔2020〕1号"
    response = office.post(
        reverse("cadence:list"), {"prefix": "秀山重", "copy_to": "县委办公室，县政府办公室"}
    )
    assert (
        response.status_code == 302 and DocumentSettings.objects.get(region=world.county).prefix == "秀山重"
    )
    assert issue(office, "weekly", date="2020-10-12").number == "秀山重周〔2020〕2号"
    today_is(dt.date(2021, 1, 10))  # a new year starts again at 1
    office = login(world.office)  # signed in again: the session ended overnight
    assert issue(office, "quarterly", year=2020, quarter=4).number == "秀山重调〔2021〕1号"
    listing = office.get(reverse("cadence:list"), {"issued": "1"}).content.decode()
    assert "秀重调〔2020〕2号" in listing and "秀山重调〔2021〕1号" in listing


def test_it_issues_a_period_once_and_only_by_the_office(world, pinned_today):
    office = login(world.office)
    issue(office, "weekly", date="2020-10-05")
    response = office.post(reverse("cadence:weekly"), {"date": "2020-10-07", "action": "issue"}, follow=True)
    assert "该文件已印发，文号为秀重周〔2020〕1号。" in response.content.decode()
    assert GeneratedDocument.objects.filter(issued_at__isnull=False).count() == 1
    for user in (world.supervisor, world.viewer, world.water_user):
        response = login(user).post(reverse("cadence:weekly"), {"date": "2020-10-12", "action": "issue"})
        assert response.status_code == 403
    assert login(world.supervisor).post(reverse("cadence:list"), {"prefix": "X"}).status_code == 403


def test_a_draft_stays_live_unnumbered_and_marked(reported, pinned_today):
    world = reported
    office = login(world.office)
    office.post(reverse("cadence:monthly"), {"year": 2020, "month": 9})  # listed as a draft
    draft = GeneratedDocument.objects.get()
    assert draft.number == "" and not draft.is_issued
    corrected(world.road, 9, "300.00", by=world.office)
    text = docx_text(body(office.get(reverse("cadence:download", args=[draft.pk]))))
    assert "征求意见稿" in text and "累计完成投资3,350.00万元" in text and "印发" not in text
    listing = office.get(reverse("cadence:list")).content.decode()
    assert "草稿" in listing


@pytest.mark.django_db(transaction=True)
def test_it_gives_different_numbers_to_documents_issued_at_once(world, pinned_today):
    """Four offices' clerks press 编号印发 at the same moment: four numbers, none twice."""
    days = [dt.date(2020, 9, 7) + dt.timedelta(weeks=n) for n in range(4)]
    ready, numbers, errors = threading.Barrier(len(days)), [], []

    def press(day: dt.date) -> None:
        try:
            ready.wait()
            doc = document_issue(kind="weekly", region=world.county, period=week_of(day), by=world.office)
            numbers.append(doc.serial)
        except Exception as exc:  # reported below: the test shows what failed
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(day,)) for day in days]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sorted(numbers) == [1, 2, 3, 4]


def test_it_keeps_the_issued_figures_with_the_document(reported, pinned_today):
    doc = document_issue(
        kind="monthly", region=reported.county, period=month_period(2020, 9), by=reported.office
    )
    assert doc.figures["summary"]["ytd"] == "3150.00" and doc.figures["summary"]["rate"] == "57.27"
    assert set(doc.figures["groups"]) == {"水利"} | set(doc.figures["groups"]) and doc.figures["groups"]


def minutes_meeting(world):
    from meetings.models import Meeting
    from meetings.services import decision_add

    meeting = Meeting.objects.create(
        region=world.county,
        type="executive",
        title="县长办公会",
        date=dt.date(2020, 10, 11),
        chair=world.leader,
    )
    meeting.attending_units.set([world.water, world.transport])
    meeting.projects.set([world.reservoir, world.bridge])
    decision_add(
        meeting=meeting,
        by=world.office,
        project=world.reservoir,
        text="县水利局牵头，逐户开展政策宣讲，推进签约。",  # ends with 。 as people type it
        task_title="完成签约",
        task_unit=world.water,
        task_deadline=dt.date(2020, 11, 4),
    )
    decision_add(
        meeting=meeting, by=world.office, project=world.bridge, text="县交通局牵头，加快大桥前期工作"
    )
    return meeting


def test_it_issues_minutes_once_and_keeps_them_as_issued(world, pinned_today):
    from meetings.services import decision_add

    meeting = minutes_meeting(world)
    office = login(world.office)
    detail = office.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("cadence:minutes", args=[meeting.pk]) in detail  # the way to issue them
    page = office.get(reverse("cadence:minutes", args=[meeting.pk])).content.decode()
    assert 'id="issue"' in page and "尚未印发" in page
    response = office.post(reverse("cadence:minutes_issue", args=[meeting.pk]), follow=True)
    assert "已印发，文号为秀重纪〔2020〕1号。" in response.content.decode()
    assert 'id="issue"' not in response.content.decode()  # back on the minutes' page, issued
    issued = body(office.get(reverse("cadence:minutes_docx", args=[meeting.pk])))
    text = docx_text(issued)
    assert "秀重纪〔2020〕1号" in text and "征求意见稿" not in text
    assert "1. 县水利局牵头，逐户开展政策宣讲，推进签约。" in text and "推进签约。，" not in text
    assert "2. 县交通局牵头，加快大桥前期工作。" in text
    decision_add(meeting=meeting, by=world.office, text="会后补记的事项")
    assert body(office.get(reverse("cadence:minutes_docx", args=[meeting.pk]))) == issued
    again = office.post(reverse("cadence:minutes_issue", args=[meeting.pk]), follow=True).content.decode()
    assert "该文件已印发，文号为秀重纪〔2020〕1号。" in again
    assert (
        login(world.water_user).post(reverse("cadence:minutes_issue", args=[meeting.pk])).status_code == 403
    )


def test_a_units_minutes_carry_the_number_and_say_whose_part_they_are(world, pinned_today):
    meeting = minutes_meeting(world)
    water = login(world.water_user)
    draft = docx_text(body(water.get(reverse("cadence:minutes_docx", args=[meeting.pk]))))
    assert "征求意见稿" in draft and "本件摘录纪要中与县水利局有关的项目、卡点和议定事项。" in draft
    document_issue_minutes = login(world.office).post(reverse("cadence:minutes_issue", args=[meeting.pk]))
    assert document_issue_minutes.status_code == 302
    text = docx_text(body(water.get(reverse("cadence:minutes_docx", args=[meeting.pk]))))
    assert "秀重纪〔2020〕1号" in text and "与县水利局有关" in text
    assert "推进签约" in text and "加快大桥前期工作" not in text  # transport's decision is not water's
    page = water.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert "以下为纪要中与县水利局有关的部分。" in page
    assert login(world.outsider).get(reverse("cadence:minutes_docx", args=[meeting.pk])).status_code == 404
