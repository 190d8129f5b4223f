"""The pool is scoped like the ledger: the office and the region-wide readers see their region's
subtree, a unit only the candidates it proposes, a leader those in its charge — on every page, the
export and the API, all from Candidate.objects.for_user."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from pool.models import Candidate

from . import factories as f
from . import pool_builders as pb
from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(world):
    water, transport = f.sector("水利"), f.sector("交通")
    return {
        "dam": pb.candidate(
            region=world.county, lead_unit=world.water, sector=water, name="钟灵水库", leader=world.leader
        ),
        "road": pb.candidate(
            region=world.county, lead_unit=world.transport, sector=transport, name="旅游公路"
        ),
        "far": pb.candidate(
            region=world.other_county, lead_unit=world.other_unit, sector=water, name="酉阳水厂二期"
        ),
    }


def names(user) -> set[str]:
    return set(Candidate.objects.for_user(user).values_list("name", flat=True))


def test_it_gives_each_role_its_own_scope(world, pool):
    assert names(world.office) == {"钟灵水库", "旅游公路"}
    assert names(world.supervisor) == names(world.viewer) == {"钟灵水库", "旅游公路"}
    assert names(world.city_office) == {"钟灵水库", "旅游公路", "酉阳水厂二期"}
    assert names(world.water_user) == {"钟灵水库"}
    assert names(world.transport_user) == {"旅游公路"}
    assert names(world.hongan_user) == set()
    assert names(world.leader_user) == {"钟灵水库"}
    assert names(world.outsider) == {"酉阳水厂二期"}


@pytest.mark.parametrize("page", ["/pool/", "/pool/sectors/", "/pool/units/", "/pool/growth/"])
def test_it_shows_a_unit_only_its_own_candidates_on_every_page(world, pool, page):
    water = login(world.water_user).get(page).content.decode()
    office = login(world.office).get(page).content.decode()
    if page in ("/pool/", "/pool/units/"):
        assert "旅游公路" not in water and "钟灵水库" in water or page == "/pool/units/"
        assert "酉阳水厂二期" not in office
    if page == "/pool/units/":
        assert "县交通局" not in water and "县水利局" in water
        assert "县交通局" in office and "酉阳县水利局" not in office


def test_it_answers_404_for_another_units_candidate(world, pool):
    client = login(world.water_user)
    assert client.get(f"/pool/{pool['dam'].pk}/").status_code == 200
    for key in ("road", "far"):
        assert client.get(f"/pool/{pool[key].pk}/").status_code == 404
        assert client.get(f"/pool/{pool[key].pk}/edit/").status_code == 404
    assert login(world.outsider).get(f"/pool/{pool['dam'].pk}/").status_code == 404


def test_it_lets_readers_see_but_not_change(world, pool):
    for reader in (world.viewer, world.supervisor, world.leader_user):
        client = login(reader)
        assert client.get(f"/pool/{pool['dam'].pk}/").status_code == 200
        assert client.get(f"/pool/{pool['dam'].pk}/edit/").status_code == 403
        assert client.get("/pool/new/").status_code == 403


def test_it_exports_only_the_scope(world, pool):
    response = login(world.water_user).get("/exchange/exports/pool.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert "钟灵水库" in text and "旅游公路" not in text and "酉阳水厂二期" not in text


def test_it_scopes_the_api(world, pool):
    water = login(world.water_user).get("/api/v1/pool?year=2021").json()
    assert [r["name"] for r in water["results"]] == ["钟灵水库"]
    assert login(world.water_user).get(f"/api/v1/pool/{pool['road'].pk}").status_code == 404
    office = login(world.office).get("/api/v1/pool?year=2021").json()
    assert {r["name"] for r in office["results"]} == {"钟灵水库", "旅游公路"}
