"""Where a page's time goes: `python -m bench.profile_page /projects/?year=2020 [--user bench_province]`.

Why: the HTTP bench says how far a page is from its bare SQL; this says what the rest is. One
request in-process (test Client, the bench database DATABASE_URL names, template caching as with
DEBUG=0): total time, time inside the database cursor per query (SQL, driver and row conversion
excluded from "Python"), the slowest queries, and cProfile's top functions by own time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_page")
    parser.add_argument("path")
    parser.add_argument("--user", default="bench_province")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--runs", type=int, default=3, help="timed requests after one warm-up")
    parser.add_argument(
        "--pyinstrument",
        action="store_true",
        help="a pyinstrument call tree of one request instead of cProfile's flat list (pip install pyinstrument)",
    )
    args = parser.parse_args(argv)

    os.environ.setdefault("KEYPROJ_TODAY", "2020-10-11")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    # DEBUG=0 caches compiled templates; do the same so rendering is timed as in production.
    for engine in settings.TEMPLATES:
        engine["APP_DIRS"] = False
        engine["OPTIONS"]["loaders"] = [
            (
                "django.template.loaders.cached.Loader",
                [
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            )
        ]
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(User.objects.get(username=args.user))
    client.get(args.path)  # warm: template cache, year settings, connection
    totals, sql = [], []
    for _ in range(args.runs):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(args.path)
            totals.append((time.perf_counter() - started) * 1000)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    queries = sorted(ctx.captured_queries, key=lambda q: -float(q["time"]))
    print(f"{args.path} as {args.user}: HTTP {response.status_code}, {len(response.content):,} bytes")
    print(f"total {min(totals):.1f} ms (best of {args.runs}); in the database cursor {min(sql):.1f} ms; ")
    print(f"{len(ctx.captured_queries)} queries; the slowest:")
    for q in queries[:6]:
        print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
    if args.pyinstrument:
        from pyinstrument import Profiler

        tree = Profiler(interval=0.0005)
        tree.start()
        client.get(args.path)
        tree.stop()
        print(tree.output_text(unicode=True, color=False, show_all=False))
        return 0
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(args.path)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.top)
    print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:6000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
