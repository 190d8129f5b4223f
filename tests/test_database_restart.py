"""PostgreSQL stopped and started again under a running gunicorn (DEBUG=0): while it is down every page
answers 503 with Retry-After in Chinese (JSON for the API) and a "save and submit" is neither saved
nor said to be; once it is back the same worker answers again, and a restart between two requests
costs none of them (CONN_HEALTH_CHECKS); a COMMIT whose answer never comes is called neither saved nor
not saved ("未能确认是否已保存"). Against a private cluster the test starts in a temporary
folder on a free port, never the shared server.

It runs once per suite: in the SQLite pass (DATABASE_URL unset), as the PostgreSQL pass would only
start the same private cluster a second time."""

from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bench.server import HOST, Client, Server, free_port

BASE_DIR = Path(__file__).resolve().parent.parent
BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name))
ROOT = os.geteuid() == 0
RUN_AS_POSTGRES = ["runuser", "-u", "postgres", "--"] if ROOT else []

pytestmark = [
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="runs once, in the SQLite pass: it starts its own PostgreSQL cluster whatever the suite's database",
    ),
    pytest.mark.skipif(not BINARIES, reason="no PostgreSQL binaries under /usr/lib/postgresql/*/bin"),
    pytest.mark.skipif(
        ROOT and not shutil.which("runuser"),
        reason="running as root, where initdb refuses, and runuser is missing to run it as postgres",
    ),
]

FORM = {
    "amount": "300.00",
    "progress": "大坝填筑完成60%",
    "completion_pct": "45",
    "workers": "80",
    "problems": "",
}
# The schema straight from the models, as pytest-django's --nomigrations does (replaying every
# migration takes over a minute here and proves nothing about an outage), then the one unit and project.
SEED = """
from django.conf import settings
from django.core.management import call_command
from tests import factories as f

class NoMigrations(dict):
    def __contains__(self, app):
        return True

    def __getitem__(self, app):
        return None

settings.MIGRATION_MODULES = NoMigrations()
call_command("migrate", run_syncdb=True, verbosity=0)
county = f.region("秀山县", "500241", "county")
water = f.unit(county, "县水利局")
f.user("water", "unit", county, unit=water)
for name in ("洪安水库工程", "梅江河堤防"):
    print(f.project(region=county, lead_unit=water, sector=f.sector("水利"), name=name, year={year}).pk)
"""
# COMMIT that never answers: a deferred trigger ends the server process while the report's transaction
# commits, as a server stopped at that moment would.
KILL_AT_COMMIT = """
CREATE FUNCTION kill_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$;
CREATE CONSTRAINT TRIGGER kill_at_commit AFTER INSERT ON reports_monthlyreport
DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION kill_at_commit();
"""


class Cluster:
    """initdb into a temporary folder, pg_ctl on a free loopback port (as postgres when we are root)."""

    def __init__(self, root: Path) -> None:
        self.bin, self.root, self.port = Path(BINARIES[-1]), root, free_port()
        self.data = root / "data"
        self.options = f"-k {root} -c listen_addresses={HOST} -p {self.port} -c fsync=off"

    def run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*RUN_AS_POSTGRES, str(self.bin / tool), *args], check=True, capture_output=True, timeout=60
        )

    def create(self) -> str:
        if ROOT:
            shutil.chown(self.root, "postgres")
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        self.run("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", "keyproj")
        return f"postgres://postgres@{HOST}:{self.port}/keyproj"

    def sql(self, statements: str) -> None:
        self.run(
            "psql",
            "-h",
            HOST,
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            "keyproj",
            "-c",
            statements,
        )

    def start(self) -> None:
        self.run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", self.options, "-w", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def cluster():
    root = Path(tempfile.mkdtemp(prefix="keyproj-pg-"))
    cluster = Cluster(root)
    try:
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def server_env(database_url: str) -> dict[str, str]:
    """Production settings (DEBUG=0) with the suite's fast hasher and plain static storage (no
    collectstatic needed: no page here needs its static files)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "0", "KEYPROJ_TESTING": "1"}
    env.update(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS=HOST, LOG_LEVEL="WARNING")
    env["DJANGO_SETTINGS_MODULE"] = "keyproj.settings"
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def post(client: Client, path: str, data: dict[str, str]):
    """The form as a browser sends it: the CSRF token of the page it came from, Origin and Referer."""
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', client.request("GET", path)[1])
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **data})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": client.origin,
        "Referer": client.origin + path,
    }
    return client.request("POST", path, body=body, headers=headers)


def last_month() -> tuple[int, int]:
    first = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().replace(day=1)
    before = first - dt.timedelta(days=1)
    return before.year, before.month


def test_it_answers_503_while_postgresql_is_down_and_recovers_without_a_worker_restart(cluster, tmp_path):
    env = server_env(cluster.create())
    year, month = last_month()
    pk, other = manage(env, "shell", "-c", SEED.format(year=year)).split()[-2:]
    report, second = (f"/reports/{p}/{year}/{month}/" for p in (pk, other))
    log = tmp_path / "gunicorn.log"
    with Server(env, log) as server:
        water = Client(server.port)
        water.login("water", "Keyproj-2020")
        token_page = water.request("GET", report)
        assert token_page[0].status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', token_page[1]).group(1).decode()

        cluster.stop()
        down, page = water.request("GET", report)
        assert down.status == 503 and down.headers["Retry-After"] == "30"
        assert "服务暂时不可用" in page.decode() and "数据库正在重启或暂时无法连接" in page.decode()
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **FORM, "submit": "1"})
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": water.origin,
            "Referer": water.origin + report,
        }
        refused, page = water.request("POST", report, body=body, headers=headers)
        assert refused.status == 503 and refused.headers["Retry-After"] == "30"
        assert "本次操作未保存" in page.decode() and "月报已报送" not in page.decode()
        api, answer = water.request("GET", "/api/v1/projects")
        assert api.status == 503 and api.headers["Retry-After"] == "30"
        assert list(json.loads(answer)) == ["detail"] and "数据库" in json.loads(answer)["detail"]

        cluster.start()
        back, page = water.request("GET", report)  # the same worker, reconnected
        assert back.status == 200 and "已报送" not in page.decode()  # nothing of the refused submit
        submitted, _ = post(water, report, {**FORM, "submit": "1"})
        assert submitted.status == 302
        assert "已报送" in water.request("GET", report)[1].decode()

        cluster.stop()
        cluster.start()  # between two requests: the kept connection is dead, the next request must not fail
        assert water.request("GET", report)[0].status == 200

        cluster.sql(KILL_AT_COMMIT)
        lost, page = post(water, second, {**FORM, "submit": "1"})
        assert lost.status == 503 and "未能确认是否已保存" in page.decode()
        assert "本次操作未保存" not in page.decode() and "月报已报送" not in page.decode()
        cluster.sql("DROP TRIGGER kill_at_commit ON reports_monthlyreport")
        reloaded, page = water.request("GET", second)  # what the page asked for: look before sending again
        assert reloaded.status == 200 and "已报送" not in page.decode()
        assert server.proc.poll() is None
    text = log.read_text()
    assert text.count("Booting worker") == 1, "gunicorn restarted its worker"
    assert "Database unavailable: GET" in text and "Database unavailable: POST" in text
    assert "terminating connection due to administrator command" in text  # logged with its traceback
