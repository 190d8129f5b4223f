"""The not-started board (/reports/not-started/): commitments and their slips; a unit commits its start
date."""

from __future__ import annotations

import datetime as dt

import pytest

from reports.models import StartCommitment
from reports.services import commit_start

from .conftest import login
from .page_builders import file_september

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    return file_september(world)


def test_it_lists_unstarted_projects_with_their_commitments_and_slips(filed):
    commit_start(project=filed.bridge, date=dt.date(2020, 9, 1), by=filed.transport_user, note="征地完成后")
    commit_start(project=filed.bridge, date=dt.date(2020, 11, 15), by=filed.office, source="县长办公会")
    response = login(filed.office).get("/reports/not-started/?year=2020&month=9")
    rows = response.context["rows"]
    assert [r.project.name for r in rows] == ["梅江河大桥"]
    row = rows[0]
    assert row.commitment.committed_date == dt.date(2020, 11, 15)
    assert [(m["old"], m["new"]) for m in row.moves] == [(dt.date(2020, 9, 1), dt.date(2020, 11, 15))]
    body = response.content.decode()
    assert "2020-09-01" in body and "2020-11-15" in body
    assert StartCommitment.objects.filter(project=filed.bridge, superseded=False).count() == 1


def test_it_lets_the_unit_commit_a_start_date_but_not_others(filed):
    url = f"/reports/not-started/{filed.bridge.pk}/commit/"
    assert login(filed.transport_user).post(url, {"committed_date": "2020-10-20"}).status_code == 302
    assert StartCommitment.objects.get(project=filed.bridge).committed_date == dt.date(2020, 10, 20)
    assert login(filed.water_user).post(url, {"committed_date": "2020-10-21"}).status_code == 404
    assert login(filed.viewer).post(url, {"committed_date": "2020-10-21"}).status_code == 403
