"""The deadline-day burst as a bench mode (issue 17 item 5, bench/burst.py), run small: a few unit
users submitting reports through gunicorn on a private PostgreSQL cluster, pgbench with the same
statements, and the cluster restarted once mid-burst.

What a user would notice is asserted: every report the page said was submitted is submitted, none
twice, no 500 during the restart, every 503 says when to come back (Retry-After), and sending again
works after the restart without restarting gunicorn. Throughput and the ratio to pgbench are
reported by the bench, never asserted (the machine is shared). Runs once in CI with the deployment
stack (tests/stack, `make stack`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.stack.servers import PG_BIN, ROOT

pytestmark = pytest.mark.skipif(
    not (PG_BIN / "initdb").exists() or not Path("/usr/bin/pgbench").exists(),
    reason=f"PostgreSQL binaries or pgbench absent ({PG_BIN}): no private cluster to burst",
)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("burst")
    run = subprocess.run(
        [sys.executable, "-m", "bench.burst", "--clients", "4", "--per-client", "4"]
        + ["--restart-per-client", "8", "--counties", "1", "--projects", "300"]
        + ["--json", str(out / "burst.json"), "--script", str(out / "submit.sql")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-4000:]
    return json.loads((out / "burst.json").read_text()) | {"script": (out / "submit.sql").read_text()}


def test_it_acknowledges_every_submission_of_the_burst_and_keeps_them(results):
    burst = results["burst"]
    assert burst["acknowledged"] == burst["submissions"] == 16
    assert burst["statuses"] == {"302": 16}
    assert burst["check"] == {"submitted": 16, "lost": 0, "duplicated": 0}


def test_it_runs_the_captured_submission_through_pgbench(results):
    pgbench = results["pgbench"]
    assert pgbench["tps"] > 0
    assert pgbench["failed"] in (0, None)
    # pgbench's transactions are real submissions: each made a submitted report of its own.
    assert pgbench["check"] == {"submitted": 16, "lost": 0, "duplicated": 0}
    assert 'INSERT INTO "reports_monthlyreport"' in results["script"]
    assert ":report_id" in results["script"] and ":project" in results["script"]
    assert results["ratio"] is not None  # reported, never asserted


def test_it_loses_and_duplicates_nothing_when_postgresql_restarts_mid_burst(results):
    restart = results["restart"]
    assert restart["acknowledged"] == restart["submissions"] == 32
    assert restart["check"] == {"submitted": 32, "lost": 0, "duplicated": 0}


def test_it_answers_503_with_retry_after_not_500_during_the_restart(results):
    restart = results["restart"]
    assert restart["answers_503"] > 0, "the restart fell between two requests: nothing was tested"
    assert restart["answers_503_without_retry_after"] == 0
    assert restart["answers_500"] == 0
    assert set(restart["statuses"]) <= {"302", "503"}, restart["other_failures"]


def test_it_accepts_submissions_again_after_the_restart_without_restarting_gunicorn(results):
    assert results["restart"]["acknowledged_after_restart"] > 0
    assert results["gunicorn_restarted"] is False
