"""The pages the HTTP bench times, their bare SQL, their targets, and how --verify reads each one.

A page's figures are read from what the server sends: the JSON endpoints where the page has one
(/api/v1/summary, /api/v1/dashboard, /api/v1/wallchart), otherwise the page's HTML (the ledger's
`data-total` cells, the register's `#blocker-total`, the rows' links in order). Each check compares
them with the rows the page's bench/sql file returns, so a bare-SQL timing is known to do the
page's work and not less.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

YEAR, MONTH = 2020, 9
TODAY = "2020-10-11"  # KEYPROJ_TODAY: "today" for every page (the generator's last report is September)
PERIOD = f"year={YEAR}&month={MONTH}"
# The fixed cost of a signed-in request: the password-change form is login-required and renders
# the base layout (navigation, the user's notification badge) but reads no project data.
FIXED_COST_PATH = "/manage/password/"

Rows = dict[str, list[tuple]]
Check = Callable[[Rows, "Fetch"], list[str]]
Fetch = Callable[[str], bytes]


@dataclass(frozen=True)
class Page:
    name: str
    path: str  # may contain {sector_id}
    sql: str  # bench/sql/<sql>.sql
    target: float  # ratio page / (bare SQL + fixed cost)
    check: Check
    sector: bool = False  # the SQL's :sector_id is the bench sector, not 0 (all)


def _money(text: str) -> Decimal:
    return Decimal(text.replace(",", "").strip())


def _d(value: object) -> Decimal:
    """A driver value (Decimal on PostgreSQL, float on SQLite) as two-place Decimal."""
    return Decimal(str(value if value is not None else 0)).quantize(Decimal("0.01"))


def _same(label: str, page: object, sql: object, out: list[str]) -> None:
    if page != sql:
        out.append(f"{label}: page {_short(page)} != SQL {_short(sql)}")


def _short(value: object, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + f"… ({len(text):,} chars)"


def _totals_json(data: dict, row: tuple, out: list[str], *, prefix: str = "") -> None:
    """Compare a Figures.as_json-like dict with (n, plan, ytd, started, green, yellow, red)."""
    n, plan, ytd, started, green, yellow, red = row
    _same(prefix + "projects", data["projects"], n, out)
    _same(prefix + "planned", Decimal(data["planned_investment"]), _d(plan), out)
    _same(prefix + "ytd", Decimal(data["ytd_investment"]), _d(ytd), out)
    _same(prefix + "not started", data["not_started"], n - (started or 0), out)
    _same(prefix + "lights", data["lights"], {"green": green, "yellow": yellow, "red": red}, out)


# The kinds of warning whose rules the bare SQL gives (ledger.sql page_warnings, dashboard.sql warnings).
WARNINGS_IN_SQL = (
    "tender_no_contract",
    "tender_late",
    "tender_above_budget",
    "hazard_major_open",
    "milestone_slipped",
)


def check_ledger(rows: Rows, fetch: Fetch, path: str) -> list[str]:
    text = fetch(path).decode()
    out: list[str] = []
    foot = re.search(r'id="ledger-totals">(.*?)</tr>', text, re.S)
    if not foot:
        return ["no #ledger-totals row in the page"]
    cells = dict(re.findall(r'data-total="(\w+)">(.*?)</td>', foot.group(1), re.S))
    n, total, plan, ytd, green, yellow, red = rows["totals"][0]
    count = re.search(r"<td colspan=\"8\">\D*([\d,]+)", foot.group(1))
    _same("count", int(count.group(1).replace(",", "")) if count else None, n, out)
    _same("total investment", _money(cells["total"]), _d(total), out)
    _same("annual plan", _money(cells["plan"]), _d(plan), out)
    _same("ytd", _money(cells["ytd"]), _d(ytd), out)
    lights = [int(x) for x in re.findall(r"</span> (\d+)", cells["lights"])]
    _same("lights (red, yellow, green)", lights, [red, yellow, green], out)
    body = text.split('id="ledger"', 1)[1].split("<tfoot>", 1)[0]
    ids = [int(x) for x in re.findall(r'href="/projects/(\d+)/"', body)]
    _same("first page (project ids)", ids, [r[-1] for r in rows["page"]], out)
    years = re.search(r'name="year"[^>]*>(.*?)</select>', text, re.S)
    if years:
        offered = [int(y) for y in re.findall(r'<option value="(\d+)"', years.group(1))]
        _same("years offered", offered, [r[0] for r in rows["years"]], out)
    # The rows' warning badges of the kinds the SQL gives (page_warnings), project by project.
    badges: dict[int, list[str]] = {}
    for chunk in body.split("<tr")[1:]:
        row_id = re.search(r'href="/projects/(\d+)/"', chunk)
        kinds = sorted(k for k in re.findall(r'data-warning="(\w+)"', chunk) if k in WARNINGS_IN_SQL)
        if row_id and kinds:
            badges[int(row_id.group(1))] = kinds
    wanted: dict[int, list[str]] = {}
    for project_id, kind in rows["page_warnings"]:
        wanted.setdefault(project_id, []).append(kind)
    _same("warnings of the page's rows", badges, {k: sorted(v) for k, v in wanted.items()}, out)
    return out


def check_summary(rows: Rows, fetch: Fetch, path: str) -> list[str]:
    data = json.loads(fetch(path))
    out: list[str] = []
    _totals_json(data, rows["totals"][0], out)
    open_, overdue = rows["blockers"][0]
    _same("blockers open", data["blockers_open"], open_, out)
    _same("blockers overdue", data["blockers_overdue"], overdue or 0, out)
    _same("tasks overdue", data["tasks_overdue"], rows["tasks"][0][1] or 0, out)
    return out


def check_not_started(rows: Rows, fetch: Fetch, path: str) -> list[str]:
    text = fetch(path).decode()
    out: list[str] = []
    table = text.split("<tbody", 1)[1] if "<tbody" in text else ""
    ids = list(dict.fromkeys(int(x) for x in re.findall(r'href="/projects/(\d+)/"', table)))
    _same("rows (project ids, in order)", ids, [r[-1] for r in rows["page"]], out)
    heading = re.search(r"<h1>\s*([\d,]+)", text)
    shown = int(heading.group(1).replace(",", "")) if heading else None
    # Today the heading counts the page's rows (at most 100), not every project not started;
    # the total is accepted too, for when the heading is changed to show it.
    total = rows["totals"][0][0]
    if shown not in (total, min(total, 100)):
        out.append(f"heading count: page {shown!r} != SQL {total} (or the page's {min(total, 100)} rows)")
    # What each row lacks to start: as many items ("；"-separated) as the SQL finds for its project.
    lacks: dict[int, int] = {}
    for chunk in table.split('<tr data-project="')[1:]:
        pk, _, rest = chunk.partition('"')
        found = re.search(r'data-missing="([^"]*)"', rest.split("</tr>", 1)[0])
        if found and found.group(1):
            lacks[int(pk)] = len(found.group(1).split("；"))
    wanted: dict[int, int] = {}
    for row in rows["page_missing"]:
        wanted[row[0]] = wanted.get(row[0], 0) + 1
    _same("what each row lacks to start (items per project)", lacks, wanted, out)
    return out


def check_units(rows: Rows, fetch: Fetch, path: str) -> list[str]:
    text = fetch(path).decode()
    out: list[str] = []
    found = re.findall(
        r'<tr><td>\d+</td><td><a href="[^"]*">(.*?)</a></td><td class="num">(\d+)</td>\s*'
        r'<td class="num">([\d,.]+)</td><td class="num">([\d,.]+)</td>',
        text,
    )
    page = [(html.unescape(label), int(n), _money(plan), _money(ytd)) for label, n, plan, ytd in found]
    sql = [(r[1], r[2], _d(r[3]), _d(r[4])) for r in rows["units"]]
    # The page shows the first page of the ranking (all units are ranked); its pager says "1 / n".
    pager = re.search(r'page-link">1 / (\d+)<', text)
    pages = int(pager.group(1)) if pager else 1
    size = len(page) if pages > 1 else len(sql)
    _same("units on the first page", len(page), min(size, len(sql)), out)
    _same("pages", pages, -(-len(sql) // size) if size else 1, out)
    # Units of different counties share names ("县交通局"): equal rate and label may come in
    # either order, so compare the rates in order, and the rows as a set except at the cut.

    def rate(r: tuple) -> Decimal | None:
        return None if not r[2] else (r[3] * 100 / r[2]).quantize(Decimal("0.01"))

    _same("order of rates", [rate(r) for r in page], [rate(r) for r in sql[: len(page)]], out)
    last = rate(page[-1]) if page else None
    inner = [r for r in page if rate(r) != last]
    _same(
        "ranked units (as a set)", sorted(inner), sorted(r for r in sql[: len(page)] if rate(r) != last), out
    )
    return out


def check_blockers(rows: Rows, fetch: Fetch, path: str) -> list[str]:
    text = fetch(path).decode()
    out: list[str] = []
    total = re.search(r'id="blocker-total">\D*([\d,]+)', text)
    _same("blocker count", int(total.group(1).replace(",", "")) if total else None, rows["totals"][0][0], out)
    ids = list(dict.fromkeys(int(x) for x in re.findall(r'href="/blockers/(\d+)/"', text)))
    _same("first page (blocker ids, in order)", ids, [r[0] for r in rows["page"]], out)
    counts = re.findall(
        r'<tr><td>[^<]*</td><td class="num">(\d+)</td><td class="num[^"]*">(\d+)</td></tr>', text
    )
    kinds = [(str(r[1]), str(r[2] or 0)) for r in rows["by_kind"]]
    units = [(str(r[2]), str(r[3] or 0)) for r in rows["by_unit"][:20]]
    # Kinds with equal counts keep Blocker.Kind's order on the page: compare them as a set.
    _same("by kind (n, overdue)", sorted(counts[: len(kinds)]), sorted(kinds), out)
    _same("by unit (n, overdue)", counts[len(kinds) :], units, out)
    return out


def check_dashboard(rows: Rows, fetch: Fetch, path: str) -> list[str]:
    data = json.loads(fetch(f"/api/v1/dashboard?{PERIOD}"))
    out: list[str] = []
    head = data["headline"]
    _totals_json(head, rows["headline"][0], out, prefix="headline ")
    sectors = {s["label"]: s for s in data["sectors"]}
    for row in rows["sectors"]:
        if row[1] in sectors:
            _totals_json(sectors[row[1]], row[2:], out, prefix=f"sector {row[1]} ")
        else:
            out.append(f"sector {row[1]} missing from the dashboard")
    _same("units ranked", data["units_total"], len({r[1] for r in rows["units_regions"]}), out)
    _same("townships ranked", data["townships_total"], len({r[0] for r in rows["townships"]} - {None}), out)
    if data.get("regions"):
        _same("counties ranked", len(data["regions"]), len({r[0] for r in rows["units_regions"]}), out)
    cumulative, running = [], Decimal(0)
    for _month, amount in rows["curve"]:
        running += _d(amount)
        cumulative.append(running)
    actual = [Decimal(x) for x in data["curve"]["actual_ytd"] if x is not None]
    _same("curve (cumulative ytd by month)", actual, cumulative, out)
    _same("lagging list", [i["code"] for i in data["lagging"]["items"]], [r[0] for r in rows["lagging"]], out)
    _same(
        "not-started list",
        [i["code"] for i in data["not_started"]["items"]],
        [r[0] for r in rows["not_started"]],
        out,
    )
    if "blockers_open" in head:
        _same("blockers open", head["blockers_open"], rows["blockers"][0][0], out)
        _same("blockers overdue", head["blockers_overdue"], rows["blockers"][0][1] or 0, out)
    # The warnings by kind (the page's card, not the JSON): projects carrying each kind the SQL gives.
    card = fetch(path).decode().split('id="warning-counts"', 1)[-1].split("</div>\n</div>", 1)[0]
    shown = {k: int(n) for k, n in re.findall(r'<div data-warning="(\w+)">.*?fs-5[^>]*>(\d+)</span>', card)}
    counted = dict(rows["warnings"])
    _same(
        "warnings by kind",
        {k: shown.get(k) for k in WARNINGS_IN_SQL},
        {k: counted.get(k, 0) for k in WARNINGS_IN_SQL},
        out,
    )
    if "tasks_open" in head:
        _same("tasks open", head["tasks_open"], rows["tasks"][0][0], out)
        _same("tasks overdue", head["tasks_overdue"], rows["tasks"][0][1] or 0, out)
    return out


def check_wallchart(rows: Rows, fetch: Fetch, path: str) -> list[str]:
    data = json.loads(fetch(f"/api/v1/wallchart?{PERIOD}&by=sector"))
    out: list[str] = []
    _same("plans", data["count"], sum(r[2] for r in rows["sectors"]), out)
    by_label = {r[1]: r for r in rows["sectors"]}
    for group in data["groups"]:
        row = by_label.get(group["label"])
        if row is None:
            out.append(f"group {group['label']} not in the SQL")
        elif group.get("figures"):
            _totals_json(group["figures"], row[2:], out, prefix=f"{group['label']} ")
    page = [r for g in data["groups"] for r in g["rows"]]
    _same("first page (codes)", [r["code"] for r in page], [r[0] for r in rows["page"]], out)
    _same("first page lights", [r["light"] for r in page], [r[7] for r in rows["page"]], out)
    amounts: dict[tuple, Decimal] = {(pid, m): _d(a) for pid, m, a in rows["page_months"]}
    shown = {(r["id"], m["month"]): Decimal(m["actual"]) for r in page for m in r["months"] if m["actual"]}
    _same("monthly amounts of the page", shown, amounts, out)
    blockers = {pid: n for pid, n, _overdue in rows["page_blockers"]}
    _same(
        "open blockers per row",
        {r["id"]: r["blockers_open"] for r in page if r["blockers_open"]},
        blockers,
        out,
    )
    # The milestones are marked on the page (not in the JSON): one mark each, in its month's cell.
    marks = len(re.findall(r'class="bi bm-mark milestone', fetch(path).decode()))
    _same("milestone marks of the page", marks, len(rows["page_milestones"]), out)
    return out


PAGES = [
    Page("ledger", f"/projects/?year={YEAR}", "ledger", 1.5, check_ledger),
    Page(
        "ledger by sector",
        f"/projects/?year={YEAR}&sector={{sector_id}}",
        "ledger",
        1.5,
        check_ledger,
        sector=True,
    ),
    Page("summary API", f"/api/v1/summary?{PERIOD}", "summary", 1.5, check_summary),
    Page("not-started board", f"/reports/not-started/?{PERIOD}", "not_started", 1.5, check_not_started),
    Page("blocker register", "/blockers/", "blockers", 1.5, check_blockers),
    Page("dashboard", f"/battlemap/?{PERIOD}", "dashboard", 2.0, check_dashboard),
    Page("wall chart", f"/battlemap/wall/?{PERIOD}", "wallchart", 2.0, check_wallchart),
    Page("unit ranking", f"/reports/units/?{PERIOD}", "units", 2.0, check_units),
]
BENCH_SECTOR = "交通"  # the ledger's one-sector variant: transport, about a tenth of the plans
