"""Committed start dates (reports:commit and reports.forms.CommitmentForm): a past date is refused
with a clear message; the note is shown on the not-started board and on the project page."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.models import StartCommitment
from reports.services import commit_start

from .conftest import login
from .report_builders import set_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def url(world) -> str:
    return f"/reports/not-started/{world.bridge.pk}/commit/"


def test_it_refuses_a_committed_date_in_the_past(world):
    response = login(world.transport_user).post(url(world), {"committed_date": "2020-10-10"}, follow=True)
    assert "承诺开工日期不能早于今天（今天是2020-10-11）" in response.content.decode()
    assert not StartCommitment.objects.exists()


def test_it_takes_today_or_later_with_the_note(world):
    client = login(world.transport_user)
    client.post(url(world), {"committed_date": "2020-10-11", "note": "待林地手续批复"})
    assert StartCommitment.objects.get().committed_date == dt.date(2020, 10, 11)


def test_the_note_shows_on_the_board_and_the_project_page(world):
    set_plan(world.bridge, start_month=6)
    commit_start(project=world.bridge, date=dt.date(2020, 10, 20), by=world.transport_user, note="征地完成后")
    commit_start(project=world.bridge, date=dt.date(2020, 11, 15), by=world.office, note="用地报批延后")
    board = login(world.office).get("/reports/not-started/?year=2020&month=9").content.decode()
    assert "用地报批延后" in board
    page = login(world.transport_user).get(f"/projects/{world.bridge.pk}/").content.decode()
    current = page.index('data-committed="2020-11-15"')
    assert (
        "用地报批延后" in page[current:] and "征地完成后" in page[page.index('data-committed="2020-10-20"') :]
    )
    assert current < page.index('data-committed="2020-10-20"')  # the current one first
