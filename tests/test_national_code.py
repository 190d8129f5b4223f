"""The national project code (项目代码): its form checked, one per candidate, searchable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from lib.national_code import NationalCodeError, normalize, validate
from pool.models import Candidate, clean_national_code

from . import factories as f
from . import pool_builders as pb
from .conftest import login

CODE = "2020-500241-48-01-000123"


def test_it_accepts_the_platform_form_and_tidies_what_was_typed():
    assert validate(CODE, this_year=2020) == CODE
    assert validate("20205002414801000123", this_year=2020) == CODE
    assert normalize(" ２０２０－500241－48－01－000123 ") == CODE


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2020-500241-48-01-00012", "shape"),
        ("2020-500241-48-01-00012X", "shape"),
        ("秀山2020-001", "shape"),
        ("2014-500241-48-01-000123", "year"),
        ("2031-500241-48-01-000123", "year"),
        ("2020-990241-48-01-000123", "division"),
    ],
)
def test_it_says_what_is_wrong_with_a_code(text, reason):
    with pytest.raises(NationalCodeError) as exc:
        validate(text, this_year=2020)
    assert exc.value.code == reason


@pytest.mark.django_db
def test_it_explains_a_bad_code_in_chinese(pinned_today):
    with pytest.raises(ValidationError) as exc:
        clean_national_code("2020-5002")
    assert "24" in exc.value.messages[0] and CODE in exc.value.messages[0]


@pytest.mark.django_db
def test_it_keeps_a_code_to_one_candidate_and_finds_it(world, pinned_today):
    water = f.sector("水利")
    dam = pb.candidate(
        region=world.county, lead_unit=world.water, sector=water, name="钟灵水库", national_code=CODE
    )
    pb.candidate(region=world.county, lead_unit=world.water, sector=water, name="无代码甲")
    pb.candidate(
        region=world.county, lead_unit=world.water, sector=water, name="无代码乙"
    )  # empty codes don't clash
    other = pb.candidate(region=world.county, lead_unit=world.water, sector=water, name="堤防")
    response = login(world.office).post(
        f"/pool/{other.pk}/edit/",
        {
            "name": other.name,
            "sector": water.pk,
            "lead_unit": world.water.pk,
            "content": "x",
            "estimated_investment": "1.00",
            "proposed_start_year": "2021",
            "maturity": "idea",
            "entered_on": "2020-05-01",
            "national_code": "20205002414801000123",
        },
    )
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    other.refresh_from_db()
    assert other.national_code == ""
    page = login(world.office).get("/pool/?q=500241-48-01-000123").content.decode()
    assert "钟灵水库" in page and "堤防" not in page
    assert Candidate.objects.filter(national_code=CODE).get() == dam
