"""The read-replica router (issue 17 item 2, lib/dbrouter.py) against a real streaming replica.

A private primary cluster is made with initdb on a free port, a hot standby from it with
pg_basebackup -R; Django runs in a subprocess with DATABASE_URL on the primary and DATABASE_REPLICA_URL
on the standby (this file's `probe`, below), and reports what went where. Both clusters are stopped
whatever happens. Runs once in CI with the deployment stack (tests/stack, `make stack`: it starts its
own clusters, whatever DATABASE_URL says); skipped with a message where the PostgreSQL binaries are absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.stack.servers import PG_BIN, ROOT, PrivateCluster, remove

pytestmark = pytest.mark.skipif(
    not (PG_BIN / "initdb").exists(), reason=f"PostgreSQL binaries absent ({PG_BIN}): no replica to start"
)


@contextmanager
def streaming_pair():
    """(primary port, replica port), both clusters stopped and removed on the way out."""
    base = Path(tempfile.mkdtemp(prefix="keyproj-replica-"))
    base.chmod(0o755)  # the postgres user owns the clusters inside
    primary = PrivateCluster(base / "primary", settings={"fsync": "off"})
    replica = None
    try:
        primary.create()
        replica = primary.standby(base / "replica")
        yield primary.port, replica.port
    finally:
        if replica is not None:
            replica.stop()
        primary.stop()
        remove(base)


def test_heavy_reads_go_to_the_replica_and_a_writer_reads_the_primary():
    with streaming_pair() as (p_port, r_port):
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{p_port}/keyproj",
            "DATABASE_REPLICA_URL": f"postgres://postgres@127.0.0.1:{r_port}/keyproj",
            "KEYPROJ_TESTING": "1",
            "KEYPROJ_TODAY": "2020-10-11",
            "DB_CONN_MAX_AGE": "0",
        }
        env.pop("CACHE_REDIS_URL", None)  # the marks live in the local cache of the one probe process
        migrate = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        probe = subprocess.run(
            [sys.executable, "-m", "tests.stack.test_replica_router", "probe"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert probe.returncode == 0, probe.stderr[-3000:]
        seen = json.loads(probe.stdout.strip().splitlines()[-1])

    # The dashboard's business reads went to the replica, none of them to the primary.
    assert seen["dashboard"]["replica_project_reads"] > 0
    assert seen["dashboard"]["primary_project_reads"] == 0
    # An API read too.
    assert seen["api"]["replica_project_reads"] > 0
    # A page not listed (the ledger) reads the primary only.
    assert seen["ledger"]["replica"] == 0
    # With the replica's replay paused, a project added on the primary is missing there: a reader
    # who wrote nothing sees the replica's (older) count...
    assert seen["stale"]["other_user_count"] == seen["before_count"]
    # ...while the user who just wrote (signed in through the form: last_login, within the window)
    # reads only the primary, and sees it.
    assert seen["stale"]["writer_replica_queries"] == 0
    assert seen["stale"]["writer_count"] == seen["before_count"] + 1
    assert seen["stale"]["marked"] is True
    # The replica really is read-only.
    assert "read-only" in seen["replica_write_error"]


# ---- the probe: run in a subprocess with DATABASE_URL and DATABASE_REPLICA_URL set ----


def probe() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyproj.settings")
    import django

    django.setup()
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse

    from lib.dbrouter import MARK_COOKIE
    from projects.models import Project
    from tests import factories as f

    setup_test_environment()
    primary, replica = connections["default"], connections["replica"]

    city = f.region("重庆市", "500000", "city")
    county = f.region("秀山县", "500241", "county", city)
    unit = f.unit(county, "县交通局")
    sector = f.sector("交通")
    for _ in range(3):
        f.project(region=county, lead_unit=unit, sector=sector)
    office = f.user("office", "office", county)
    viewer = f.user("viewer", "viewer", county)

    def caught_up() -> None:
        with primary.cursor() as c:
            c.execute("SELECT pg_current_wal_lsn()")
            target = c.fetchone()[0]
        for _ in range(200):
            with replica.cursor() as c:
                c.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
                if c.fetchone()[0]:
                    return
            time.sleep(0.05)
        raise RuntimeError("the replica did not catch up")

    def get(client, url, **extra):
        with CaptureQueriesContext(primary) as on_primary, CaptureQueriesContext(replica) as on_replica:
            response = client.get(url, **extra)
        assert response.status_code == 200, (url, response.status_code)
        return response, on_primary.captured_queries, on_replica.captured_queries

    def project_reads(queries) -> int:
        return sum('FROM "projects_project"' in q["sql"] for q in queries)

    caught_up()
    seen = {"before_count": Project.objects.count()}
    dashboard = reverse("battlemap:dashboard")

    reader = Client()
    reader.force_login(office)  # no request, so no write mark
    _, p, r = get(reader, dashboard)
    seen["dashboard"] = {"primary_project_reads": project_reads(p), "replica_project_reads": project_reads(r)}
    _, p, r = get(reader, "/api/v1/projects")
    seen["api"] = {"replica_project_reads": project_reads(r)}
    _, p, r = get(reader, reverse("ledger:list"))
    seen["ledger"] = {"replica": len(r)}

    # Pause the standby's replay, then add a project on the primary.
    with replica.cursor() as c:
        c.execute("SELECT pg_wal_replay_pause()")
    f.project(region=county, lead_unit=unit, sector=sector)

    other = Client()
    other.force_login(viewer)
    writer = Client()
    signed_in = writer.post(reverse("login"), {"username": "office", "password": f.PASSWORD})
    assert signed_in.status_code == 302, signed_in.status_code
    api_count = "/api/v1/projects"
    other_page, _, other_replica = get(other, api_count)
    writer_page, _, writer_replica = get(writer, api_count)
    seen["stale"] = {
        "other_user_count": _count(other_page),
        "writer_count": _count(writer_page),
        "writer_replica_queries": len(writer_replica),
        "marked": MARK_COOKIE in signed_in.cookies,
    }
    with replica.cursor() as c:
        c.execute("SELECT pg_wal_replay_resume()")

    try:
        with replica.cursor() as c:
            c.execute("INSERT INTO projects_sector (name) VALUES ('写不进去')")
        seen["replica_write_error"] = "no error"
    except Exception as error:  # noqa: BLE001 - the message is what the test reads
        seen["replica_write_error"] = str(error)
    print(json.dumps(seen, ensure_ascii=False))


def _count(response) -> int:
    body = response.json()
    return body["count"] if isinstance(body, dict) and "count" in body else len(body)


if __name__ == "__main__" and sys.argv[1:] == ["probe"]:
    probe()
