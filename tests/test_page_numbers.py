"""The numbered pager under the ledger and the wall chart: a fixed handful of links however many pages there are
(a province office's ledger has 400), the first and the last always reachable, gaps shown as "…"."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation


def pager(pages: int, current: int) -> str:
    page = Paginator(range(pages * 50), 50).page(current)
    with translation.override("zh-hans"):
        return render_to_string("_page_numbers.html", {"page": page, "query": "year=2020"})


def numbers(html: str) -> list[str]:
    return re.findall(r'class="page-link"[^>]*>([^<]+)<', html)


def test_four_hundred_pages_show_the_ends_and_two_either_side():
    html = pager(400, 200)
    assert numbers(html) == ["‹", "1", "…", "198", "199", "200", "201", "202", "…", "400", "›"]
    assert 'href="?year=2020&amp;page=400"' in html or 'href="?year=2020&page=400"' in html
    assert '<li class="page-item active" aria-current="page"><span class="page-link">200</span>' in html
    assert 'aria-label="上一页"' in html


def test_the_first_and_last_pages_lose_their_arrow():
    assert numbers(pager(400, 1)) == ["1", "2", "3", "…", "400", "›"]
    assert numbers(pager(400, 400)) == ["‹", "1", "…", "398", "399", "400"]


def test_few_pages_are_all_listed():
    assert numbers(pager(5, 3)) == ["‹", "1", "2", "3", "4", "5", "›"]


def test_the_other_lists_keep_their_short_pager():
    """Registers, logs and rankings page with «‹ n / N ›», keeping the filters in every link."""
    page = Paginator(range(400 * 50), 50).page(7)
    request = RequestFactory().get("/reports/units/", {"year": "2020", "page": "7"})
    with translation.override("zh-hans"):
        html = render_to_string("_pager.html", {"page": page, "request": request})
    assert '<span class="page-link">7 / 400</span>' in html
    assert 'href="?year=2020&amp;page=400"' in html
    assert numbers(html) == ["«", "‹", "7 / 400", "›", "»"]
