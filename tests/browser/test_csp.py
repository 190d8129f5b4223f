"""Issue 13 item 7: the main pages pass the Content-Security-Policy with nothing blocked.

Every `securitypolicyviolation` event and every console message about the policy is collected while
the pages load and their scripts run (htmx, ECharts, Leaflet with 天地图 tiles, Swagger UI).
"""

from __future__ import annotations

import copy

import pytest
from django.conf import settings as django_settings

from accounts.models import User
from projects.models import Project

from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TILE_HOST = "https://t0.tianditu.gov.cn"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
WATCH = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""
# What shows each page's scripts ran: a chart drawn, the map's tiles, Swagger UI's operations.
PAGES = {
    "home": ("/", None),
    "ledger": ("/projects/", None),
    "project": ("/projects/{project}/", None),
    "report form": ("/reports/{project}/2020/10/", "form"),
    "dashboard": ("/battlemap/", ".bm-chart canvas, .bm-chart svg"),
    "wall chart": ("/battlemap/wall/", ".bm-chart canvas, .bm-chart svg"),
    "big screen": ("/battlemap/screen/", "canvas, svg"),
    "map": ("/battlemap/map/", ".leaflet-tile-loaded"),
    "api docs": ("/api/v1/docs", ".opblock"),
}


def test_the_main_pages_break_no_rule_of_the_policy(browser, live_server, demo, settings):
    settings.KEYPROJ_MAP_TILES_URL = django_settings.TIANDITU_TILES + "k3y"
    settings.CONTENT_SECURITY_POLICY = copy.deepcopy(django_settings.CONTENT_SECURITY_POLICY)
    # What KEYPROJ_TIANDITU_KEY sets at start-up (tests/test_security_headers.py checks it there).
    settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(TILE_HOST)
    found = []
    for username in ("office", "water"):
        project = Project.objects.for_user(User.objects.get(username=username)).order_by("code").first()
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
        context.add_init_script(WATCH)
        context.route(f"{TILE_HOST}/**", lambda route: route.fulfill(body=PNG, content_type="image/png"))
        page = context.new_page()
        page.set_default_timeout(15000)
        page.base = live_server.url
        console = []
        page.on(
            "console",
            lambda msg, into=console: "Content Security Policy" in msg.text and into.append(msg.text),
        )
        sign_in(page, username)
        for name, (path, drawn) in PAGES.items():
            if username == "water" and name not in ("home", "ledger", "report form"):
                continue
            page.goto(page.base + path.format(project=project.pk))
            page.wait_for_load_state("networkidle")
            if drawn:
                page.wait_for_selector(drawn, state="attached")
            assert page.evaluate("typeof htmx") == "object" or name == "api docs", name
            found += [f"{username} {name}: {v}" for v in page.evaluate("window.__csp")]
            found += [f"{username} {name}: {text}" for text in console]
            console.clear()
        context.close()
    assert found == [], "\n".join(found)


def test_htmx_filters_and_the_language_switch_work_under_the_policy(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.add_init_script(WATCH)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base = live_server.url
    sign_in(page, "office")
    page.goto(page.base + "/projects/")
    page.wait_for_load_state("networkidle")
    sector = page.locator("#ledger-filters select[name=sector] option").nth(1).get_attribute("value")
    with page.expect_request(lambda r: r.headers.get("hx-target") == "ledger-table") as table:
        page.select_option("#ledger-filters select[name=sector]", sector)
    assert f"sector={sector}" in table.value.url
    page.wait_for_load_state("networkidle")
    with page.expect_navigation():  # the switch submits its form (data-autosubmit in static/js/keyproj.js)
        page.select_option("select[name=language]", "en")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    found = page.evaluate("window.__csp")
    context.close()
    assert found == []
