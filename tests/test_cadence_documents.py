"""Cadence documents for the demo county: each generated, opened with python-docx and checked for its key
figures; one converted by LibreOffice; scheduled generation through huey; pages and scoping."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from django.urls import reverse

from blockers.models import Blocker
from blockers.selectors import blocker_counts
from cadence import tasks
from cadence.models import GeneratedDocument
from cadence.periods import month_period, quarter_period, week_of
from cadence.selectors import scope_user
from cadence.services import document_generate
from lib.money import fmt
from supervision.models import Inspection, SupervisionTask

from .blocker_builders import blocker
from .conftest import MEETING_DAY, login
from .factories import user as make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(demo):
    """The demo county (conftest's `demo`, built on its meeting day)."""
    return demo.county


def text_of(doc: GeneratedDocument) -> tuple[str, list[str]]:
    with doc.file.open("rb") as fh:
        document = docx.Document(fh)
    body = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return body, cells


def test_it_writes_the_weekly_summary_with_the_weeks_figures(county):
    period = week_of(MEETING_DAY)
    doc = document_generate(kind="weekly", region=county, period=period)
    body, cells = text_of(doc)
    inspections = Inspection.objects.filter(
        project__region=county, date__range=(period.start, period.end)
    ).count()
    # Overdue as the dashboard and the summary API count it on the week's last day (today here).
    overdue = blocker_counts(scope_user(county), as_of=period.end)["overdue"]
    assert period.end == MEETING_DAY
    assert inspections > 0 and overdue > 0
    assert "重点项目周汇总" in body and "秀山县重点项目办公室" in body and "2020年10月11日" in body
    assert f"开展日督查{inspections}次" in body and f"其中逾期{overdue}个" in body
    assert "一、总体情况" in body and "五、日督查情况" in body
    assert any("县" in c for c in cells)


def test_it_writes_the_monthly_study_pack_with_the_countys_schedule(county):
    from reports.figures import month_plans

    doc = document_generate(kind="monthly", region=county, period=month_period(2020, 9))
    body, cells = text_of(doc)
    figures = month_plans(scope_user(county), year=2020, month=9).figures()
    assert figures.planned == 614700
    assert f"年度计划投资{fmt(figures.planned)}万元" in body and f"累计完成投资{fmt(figures.ytd)}万元" in body
    assert f"完成率{figures.rate:.2f}%" in body
    assert "分行业领域进度" in body and "未开工项目及其卡点" in body and "待研究决策的卡点" in body
    assert "交通" in cells  # a sector row
    awaiting = Blocker.objects.filter(project__region=county, level=3, decisions__isnull=True).first()
    assert awaiting is not None and awaiting.project.name in cells


def test_it_writes_the_quarterly_dispatch_with_rankings_and_lists(county):
    doc = document_generate(kind="quarterly", region=county, period=quarter_period(2020, 3))
    body, cells = text_of(doc)
    assert "关于重点项目推进情况的通报" in body and "2020年第三季度" in body
    assert "责任单位排名" in body and "乡镇（街道）排名" in body
    assert "通报表扬名单" in body and "红灯预警名单" in body
    assert "县水利局" in cells and "县交通局" in cells
    assert "名次" in cells


def test_it_sets_chinese_fonts_for_east_asian_text(county):
    doc = document_generate(kind="weekly", region=county, period=week_of(MEETING_DAY))
    with doc.file.open("rb") as fh:
        document = docx.Document(fh)
    masthead = next(p for p in document.paragraphs if p.text == "秀山县重点项目办公室")
    fonts = masthead.runs[0]._element.rPr.rFonts
    from docx.oxml.ns import qn

    assert fonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body_fonts = {r._element.rPr.rFonts.get(qn("w:eastAsia")) for p in document.paragraphs for r in p.runs}
    assert {"仿宋_GB2312", "黑体"} <= body_fonts


@pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed; PDF conversion not checked"
)
def test_it_converts_to_pdf_with_libreoffice(county, tmp_path):
    doc = document_generate(kind="monthly", region=county, period=month_period(2020, 9))
    source = Path(doc.file.path)
    result = subprocess.run(
        [
            "libreoffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / (source.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stderr
    assert pdf.read_bytes()[:4] == b"%PDF" and pdf.stat().st_size > 5000


def test_it_generates_on_schedule_through_huey(county, today_is):
    today_is(dt.date(2020, 10, 9))  # a Friday
    assert tasks.weekly_summary.call_local() == 1
    weekly = GeneratedDocument.objects.get(kind="weekly")
    assert (
        weekly.trigger == "schedule"
        and weekly.region == county
        and weekly.period_start == dt.date(2020, 10, 5)
    )
    # September's reports are due on 5 October, in the National Day holiday: the deadline moves to the
    # first working day after it, Friday the 9th.
    today_is(dt.date(2020, 10, 9))  # the report deadline itself: not yet
    assert tasks.monthly_study_pack.call_local() == 0
    today_is(dt.date(2020, 10, 10))  # the day after (a Saturday worked): September's pack
    assert tasks.monthly_study_pack.call_local() == 1
    assert GeneratedDocument.objects.get(kind="monthly").period_start == dt.date(2020, 9, 1)
    today_is(dt.date(2020, 10, 10))
    assert tasks.quarterly_dispatch.call_local() == 1
    assert GeneratedDocument.objects.get(kind="quarterly").period_end == dt.date(2020, 9, 30)


def test_it_queues_the_periodic_task_through_huey(county, today_is):
    # Under pytest huey is immediate: calling the task enqueues and runs it at once.
    today_is(dt.date(2020, 10, 9))
    tasks.weekly_summary()  # periodic tasks keep no result; the document is the outcome
    assert GeneratedDocument.objects.filter(kind="weekly", trigger="schedule", region=county).count() == 1


def test_it_shows_the_pages_and_generates_on_demand(county):
    from accounts.models import User

    office = User.objects.get(username="office")
    client = login(office)
    html = client.get(reverse("cadence:weekly"), {"date": "2020-10-11"}).content.decode()
    assert "2020年第41周" in html
    assert client.get(reverse("cadence:monthly"), {"year": 2020, "month": 9}).status_code == 200
    assert (
        "县水利局" in client.get(reverse("cadence:quarterly"), {"year": 2020, "quarter": 3}).content.decode()
    )
    response = client.post(reverse("cadence:monthly"), {"year": 2020, "month": 9})
    doc = GeneratedDocument.objects.get()
    assert response.status_code == 302 and doc.generated_by == office and doc.trigger == "demand"
    download = client.get(reverse("cadence:download", args=[doc.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content)[:2] == b"PK"
    viewer = login(User.objects.get(username="viewer"))
    assert viewer.post(reverse("cadence:weekly"), {"date": "2020-10-11"}).status_code == 403
    assert doc.title in viewer.get(reverse("cadence:list")).content.decode()


def test_it_keeps_documents_to_users_of_the_region(county):
    from regions.models import Region

    doc = document_generate(kind="weekly", region=county, period=week_of(MEETING_DAY))
    other = Region.objects.create(name="邻县", code="500299", level="county", parent=county.parent)
    outsider = make_user("neighbour", "office", other)
    assert login(outsider).get(reverse("cadence:download", args=[doc.pk])).status_code == 404
    assert doc.title not in login(outsider).get(reverse("cadence:list")).content.decode()


def test_it_seeds_a_demo_with_every_blocker_kind_and_the_meeting(county):
    from collections import Counter

    from meetings.models import Meeting

    kinds = Counter(Blocker.objects.filter(project__region=county).values_list("kind", flat=True))
    assert set(kinds) == set(Blocker.Kind.values) and kinds.most_common(1)[0][0] == "land"
    assert Blocker.objects.filter(project__region=county).overdue_on(MEETING_DAY).exists()
    assert Blocker.objects.filter(project__region=county, level__gt=1).exists()
    meeting = Meeting.objects.get(region=county, date=MEETING_DAY, type="executive")
    assert meeting.chair.title == "县长" and meeting.decisions.exists() and meeting.blockers.exists()
    assert SupervisionTask.objects.filter(source_decision_link__decision__meeting=meeting).exists()
    days = Inspection.objects.filter(project__region=county).values_list("date", flat=True)
    assert min(days) >= dt.date(2020, 9, 1) and max(days) < MEETING_DAY and len(set(days)) >= 20


def test_it_does_not_call_deadlines_later_in_the_week_overdue(world, today_is):
    from cadence.selectors import weekly

    friday, saturday = dt.date(2020, 10, 9), dt.date(2020, 10, 10)
    blocker(world.reservoir, raised=dt.date(2020, 9, 1), deadline=saturday)
    period = week_of(friday)
    today_is(friday)
    assert weekly(world.county, period).blockers_overdue == 0
    today_is(dt.date(2020, 10, 12))
    assert weekly(world.county, period).blockers_overdue == 1
