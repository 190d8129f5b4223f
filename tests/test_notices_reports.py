"""reports/notices.py: a report's workflow and a moved committed start reach exactly their people —
submitted → the office of the project's region; returned, approved, reopened → the filing unit; a
commitment that supersedes another → the office and the project's leader — and nobody out of scope."""

from __future__ import annotations

import datetime as dt

import pytest

from notifications.models import Notification
from reports.services import commit_start

from .conftest import login

pytestmark = pytest.mark.django_db

URL = "/reports/{pk}/2020/9/"
FORM = {
    "amount": "300.00",
    "progress": "大坝填筑完成60%",
    "completion_pct": "45",
    "workers": "80",
    "problems": "",
}


@pytest.fixture
def told(world, pinned_today, django_capture_on_commit_callbacks):
    """`told(action)` runs an action with its notices delivered, returns {username: [titles]} of the
    notifications it created."""

    def run(action) -> dict[str, list[str]]:
        before = set(Notification.objects.values_list("pk", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            action()
        got: dict[str, list[str]] = {}
        for n in Notification.objects.exclude(pk__in=before).select_related("user"):
            got.setdefault(n.user.username, []).append(n.title)
        return got

    return run


def submit(world):
    login(world.water_user).post(URL.format(pk=world.reservoir.pk), {**FORM, "submit": "1"})


def test_it_tells_the_office_of_a_submitted_report_and_nobody_else(world, told):
    got = told(lambda: submit(world))
    assert set(got) == {"office"} and len(got["office"]) == 1 and "洪安水库工程" in got["office"][0]


def test_it_tells_the_filing_unit_of_a_return_with_the_reason(world, told):
    submit(world)
    got = told(
        lambda: login(world.office).post(
            URL.format(pk=world.reservoir.pk) + "return/", {"reason": "投资与进度不符"}
        )
    )
    assert set(got) == {"water"}
    n = Notification.objects.get(user=world.water_user, kind="report")
    assert "投资与进度不符" in n.body and n.url == URL.format(pk=world.reservoir.pk)


def test_it_tells_the_filing_unit_of_approval_and_reopening(world, told):
    submit(world)
    office = login(world.office)
    assert set(told(lambda: office.post(URL.format(pk=world.reservoir.pk) + "approve/"))) == {"water"}
    got = told(lambda: office.post(URL.format(pk=world.reservoir.pk) + "reopen/", {"reason": "补充照片"}))
    assert set(got) == {"water"}


def test_it_tells_no_other_unit_nor_another_county(world, told):
    submit(world)
    told(lambda: login(world.office).post(URL.format(pk=world.reservoir.pk) + "approve/"))
    for user in (world.transport_user, world.hongan_user, world.outsider, world.city_office, world.viewer):
        assert not Notification.objects.filter(user=user).exists(), user


def test_it_tells_the_office_and_the_leader_when_a_committed_start_moves(world, told):
    assert (
        told(lambda: commit_start(project=world.reservoir, date=dt.date(2020, 11, 1), by=world.water_user))
        == {}
    )
    got = told(lambda: commit_start(project=world.reservoir, date=dt.date(2020, 12, 1), by=world.water_user))
    assert set(got) == {"office", "leader"}
    assert "2020-12-01" in got["leader"][0]


def test_it_does_not_tell_a_leader_of_a_project_not_in_their_charge(world, told):
    commit_start(project=world.bridge, date=dt.date(2020, 11, 1), by=world.transport_user)
    got = told(lambda: commit_start(project=world.bridge, date=dt.date(2020, 12, 1), by=world.transport_user))
    assert set(got) == {"office"}
