"""`python -m bench.run --http`: the pages over HTTP against a production server, with their bare SQL.

For each scale (one bench database per scale): build the data if absent (bench.run --generate-only
in a subprocess, so this process never imports Django), start gunicorn (one sync worker, DEBUG=0),
sign in once per user over one keep-alive connection, then time in rounds, interleaved so that the
machine's noise falls on all three alike: the page, its bare SQL (bench/sql, plain driver) and the
fixed cost of a signed-in request (pages.FIXED_COST_PATH). Reported: medians, p95, and
ratio = page / (bare SQL + fixed cost) against the page's target.

With --one-county, a second server on a one-county database (scale 0.01: the same county shape,
200 projects) answers the county office's pages in the same rounds: ratio = big / one-county.
With the Redmine peer answering on :3000 (../shared/peers/redmine), its issue list with a total
over 20,000 issues is timed in the same rounds as the province ledger.

With --before TREE (a checkout of an earlier commit, e.g. `git archive <commit> | tar -x -C TREE`),
a third server runs that code on the same database and answers every page, and its own fixed-cost
page, in the same rounds: "ratio before" and "ratio now" are then taken at the same moment, under
the same load, instead of from two runs hours apart.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import pages as P
from bench import peer, sqlfiles
from bench.server import BASE_DIR, Client, Server, collectstatic, production_env

USERS = [("county office", "bench_county"), ("province office", "bench_province")]
PASSWORD = "Keyproj-2020"  # bench.generate.PASSWORD (not imported: that module needs Django)
ONE_COUNTY_SCALE = 0.01


@dataclass
class Series:
    """One timed thing: its samples in ms, in the order taken."""

    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else float("nan")


@dataclass
class Row:
    page: str
    who: str
    target: float
    status: int = 0
    bytes: int = 0
    page_ms: Series = field(default_factory=Series)
    sql_ms: Series = field(default_factory=Series)
    fixed_ms: Series = field(default_factory=Series)
    one_county_ms: Series | None = None
    before_ms: Series | None = None
    before_fixed_ms: Series | None = None
    verify: list[str] | None = None

    @property
    def ratio(self) -> float:
        return self.page_ms.median / (self.sql_ms.median + self.fixed_ms.median)

    @property
    def before_ratio(self) -> float | None:
        """The earlier code's page / (the same bare SQL + its own fixed cost), from the same rounds."""
        if not self.before_ms:
            return None
        return self.before_ms.median / (self.sql_ms.median + self.before_fixed_ms.median)

    @property
    def county_ratio(self) -> float | None:
        return self.page_ms.median / self.one_county_ms.median if self.one_county_ms else None

    def as_json(self) -> dict:
        out = asdict(self)
        for key in ("page_ms", "sql_ms", "fixed_ms", "one_county_ms", "before_ms", "before_fixed_ms"):
            series = getattr(self, key)
            if series is not None:
                out[key] = {"median": series.median, "p95": series.p95, "samples": series.samples}
        out["ratio"] = self.ratio
        out["county_ratio"] = self.county_ratio
        out["before_ratio"] = self.before_ratio
        return out


def database_url(base: str, scale: float) -> str:
    """The bench database of a scale: var/bench[-S].sqlite3, or <name>[_sS] on the same server."""
    if scale == 1:
        return base
    parts = urlsplit(base)
    tag = f"{scale:g}".replace(".", "_")
    if parts.scheme.startswith("sqlite"):
        return base.replace(".sqlite3", f"-{scale:g}.sqlite3")
    return urlunsplit(parts._replace(path=f"{parts.path}_s{tag}"))


