"""`make bench`: province-scale timings of the heavy pages.

    python -m bench.run --http [--verify] [--scale 1 | --scales 0.05,1,5] [--one-county] [--json F]
    python -m bench.run [--scale 1] [--runs 15] [--fresh] [--only ledger,dashboard]

--http (what `make bench` runs): over HTTP against gunicorn with DEBUG=0, each page beside its bare
SQL and the fixed cost of a signed-in request; see bench/http_bench.py and docs/benchmarks.md.
Without --http: the in-process mode below.

Uses the database DATABASE_URL names — by default its own SQLite file var/bench.sqlite3 (or
var/bench-<scale>.sqlite3), never the demo database. Migrates it, generates the data if absent
(bench/generate.py), then times each page with Django's test Client as a county office user and a
province office user: median and p95 of the server time over N runs, and the number of queries.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
YEAR, MONTH = 2020, 9

# (name, url, runs cap, target median ms or None)
PAGES = [
    ("ledger", f"/projects/?year={YEAR}", None, 150),
    ("dashboard", f"/battlemap/?year={YEAR}&month={MONTH}", None, 300),
    ("wall chart", f"/battlemap/wall/?year={YEAR}&month={MONTH}", None, None),
    ("blocker register", "/blockers/", None, 150),
    ("summary API", f"/api/v1/summary?year={YEAR}&month={MONTH}", None, 150),
    ("ledger export", f"/projects/export.xlsx?year={YEAR}", 3, None),
]
USERS = [("county office", "bench_county"), ("province office", "bench_province")]


@dataclass
class Result:
    page: str
    who: str
    status: int
    runs: int
    median_ms: float
    p95_ms: float
    queries: int
    target: int | None

    @property
    def verdict(self) -> str:
        if self.status != 200:
            return f"HTTP {self.status}"
        if self.target is None:
            return ""
        return "ok" if self.median_ms <= self.target else f"over {self.target} ms"


def _setup(scale: float) -> str:
    name = "bench.sqlite3" if scale == 1 else f"bench-{scale:g}.sqlite3"
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / name}")
    os.environ.setdefault("KEYPROJ_TODAY", f"{YEAR}-10-11")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    (BASE_DIR / "var").mkdir(exist_ok=True)
    import django

    django.setup()
    return os.environ["DATABASE_URL"]


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def time_page(client, url: str, runs: int) -> tuple[int, list[float], int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        first = client.get(url)  # warms caches and counts the queries
    status, queries = first.status_code, len(ctx.captured_queries)
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        samples.append((time.perf_counter() - started) * 1000)
    return status, samples, queries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--scale", type=float, default=1.0, help="1 = 100 counties, 20,000 projects (default)"
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs per page and user (default 15)")
    parser.add_argument("--fresh", action="store_true", help="drop the bench data and generate it again")
    parser.add_argument(
        "--only", default="", help="comma-separated page names to time, e.g. ledger,dashboard"
    )
    parser.add_argument("--generate-only", action="store_true", help="build the data and stop")
    http = parser.add_argument_group("HTTP mode (bench/http_bench.py)")
    http.add_argument("--http", action="store_true", help="time over HTTP against a production server")
    http.add_argument("--verify", action="store_true", help="check each bare SQL gives the page's figures")
    http.add_argument("--scales", default="", help="comma-separated scales for a growth table, e.g. 0.05,1,5")
    http.add_argument(
        "--one-county", action="store_true", help="also time the county office on a one-county database"
    )
    http.add_argument(
        "--no-redmine", action="store_true", help="do not time the Redmine peer even if it answers"
    )
    http.add_argument("--warmup", type=int, default=2, help="untimed rounds first (default 2)")
    http.add_argument("--json", default="", help="write the raw results to this file")
    http.add_argument(
        "--before",
        default="",
        metavar="TREE",
        help="also serve the checkout TREE (an earlier commit) on the same database, in the same rounds",
    )
    args = parser.parse_args(argv)
    if args.http and not args.generate_only:
        from bench import http_bench

        return http_bench.main(args)

    url = _setup(args.scale)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from bench.generate import Scale, bench_exists, generate

    print(f"bench database: {connection.vendor} ({url.split('@')[-1]})")
    if args.fresh and connection.vendor == "sqlite":
        connection.close()
        db = Path(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)
    if args.fresh and connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    if not bench_exists():
        print(f"generating scale {args.scale:g} ...")
        generate(Scale(factor=args.scale))
    if args.generate_only:
        return 0

    wanted = {name.strip() for name in args.only.split(",") if name.strip()}
    results: list[Result] = []
    for who, username in USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for name, path, cap, target in PAGES:
            if wanted and name not in wanted:
                continue
            runs = min(args.runs, cap) if cap else args.runs
            status, samples, queries = time_page(client, path, runs)
            result = Result(
                name, who, status, runs, statistics.median(samples), p95(samples), queries, target
            )
            results.append(result)
            print(
                f"  {name:<17} {who:<16} {result.median_ms:8.1f} ms  p95 {result.p95_ms:8.1f} ms  "
                f"{queries:3d} queries  {result.verdict}",
                flush=True,
            )
    print()
    print(table(results, vendor=connection.vendor, scale=args.scale))
    return 0 if all(r.status == 200 for r in results) else 1


def table(results: list[Result], *, vendor: str, scale: float) -> str:
    lines = [
        f"keyproj bench · {vendor} · scale {scale:g} · {YEAR}-{MONTH:02d}",
        "| page | user | median ms | p95 ms | queries | target |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        target = f"≤ {r.target} ms: {r.verdict}" if r.target else r.verdict
        lines.append(f"| {r.page} | {r.who} | {r.median_ms:.1f} | {r.p95_ms:.1f} | {r.queries} | {target} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
