"""Pages and documents read as a county office writes (issue 11 item 7): no ASCII , : ; ( ) next to Chinese
text and no doubled punctuation on the main pages (the demo county, as the office, a unit and a leader)
or in the documents; the week and quarter labels in English when the language is English."""

from __future__ import annotations

import html
import io
import re

import docx
import pytest
from django.urls import reverse

from accounts.models import User
from blockers.models import Blocker
from cadence.periods import month_period, quarter_period, week_of
from cadence.services import document_issue, minutes_issue
from lib.text import ascii_in_chinese, doubled_punctuation, join_clauses
from meetings.models import Meeting
from supervision.models import SupervisionTask

from .conftest import MEETING_DAY, login

pytestmark = pytest.mark.django_db


def visible_text(page: str) -> str:
    """The text a reader sees (and a screen reader reads: titles and labels in attributes too)."""
    page = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", page)
    attributes = " ".join(re.findall(r'(?:title|aria-label|placeholder)="([^"]*)"', page))
    page = re.sub(r"(?s)<!--.*?-->", " ", page)
    page = re.sub(
        r"</?(?:a|span|strong|em|b|i|small|abbr|time|label|code)\b[^>]*>", "", page
    )  # inline: text runs on
    page = re.sub(r"<[^>]+>", "\n", page)
    return html.unescape(page + "\n" + attributes)


def faults(text: str) -> set[str]:
    return set(ascii_in_chinese(text)) | set(doubled_punctuation(text))


def test_it_finds_what_it_looks_for():
    assert (
        faults("专人: 向科长")
        and faults("（县长办公会)")
        and faults("推进签约。，确保")
        and faults("全县,共")
    )
    assert not faults("专人：向科长，完成614,700.00万元（2020-10-11）。Chair: 县长")  # digits, not Chinese
    assert join_clauses("推进签约。", "确保11月4日前开工。") == "推进签约，确保11月4日前开工。"


def test_the_main_pages_use_chinese_punctuation(demo):
    county = demo.county
    project = Blocker.objects.filter(project__region=county).first().project
    blocker = Blocker.objects.filter(project__region=county, level=Blocker.Level.MEETING).first()
    meeting = Meeting.objects.get(region=county, type="executive")
    task = SupervisionTask.objects.filter(region=county).first()
    pages = [
        "/",
        "/projects/?year=2020&month=9",
        f"/projects/{project.pk}/",
        "/reports/?year=2020&month=9",
        "/reports/units/?year=2020&month=9",
        "/reports/not-started/",
        "/blockers/",
        f"/blockers/{blocker.pk}/",
        "/meetings/",
        f"/meetings/{meeting.pk}/",
        f"/meetings/{meeting.pk}/minutes/",
        "/supervision/tasks/",
        f"/supervision/tasks/{task.pk}/",
        "/supervision/inspections/",
        "/cadence/",
        "/cadence/weekly/?date=2020-10-11",
        "/cadence/monthly/?year=2020&month=9",
        "/cadence/quarterly/?year=2020&quarter=3",
        f"/cadence/minutes/{meeting.pk}/",
        "/battlemap/",
        "/battlemap/wall/",
        "/battlemap/screen/",
        "/battlemap/map/",
    ]
    found = {}
    for username in ("office", "water", "leader"):
        client = login(User.objects.get(username=username))
        for path in pages:
            response = client.get(path)
            assert response.status_code in (200, 403, 404), (username, path)
            if response.status_code == 200:
                if spots := faults(visible_text(response.content.decode())):
                    found[(username, path)] = spots
    assert found == {}


def document_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_the_documents_use_chinese_punctuation(demo):
    county, office = demo.county, User.objects.get(username="office")
    docs = [
        document_issue(kind="weekly", region=county, period=week_of(MEETING_DAY), by=office),
        document_issue(kind="monthly", region=county, period=month_period(2020, 9), by=office),
        document_issue(kind="quarterly", region=county, period=quarter_period(2020, 3), by=office),
        minutes_issue(meeting=Meeting.objects.get(region=county, type="executive"), by=office),
    ]
    for doc in docs:
        with doc.file.open("rb") as fh:
            text = document_text(fh.read())
        assert faults(text) == set(), doc.title
        assert "全秀山县" not in text and doc.number in text
        assert not re.search(r"（[^（）]*（", text), doc.title  # no bracket inside a bracket
    assert "（" not in docs[0].title.split("（", 1)[1]  # the weekly title: 周汇总（2020年第41周）


def test_week_and_quarter_labels_are_english_in_english(world, pinned_today):
    client = login(world.office)
    weekly = client.get(reverse("cadence:weekly"), {"date": "2020-10-11"}, HTTP_ACCEPT_LANGUAGE="en")
    quarterly = client.get(
        reverse("cadence:quarterly"), {"year": 2020, "quarter": 3}, HTTP_ACCEPT_LANGUAGE="en"
    )
    monthly = client.get(reverse("cadence:monthly"), {"year": 2020, "month": 9}, HTTP_ACCEPT_LANGUAGE="en")
    headings = [
        re.search(r"<h1>(.*?)</h1>", r.content.decode(), re.S).group(1) for r in (weekly, quarterly, monthly)
    ]
    assert headings == [
        "Weekly summary · Week 41 of 2020 (October 5 – October 11)",
        "Quarterly dispatch · Q3 2020",
        "Monthly study pack · September 2020",
    ]
    chinese = client.get(reverse("cadence:weekly"), {"date": "2020-10-11"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "周汇总 · 2020年第41周（10月5日—10月11日）" in chinese.content.decode()