def ensure_database(url: str, scale: float, log) -> float | None:
    """Create (PostgreSQL), migrate and generate the bench data of a scale if absent.

    Returns the generation's wall seconds, or None when the data was already there."""
    if not url.startswith("sqlite"):
        import psycopg

        parts = urlsplit(url)
        name = parts.path.lstrip("/")
        admin = urlunsplit(parts._replace(path="/postgres")).replace("postgres://", "postgresql://", 1)
        with psycopg.connect(admin, autocommit=True) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    env = dict(os.environ, DATABASE_URL=url)
    started = dt.datetime.now()
    proc = subprocess.run(
        [sys.executable, "-m", "bench.run", "--generate-only", "--scale", f"{scale:g}"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if proc.returncode:
        raise RuntimeError(f"generating scale {scale:g} failed:\n{proc.stdout}\n{proc.stderr}")
    seconds = (dt.datetime.now() - started).total_seconds()
    generated = "generating" in proc.stdout
    if generated:
        log(f"  generated scale {scale:g} in {seconds:.0f} s ({url.split('@')[-1]})")
    return seconds if generated else None


def _sector_id(db: sqlfiles.Database) -> int:
    row = db.one("SELECT id FROM projects_sector WHERE name = :n", {"n": P.BENCH_SECTOR})
    return row[0] if row else 0


def measure(
    url: str,
    *,
    runs: int,
    warmup: int,
    only: set[str],
    verify: bool,
    one_county_url: str | None,
    redmine: bool,
    log,
    before_tree: Path | None = None,
) -> dict:
    """One scale: start the server(s), sign in, verify if asked, time in interleaved rounds."""
    env = production_env(url, P.TODAY)
    logs = BASE_DIR / "var" / "bench-gunicorn.log"
    collectstatic(env)
    db = sqlfiles.Database(url)
    today = dt.date.fromisoformat(P.TODAY)
    sector = _sector_id(db)
    wanted = [p for p in P.PAGES if not only or p.name in only]
    if before_tree:
        collectstatic(env, before_tree)
    with Server(env, logs) as server:
        small_server = (
            Server(production_env(one_county_url, P.TODAY), logs).__enter__() if one_county_url else None
        )
        before_server = Server(env, logs, before_tree).__enter__() if before_tree else None
        try:
            clients, rows, plans, befores = {}, [], [], {}
            for who, username in USERS:
                client = Client(server.port)
                client.login(username, PASSWORD)
                clients[who] = client
                earlier = None
                if before_server:
                    earlier = Client(before_server.port)
                    earlier.login(username, PASSWORD)
                user = sqlfiles.user(db, username)
                small = None
                if small_server and who == "county office":
                    small = Client(small_server.port)
                    small.login(username, PASSWORD)
                for page in wanted:
                    if page.sector and who == "county office":
                        continue  # one variant per ledger question: the province by sector
                    params = sqlfiles.params(
                        db,
                        user,
                        year=P.YEAR,
                        month=P.MONTH,
                        today=today,
                        sector_id=sector if page.sector else 0,
                    )
                    path = page.path.format(sector_id=sector)
                    row = Row(page.name, who, page.target, one_county_ms=Series() if small else None)
                    if earlier:
                        row.before_ms, row.before_fixed_ms = Series(), Series()
                    plans.append((row, client, small, path, sqlfiles.load(page.sql, db.vendor), params, page))
                    befores[id(row)] = earlier
                    rows.append(row)
            if verify:
                for row, client, _small, path, statements, params, page in plans:
                    _ms, result = db.timed(statements, params)
                    row.verify = page.check(result, lambda p, c=client: _fetch(c, p), path)
                    state = "ok" if not row.verify else "MISMATCH: " + "; ".join(row.verify)
                    log(f"  verify {row.page:<18} {row.who:<16} {state}")
            rm = peer.Redmine() if redmine else None
            if rm:
                rm.login()
            for i in range(warmup + runs):
                keep = i >= warmup
                for row, client, small, path, statements, params, _page in plans:
                    status, body, ms = client.timed_get(path)
                    sql_ms, _ = db.timed(statements, params)
                    fixed_status, _b, fixed_ms = client.timed_get(P.FIXED_COST_PATH)
                    if fixed_status != 200:
                        raise RuntimeError(f"fixed-cost page answered HTTP {fixed_status}")
                    small_ms = small.timed_get(path)[2] if small else None
                    earlier = befores[id(row)]
                    if earlier:
                        before_status, _b, before_ms = earlier.timed_get(path)
                        _s, _b, before_fixed_ms = earlier.timed_get(P.FIXED_COST_PATH)
                        if before_status != 200:
                            raise RuntimeError(f"{path} on the earlier code answered HTTP {before_status}")
                        if keep:
                            row.before_ms.samples.append(before_ms)
                            row.before_fixed_ms.samples.append(before_fixed_ms)
                    row.status, row.bytes = status, len(body)
                    if keep:
                        row.page_ms.samples.append(ms)
                        row.sql_ms.samples.append(sql_ms)
                        row.fixed_ms.samples.append(fixed_ms)
                        if small_ms is not None:
                            row.one_county_ms.samples.append(small_ms)
                if rm:
                    rm.round(keep)
                if keep:
                    log(f"  round {i - warmup + 1}/{runs}")
        finally:
            if before_server:
                before_server.__exit__(None, None, None)
            if small_server:
                small_server.__exit__(None, None, None)
            db.close()
    return {"rows": rows, "redmine": rm.summary() if rm else None, "vendor": db.vendor}


def _fetch(client: Client, path: str) -> bytes:
    status, body = client.get(path)
    if status != 200:
        raise RuntimeError(f"{path}: HTTP {status}")
    return body


def table(result: dict, *, scale: float, runs: int) -> str:
    rows: list[Row] = result["rows"]
    if any(r.before_ms for r in rows):
        return before_table(result, scale=scale, runs=runs)
    lines = [
        f"keyproj HTTP bench · {result['vendor']} · scale {scale:g} · {P.YEAR}-{P.MONTH:02d} · "
        f"gunicorn 1 sync worker, DEBUG=0 · {runs} rounds · median (p95) ms",
        "| page | user | page | bare SQL | fixed cost | ratio page/(SQL+fixed) | target | verdict |"
        + (" one-county page | big/one-county |" if any(r.one_county_ms for r in rows) else ""),
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
        + (" ---: | ---: |" if any(r.one_county_ms for r in rows) else ""),
    ]
    for r in rows:
        verdict = f"HTTP {r.status}" if r.status != 200 else ("ok" if r.ratio <= r.target else "**over**")
        if r.verify:
            verdict += " · verify MISMATCH"
        line = (
            f"| {r.page} | {r.who} | {r.page_ms.median:.1f} ({r.page_ms.p95:.1f}) | "
            f"{r.sql_ms.median:.1f} ({r.sql_ms.p95:.1f}) | {r.fixed_ms.median:.1f} ({r.fixed_ms.p95:.1f}) | "
            f"{r.ratio:.2f}× | ≤ {r.target:g}× | {verdict} |"
        )
        if any(x.one_county_ms for x in rows):
            if r.one_county_ms:
                ok = "ok" if r.county_ratio <= 1.5 else "**over**"
                line += f" {r.one_county_ms.median:.1f} | {r.county_ratio:.2f}× (≤ 1.5×: {ok}) |"
            else:
                line += " | |"
        lines.append(line)
    rm = result.get("redmine")
    if rm:
        lines.append("")
        lines.append(peer.table(rm, rows))
    return "\n".join(lines)


def before_table(result: dict, *, scale: float, runs: int) -> str:
    """--before: the earlier code and this one, side by side from the same rounds."""
    rows: list[Row] = result["rows"]
    lines = [
        f"keyproj HTTP bench · {result['vendor']} · scale {scale:g} · {P.YEAR}-{P.MONTH:02d} · "
        f"gunicorn 1 sync worker each, DEBUG=0 · {runs} rounds · median ms",
        "| page | user | page before | page now | bare SQL | fixed before | fixed now | ratio before "
        "| ratio now | target | verdict now |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in rows:
        verdict = f"HTTP {r.status}" if r.status != 200 else ("ok" if r.ratio <= r.target else "**over**")
        if r.verify:
            verdict += " · verify MISMATCH"
        lines.append(
            f"| {r.page} | {r.who} | {r.before_ms.median:.1f} | {r.page_ms.median:.1f} | "
            f"{r.sql_ms.median:.1f} | {r.before_fixed_ms.median:.1f} | {r.fixed_ms.median:.1f} | "
            f"{r.before_ratio:.2f}× | {r.ratio:.2f}× | ≤ {r.target:g}× | {verdict} |"
        )
    rm = result.get("redmine")
    if rm:
        lines.append("")
        lines.append(peer.table(rm, rows))
    return "\n".join(lines)


def growth_table(by_scale: dict[float, dict]) -> str:
    """Page medians per scale, and each one's growth relative to the smallest scale."""
    scales = sorted(by_scale)
    first = scales[0]
    head = " | ".join(f"{s:g} ({int(20000 * s):,} projects)" for s in scales)
    lines = [
        f"| page | user | {head} | growth {scales[-1]:g}/{first:g} |",
        "| --- | --- |" + " ---: |" * len(scales) + " ---: |",
    ]
    base = {(r.page, r.who): r for r in by_scale[first]["rows"]}
    for key in base:
        cells, last = [], None
        for s in scales:
            row = next((r for r in by_scale[s]["rows"] if (r.page, r.who) == key), None)
            cells.append(f"{row.page_ms.median:.1f} (SQL {row.sql_ms.median:.1f})" if row else "—")
            last = row or last
        growth = last.page_ms.median / base[key].page_ms.median if last else float("nan")
        lines.append(f"| {key[0]} | {key[1]} | {' | '.join(cells)} | {growth:.1f}× |")
    return "\n".join(lines)


def _code_version() -> dict:
    """The commit measured, and whether the working tree had uncommitted changes (others' work)."""

    def git(*cmd: str) -> str:
        return subprocess.run(["git", *cmd], cwd=BASE_DIR, capture_output=True, text=True).stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty_files": len(git("status", "--porcelain").splitlines())}


def _before_version(tree: str) -> dict:
    """What --before served: the tree, and the commit recorded in its .commit file if any."""
    marker = Path(tree) / ".commit"
    return {"tree": str(tree), "commit": marker.read_text().strip() if marker.exists() else None}


def main(args) -> int:
    base = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'var' / 'bench.sqlite3'}"
    scales = [float(s) for s in args.scales.split(",")] if args.scales else [args.scale]
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    log = lambda text: print(text, flush=True)  # noqa: E731
    (BASE_DIR / "var").mkdir(exist_ok=True)
    results: dict[float, dict] = {}
    generation: dict[str, float] = {}
    one_county = None
    if args.one_county:
        one_county = database_url(base, ONE_COUNTY_SCALE)
        seconds = ensure_database(one_county, ONE_COUNTY_SCALE, log)
        if seconds:
            generation[f"{ONE_COUNTY_SCALE:g}"] = seconds
    redmine = (not args.no_redmine) and peer.available()
    if not args.no_redmine and not redmine:
        log("  Redmine peer not answering on 127.0.0.1:3000: skipped (../shared/peers/redmine/setup.sh)")
    for scale in scales:
        url = database_url(base, scale)
        seconds = ensure_database(url, scale, log)
        if seconds:
            generation[f"{scale:g}"] = seconds
        log(f"scale {scale:g}: {url.split('@')[-1]}")
        result = measure(
            url,
            runs=args.runs,
            warmup=args.warmup,
            only=only,
            verify=args.verify,
            one_county_url=one_county if scale == 1 else None,
            redmine=redmine and scale == 1,
            log=log,
            before_tree=Path(args.before).resolve() if args.before else None,
        )
        results[scale] = result
        print()
        print(table(result, scale=scale, runs=args.runs))
        print()
    if len(scales) > 1:
        print(growth_table(results))
    if args.json:
        out = Path(args.json)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(
            json.dumps(
                {
                    "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
                    "code": _code_version(),
                    "before": _before_version(args.before) if args.before else None,
                    "runs": args.runs,
                    "warmup": args.warmup,
                    "fixed_cost_path": P.FIXED_COST_PATH,
                    "generation_seconds": generation,
                    "scales": {
                        f"{s:g}": {
                            "vendor": r["vendor"],
                            "rows": [row.as_json() for row in r["rows"]],
                            "redmine": r["redmine"],
                        }
                        for s, r in results.items()
                    },
                },
                ensure_ascii=False,
                indent=1,
            )
        )
        print(f"raw results: {out}")
    failed = any(r.verify for res in results.values() for r in res["rows"])
    failed |= any(r.status != 200 for res in results.values() for r in res["rows"])
    return 1 if failed else 0
