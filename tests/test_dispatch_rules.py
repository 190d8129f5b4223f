"""The quarterly dispatch's criticism and commendation lists follow the rule the office sets for the
year (YearSetting: the last N places or a gap worse than X points; the first N places or a rate of
at least Y %), only ranked units are judged, and the rule is printed in the page and the document."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import docx
import pytest

from cadence.periods import quarter_period
from cadence.selectors import quarterly, scope_user
from cadence.services import document_generate
from projects.models import YearPlan
from reports.models import YearSetting

from . import factories as f
from .conftest import login
from .report_builders import started_report, year_setting

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

Q3 = quarter_period(2020, 3)


@pytest.fixture
def county(reported):
    """Units at 90 %, 75 % (water), 50 % and 50 % (tied), 36 % (transport) and 10 %, against a
    schedule of 75 %; 县发展改革委 has one preparatory project with no start due."""
    sector = reported.reservoir.sector
    for name, ytd in (
        ("县林业局", "900.00"),
        ("县商务委", "500.00"),
        ("县能源局", "500.00"),
        ("县城市管理局", "100.00"),
    ):
        p = f.project(
            region=reported.county,
            lead_unit=f.unit(reported.county, name),
            sector=sector,
            planned="1000.00",
            actual_start=dt.date(2019, 3, 1),
        )
        started_report(p, 9, ytd, by=reported.office)
    f.project(
        region=reported.county,
        lead_unit=f.unit(reported.county, "县发展改革委"),
        sector=sector,
        stage=YearPlan.Stage.PREPARATORY,
        planned="800.00",
    )
    return reported


def lists(world) -> tuple[list[str], list[str]]:
    data = quarterly(world.county, Q3, user=scope_user(world.county))
    return [r.label for r in data.red_list], [r.label for r in data.commended]


def test_it_criticises_the_last_n_places_and_commends_the_first_n(county):
    year_setting(county.county, criticise_by="bottom", criticise_count=2, commend_by="top", commend_count=2)
    assert lists(county) == (["县交通局", "县城市管理局"], ["县林业局", "县水利局"])


def test_it_criticises_a_tie_at_the_cut_together(county):
    year_setting(county.county, criticise_count=4, commend_count=1)
    red, commended = lists(county)
    assert red == ["县商务委", "县能源局", "县交通局", "县城市管理局"]  # 3rd and 3rd place, 5th, 6th
    assert commended == ["县林业局"]


def test_it_criticises_by_the_gap_and_never_a_unit_with_nothing_due(county):
    year_setting(county.county, criticise_by="gap", criticise_gap=Decimal("30"))
    red, _commended = lists(county)
    # 36 % and 10 % are 39 and 65 points behind; 县发展改革委 stands at 0 % but nothing is due.
    assert red == ["县交通局", "县城市管理局"]


def test_it_commends_every_unit_that_meets_a_rate_rule(county):
    year_setting(county.county, criticise_count=1, commend_by="rate", commend_rate=Decimal("50"))
    assert lists(county)[1] == ["县林业局", "县水利局", "县商务委", "县能源局"]


def test_it_commends_no_unit_it_criticises(county):
    year_setting(county.county, criticise_count=5, commend_count=3)
    red, commended = lists(county)
    assert "县商务委" in red and "县商务委" not in commended
    assert commended == ["县林业局"]


def test_it_prints_the_rule_and_the_units_listed_apart_in_the_document(county):
    year_setting(county.county, criticise_count=2, commend_by="rate", commend_rate=Decimal("80"))
    doc = document_generate(kind="quarterly", region=county.county, period=Q3)
    with doc.file.open("rb") as fh:
        document = docx.Document(fh)
    body = "\n".join(p.text for p in document.paragraphs)
    assert "按照2020年度通报规则，排名后2位的单位（并列者同列），予以通报批评，请限期整改：" in body
    assert "按照2020年度通报规则，完成率达到80%及以上的参与排名单位，予以通报表扬：县林业局。" in body
    assert "县发展改革委仅有开工时间未到的前期项目，本期无序时进度要求，不参与排名。" in body
    table = next(t for t in document.tables if t.rows[0].cells[1].text == "责任单位")
    ranks = [row.cells[0].text for row in table.rows[1:]]
    assert ranks == ["1", "2", "3", "3", "5", "6"]


def test_the_office_sets_the_rule_for_the_year_and_the_page_prints_it(county):
    client = login(county.office)
    form = client.get("/reports/settings/?year=2020").content.decode()
    assert "季度调度通报：通报批评和通报表扬的规则" in form
    assert 'name="criticise_by"' in form and 'name="commend_rate"' in form
    data = {"year": "2020", "deadline_day": "5", "yellow_threshold": "10", "mode": "linear"}
    data.update(
        criticise_by="gap", criticise_count="3", criticise_gap="30", commend_by="top", commend_count="2"
    )
    data["commend_rate"] = "80"
    assert client.post("/reports/settings/?year=2020", data).status_code == 302
    setting = YearSetting.objects.get(region=county.county, year=2020)
    assert (setting.criticise_by, setting.criticise_gap, setting.commend_count) == ("gap", Decimal("30"), 2)
    page = client.get("/cadence/quarterly/?year=2020&quarter=3").content.decode()
    assert "2020年度规则：完成率滞后序时进度超过30.00个百分点的参与排名单位。" in page
    assert "2020年度规则：排名前2位（并列者同列）。" in page


def test_it_refuses_a_rule_out_of_range_with_a_message(county):
    client = login(county.office)
    data = {"year": "2020", "deadline_day": "5", "yellow_threshold": "10", "mode": "linear"}
    data.update(criticise_by="gap", criticise_gap="150", commend_by="everyone")
    response = client.post("/reports/settings/?year=2020", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "criticise_gap" in form.errors and "commend_by" in form.errors
    assert not YearSetting.objects.filter(region=county.county, year=2020).exists()
