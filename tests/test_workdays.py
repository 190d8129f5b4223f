"""Working days: weekends and China's holidays skipped, make-up days (调休) counted, from
chinese-calendar; a year it does not know counts weekends only (and the page says so) until the office
enters the State Council's notice; the monthly report deadline moves off a holiday."""

import datetime as dt

import pytest

from reports.models import YearSetting
from workdays import calendar
from workdays.calendar import WorkCalendar

D = dt.date


@pytest.fixture
def cal(db) -> WorkCalendar:
    return WorkCalendar.load()


def test_it_counts_the_2020_national_day_make_up_days_as_working_days(cal):
    assert cal.is_workday(D(2020, 9, 27))  # a Sunday worked before the holiday
    assert cal.is_workday(D(2020, 10, 10))  # a Saturday worked after it
    assert not cal.is_workday(D(2020, 10, 1))
    assert not cal.is_workday(D(2020, 10, 8))  # a Thursday, still the holiday


def test_it_counts_working_days_across_the_2020_national_day_holiday(cal):
    # 26 Sep (Sat) → 11 Oct (Sun): 27, 28, 29, 30 Sep and 9, 10 Oct are worked.
    assert cal.workdays_between(D(2020, 9, 26), D(2020, 10, 11)) == 6
    # A node submitted on 30 Sep with a 2-working-day limit is due on 10 Oct, a Saturday worked.
    assert cal.add_workdays(D(2020, 9, 30), 2) == D(2020, 10, 10)
    assert cal.add_workdays(D(2020, 9, 30), 3) == D(2020, 10, 12)
    assert cal.workdays_between(D(2020, 10, 1), D(2020, 10, 1)) == 0


def test_it_counts_weekends_only_for_a_year_the_library_does_not_know(cal):
    assert not cal.known(2030)
    assert not cal.is_workday(D(2030, 10, 5))  # a Saturday
    assert cal.is_workday(D(2030, 10, 1))  # National Day, but nobody has said so yet
    assert cal.workdays_between(D(2030, 9, 30), D(2030, 10, 7)) == 5


def test_it_says_on_its_page_that_an_unknown_year_counts_weekends_only(world, as_user, today_is):
    today_is(D(2026, 3, 2))
    page = as_user(world.viewer).get("/workdays/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2027" in text
    assert "仅按周末计算" in text  # 2027: not known yet


def test_it_uses_the_notice_the_office_enters(world, as_user, today_is):
    today_is(D(2029, 12, 2))
    response = as_user(world.office).post(
        "/workdays/",
        {
            "year": 2030,
            "document": "国办发明电〔2029〕7号",
            "holidays": "2030-10-01~2030-10-07",
            "workdays": "2030-09-29, 2030-10-12",
        },
    )
    assert response.status_code == 302
    cal = WorkCalendar.load()
    assert cal.known(2030)
    assert not cal.is_workday(D(2030, 10, 1))
    assert cal.is_workday(D(2030, 9, 29))  # a Sunday worked
    # 29 Sep (a Sunday worked), 30 Sep, 8 to 11 Oct and 12 Oct (a Saturday worked)
    assert calendar.workdays_between(D(2030, 9, 27), D(2030, 10, 13)) == 7
    assert "国办发明电〔2029〕7号" in as_user(world.viewer).get("/workdays/").content.decode()


def test_it_refuses_a_notice_with_a_bad_date_and_keeps_nothing(world, as_user):
    response = as_user(world.office).post("/workdays/", {"year": 2030, "holidays": "2030-13-01"})
    assert response.status_code == 400
    assert "不是日期" in response.content.decode()
    assert not WorkCalendar.load().known(2030)


def test_only_the_office_enters_a_notice(world, as_user):
    response = as_user(world.water_user).post("/workdays/", {"year": 2030, "holidays": "2030-10-01"})
    assert response.status_code == 403
    assert not WorkCalendar.load().known(2030)


def test_it_moves_the_report_deadline_off_the_national_day_holiday(world):
    setting = YearSetting(region=world.county, year=2020, deadline_day=5)
    # September's reports are due on 5 October, in the holiday: the 9th is the first working day.
    assert setting.deadline(9) == D(2020, 10, 9)
    assert setting.deadline(8) == D(2020, 9, 7)  # 5 September 2020 was a Saturday
    assert setting.deadline(10) == D(2020, 11, 5)  # a Thursday: unchanged
