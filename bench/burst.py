"""`make bench-burst`: the deadline-day burst (issue 17 item 5, docs/benchmarks.md).

    python -m bench.burst [--clients 16] [--per-client 20] [--restart-per-client 20]
                          [--json F] [--script bench/burst_submit.sql] [--capture-only]

Everything runs on a private PostgreSQL cluster the bench makes itself (initdb into a temporary
directory, its own port: tests.stack.servers.PrivateCluster) — the shared server is never restarted.
It is migrated and given a bench province (bench.generate: reports up to August 2020) with one unit
user per responsible unit; today is the deadline of September's reports. gunicorn serves it with the
production configuration (deploy/gunicorn.conf.py, 4 sync workers — BURST_WORKERS=N for another
count — DEBUG=0, cache and sessions in Redis as deployed). Then:

1. The burst: N clients, each a unit user signed in through the login form, with its unit's report
   forms open (fetched before: the CSRF token and the form's hidden version), press "save and submit"
   one report after another, all at once. Reported: acknowledged submissions per second, p50/p95 of
   the POST, responses by status.
2. The limit: the statements one submission issued on the wire (captured with log_statement=all on
   the private cluster, one submission alone), written as a pgbench script with the report's
   project, year plan and new report id as variables, run by pgbench with the same client count and
   the same number of submissions; its reports are checked as submitted. Ratio = web ÷ pgbench.
   Both phases also say where the processor time went, in ms a submission (bench.cpu: gunicorn's
   workers, the cluster's backends, Redis, this process's client threads, pgbench, the whole
   machine): on a machine whose cores are all busy, the ratio is the database's share of it.
3. The restart: a second burst; once a third of it is acknowledged, `pg_ctl restart -m fast`. Every
   response is recorded (status, Retry-After, which 503 message); a 503 is retried after
   min(Retry-After, RETRY_CAP) — the page asks a person to wait the 30 s, a bench has no person.
   After it: every acknowledged report is submitted in the database (0 lost), no report was
   submitted twice (0 duplicated), no 500, every 503 had Retry-After, gunicorn was never restarted.

The main process never imports Django: the seed and the capture's report lookup run in subprocesses.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from bench.burst_pgbench import QUEUE, captured_statements, pgbench_script, run_pgbench
from bench.cpu import Meter, postmaster
from bench.run import p95
from bench.server import BASE_DIR, HOST, Client, collectstatic, free_port, production_env
from tests.stack.servers import PrivateCluster

YEAR, MONTH = 2020, 9
TODAY = "2020-10-09"  # September's deadline: the 5th of October is a holiday, the next workday
PASSWORD = "Keyproj-2020"
REDIS = "redis://127.0.0.1:6379"
CACHE_DB, QUEUE_DB = 11, 12  # the shared Redis's databases this bench owns (flushed at start)
RETRY_CAP = 0.5  # seconds a client waits before sending a form again after a 503
MAX_ATTEMPTS = 120
WORKERS = int(os.environ.get("BURST_WORKERS", 4))
# The 503 page's two messages for a POST (keyproj.middleware.DatabaseUnavailable), as zh_Hans says them.
NOT_SAVED, UNCONFIRMED = "本次操作未保存", "未能确认"


# ---- the world -------------------------------------------------------------------------------


def seed(counties: int, projects: int) -> None:
    """(Subprocess, Django set up) The bench province and a unit user per unit; prints the work:
    each unit user with its projects that have no September report yet, and their 2020 plans."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from bench.generate import Scale, generate
    from projects.models import Project, YearPlan
    from regions.models import Unit
    from reports.models import MonthlyReport

    scale = Scale(
        cities=1,
        counties_per_city=counties,
        projects_per_county=projects,
        townships_per_county=5,
        blockers_per_county=50,
        years=2,
        last_month=MONTH - 1,
    )
    generate(scale, log=lambda line: print(line, file=sys.stderr))
    hashed, now = make_password(PASSWORD), timezone.now()
    units = Unit.objects.filter(pk__in=Project.objects.values("lead_unit_id")).order_by("pk")
    User.objects.bulk_create(
        User(
            username=f"burst_unit{unit.pk}",
            password=hashed,
            role=User.Role.UNIT,
            unit=unit,
            region_id=unit.region_id,
            password_changed_at=now,
        )
        for unit in units
    )
    plans = dict(YearPlan.objects.filter(year=YEAR).values_list("project_id", "pk"))
    pending = (
        Project.objects.exclude(
            pk__in=MonthlyReport.objects.filter(year=YEAR, month=MONTH).values("project_id")
        )
        .filter(pk__in=plans)
        .order_by("pk")
        .values_list("pk", "lead_unit_id")
    )
    work: dict[int, list[list[int]]] = {}
    for pk, unit in pending:
        work.setdefault(unit, []).append([pk, plans[pk]])
    users = [
        {"username": f"burst_unit{unit}", "unit": unit, "projects": work[unit]}
        for unit in sorted(work, key=lambda u: (-len(work[u]), u))
    ]
    print(json.dumps({"users": users}))


# ---- the clients -----------------------------------------------------------------------------


class _ReportForm(HTMLParser):
    """The fields of the page's report form (the form holding `amount`), as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {}
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("file", "submit", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form[a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form[a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._form is not None and self._textarea:
            # A browser drops the newline that opens a textarea (Django's widget writes one).
            self._form[self._textarea] = self._form[self._textarea].removeprefix("\n")
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def report_path(project: int) -> str:
    return f"/reports/{project}/{YEAR}/{MONTH}/"


def open_form(client: Client, project: int) -> str:
    """The report page's form with this month filled in and "save and submit" pressed, urlencoded."""
    status, body = client.get(report_path(project))
    parser = _ReportForm()
    parser.feed(body.decode())
    fields = next((f for f in parser.forms if "amount" in f), None)
    if status != 200 or fields is None:
        raise RuntimeError(f"no report form for project {project} (HTTP {status})")
    fields.update(
        amount="128.50",
        progress=fields.get("progress") or "按计划推进，主体工程施工中",
        workers=fields.get("workers") or "35",
        completion_pct=fields.get("completion_pct") or "40",
        submit="1",
    )
    return urllib.parse.urlencode(fields)


@dataclass
class Answer:
    project: int
    status: int
    ms: float
    at: float  # time.perf_counter() when the answer arrived
    retry_after: str = ""
    marker: str = ""  # the Location of a 302; which message a 503 gave


def post_form(client: Client, project: int, form: str) -> Answer:
    path = report_path(project)
    sent = time.perf_counter()
    try:
        resp, body = client.request(
            "POST",
            path,
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": client.origin,
                "Referer": client.origin + path,
            },
        )
    except OSError as exc:  # gunicorn did not answer: recorded, never taken for an answer
        client.conn.close()
        return Answer(project, 0, (time.perf_counter() - sent) * 1000, time.perf_counter(), marker=repr(exc))
    done = time.perf_counter()
    text = body.decode(errors="replace")
    marker = resp.headers.get("Location", "")
    if resp.status == 503:
        marker = "not saved" if NOT_SAVED in text else "unconfirmed" if UNCONFIRMED in text else text[:200]
    elif resp.status != 302:  # what the page says is wrong, or its start
        said = re.findall(r'class="(?:invalid-feedback|alert alert-danger)[^"]*">(.*?)</div>', text, re.S)
        marker = " | ".join(said) if said else re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:200]
    retry_after = resp.headers.get("Retry-After", "")
    return Answer(project, resp.status, (done - sent) * 1000, done, retry_after, marker)


@dataclass
class Unit:
    """One client: a signed-in unit user and its open forms."""

    username: str
    client: Client
    forms: list[tuple[int, str]] = field(default_factory=list)
    answers: list[Answer] = field(default_factory=list)
    acknowledged: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def run(self, go: threading.Barrier, retry: bool, acks: list) -> None:
        go.wait()
        for project, form in self.forms:
            for _attempt in range(MAX_ATTEMPTS):
                answer = post_form(self.client, project, form)
                self.answers.append(answer)
                if answer.status == 302 and answer.marker.endswith(report_path(project)):
                    self.acknowledged.append(project)
                    acks.append(project)
                    break
                if answer.status != 503 or not retry:
                    self.failed.append(project)
                    break
                # The page says: send it again in a minute (Retry-After); the same form is sent, as
                # a person pressing the button again would (a first one that did save is answered
                # "already saved" by the view, not saved twice).
                time.sleep(min(float(answer.retry_after or RETRY_CAP), RETRY_CAP))
            else:
                self.failed.append(project)


def burst(units: list[Unit], restart: PrivateCluster | None = None) -> dict:
    """All clients at once; with `restart`, the cluster is restarted once a third is acknowledged."""
    total = sum(len(u.forms) for u in units)
    go = threading.Barrier(len(units) + 1)
    acks: list[int] = []
    threads = [threading.Thread(target=u.run, args=(go, restart is not None, acks)) for u in units]
    for t in threads:
        t.start()
    go.wait()  # the clock starts when every client is released
    started_at = time.perf_counter()
    window = None
    if restart is not None:
        while len(acks) < total // 3 and any(t.is_alive() for t in threads):
            time.sleep(0.02)
        down = time.perf_counter()
        restart.restart()
        up = time.perf_counter()
        window = [round(down - started_at, 3), round(up - started_at, 3)]
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started_at
    answers = [a for u in units for a in u.answers]
    acknowledged = [p for u in units for p in u.acknowledged]
    ok = [a for a in answers if a.status == 302]
    ms = sorted(a.ms for a in ok)
    statuses = dict(Counter(str(a.status) for a in answers))
    result = {
        "clients": len(units),
        "submissions": total,
        "acknowledged": len(acknowledged),
        "failed": sum(len(u.failed) for u in units),
        "seconds": round(seconds, 3),
        "submissions_per_s": round(len(acknowledged) / seconds, 2),
        "p50_ms": round(statistics.median(ms), 1) if ms else None,
        "p95_ms": round(p95(ms), 1) if ms else None,
        "statuses": statuses,
        "acknowledged_projects": sorted(acknowledged),
    }
    if restart is not None:
        outage = [a for a in answers if a.status == 503]
        result |= {
            "restart_window_s": window,
            "answers_503": len(outage),
            "answers_503_without_retry_after": sum(1 for a in outage if not a.retry_after),
            "retry_after_values": sorted({a.retry_after for a in outage}),
            "markers_503": dict(Counter(a.marker for a in outage)),
            "answers_500": statuses.get("500", 0),
            "acknowledged_after_restart": sum(1 for a in ok if a.at > up),
            "other_failures": [
                asdict(a) | {"at": round(a.at - started_at, 3)} for a in answers if a.status not in (302, 503)
            ][:20],
        }
    return result


# ---- the database, read directly -------------------------------------------------------------


def sql(cluster: PrivateCluster, query: str, params: tuple = (), *, fetch: bool = True):
    import psycopg

    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        cursor = conn.execute(query, params)
        return cursor.fetchall() if fetch else None


def submitted(cluster: PrivateCluster, projects: list[int]) -> dict[str, int]:
    """Of `projects`' September reports: how many are submitted, how many were submitted twice."""
    rows = sql(
        cluster,
        """SELECT r.project_id, r.status,
                  (SELECT count(*) FROM reports_reportevent e
                    WHERE e.report_id = r.id AND e.action IN ('submitted', 'resubmitted'))
             FROM reports_monthlyreport r
            WHERE r.year = %s AND r.month = %s AND r.project_id = ANY(%s)""",
        (YEAR, MONTH, projects),
    )
    per_project: dict[int, int] = {}
    for project, _status, _events in rows:
        per_project[project] = per_project.get(project, 0) + 1
    return {
        "submitted": sum(1 for _p, status, _e in rows if status == "submitted"),
        "lost": len(set(projects) - {p for p, status, _e in rows if status == "submitted"}),
        "duplicated": sum(1 for n in per_project.values() if n > 1) + sum(1 for *_, e in rows if e > 1),
    }


# ---- the run ---------------------------------------------------------------------------------


def _manage(env: dict[str, str], *args: str, log: Path) -> str:
    result = subprocess.run([sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    log.write_text(result.stderr)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)}: {result.stderr[-3000:]}")
    return result.stdout


@contextlib.contextmanager
def gunicorn(env: dict[str, str], log: Path):
    """gunicorn as deployed (deploy/gunicorn.conf.py), stopped by its own process group."""
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--config", "deploy/gunicorn.conf.py"]
        + ["keyproj.wsgi:application"],
        cwd=BASE_DIR,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if Client(port).get("/healthz")[0] == 200:
                    break
            time.sleep(0.3)
        yield process, port
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


def durable(cluster: PrivateCluster, on: bool = True) -> None:
    """Off while migrating and seeding (thousands of small commits); on again — PostgreSQL's defaults,
    fsync, synchronous commit, full-page writes — before anything is measured or restarted."""
    value = "on" if on else "off"
    for name in ("fsync", "synchronous_commit", "full_page_writes"):
        sql(cluster, f"ALTER SYSTEM SET {name} = {value}", fetch=False)
    sql(cluster, "SELECT pg_reload_conf()")
    if not on:
        return
    sql(cluster, "CHECKPOINT", fetch=False)
    time.sleep(0.5)  # the reload reaches every backend
    settings = sql(
        cluster,
        "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes')",
    )
    if any(value != "on" for _name, value in settings):
        raise RuntimeError(f"durability not restored: {settings}")


def _log(step: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {step}", file=sys.stderr, flush=True)


def _redis_pid() -> int:
    """The shared Redis server (sessions, cache and the job queue), or 0 where it is not found."""
    found = subprocess.run(["pgrep", "-o", "redis-server"], capture_output=True, text=True).stdout.split()
    return int(found[0]) if found else 0


def _uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def _clients(port: int, users: list[dict], take: slice) -> list[Unit]:
    units = []
    for user in users:
        client = Client(port)
        client.login(user["username"], PASSWORD)
        unit = Unit(user["username"], client)
        unit.forms = [(p, open_form(client, p)) for p, _plan in user["projects"][take]]
        units.append(unit)
    return units


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=20, help="submissions per client, first burst")
    parser.add_argument("--restart-per-client", type=int, default=20, help="per client, restart burst")
    parser.add_argument("--counties", type=int, default=2)
    parser.add_argument("--projects", type=int, default=1000, help="projects per county")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--script", type=Path, help="keep the generated pgbench script here")
    parser.add_argument("--keep", type=Path, help="work directory (kept); a temporary one by default")
    parser.add_argument(
        "--capture-only",
        action="store_true",
        help="only capture one submission's statements and write the pgbench script (--script): no burst",
    )
    args = parser.parse_args(argv)

    import redis

    work = args.keep or Path(tempfile.mkdtemp(prefix="keyproj-burst-"))
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # the cluster's own directory inside belongs to postgres, who must reach it
    cluster = PrivateCluster(
        work / "pg",
        settings={
            "logging_collector": "on",
            "log_destination": "csvlog",
        },
    )
    results: dict = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores (shared)",
        "load_before": _uptime(),
        "gunicorn_workers": WORKERS,
    }
    try:
        cluster.create()
        durable(cluster, False)
        env = production_env(cluster.url(), TODAY)
        for db in (CACHE_DB, QUEUE_DB):
            redis.Redis.from_url(f"{REDIS}/{db}").flushdb()
        env.update(
            GUNICORN_BIND=f"{HOST}:{free_port()}",
            GUNICORN_WORKERS=str(WORKERS),
            GUNICORN_ACCESS_LOG="-",
            CACHE_REDIS_URL=f"{REDIS}/{CACHE_DB}",
            HUEY_REDIS_URL=f"{REDIS}/{QUEUE_DB}",
            STATIC_ROOT=str(work / "static"),
            MEDIA_ROOT=str(work / "media"),
            KEYPROJ_SEPARATE_DUTIES="0",
            KEYPROJ_PASSWORD_FIRST_CHANGE="0",
            LOG_LEVEL="WARNING",
        )
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        collect = threading.Thread(target=collectstatic, args=(env,))
        collect.start()
        _log("migrate")
        _manage(env, "manage.py", "migrate", "--noinput", "-v0", log=work / "migrate.log")
        _log("seed")
        world = json.loads(
            _manage(
                env,
                "-m",
                "bench.burst",
                "_seed",
                str(args.counties),
                str(args.projects),
                log=work / "seed.log",
            )
        )
        collect.join()
        _log("serve")
        first, second = args.per_client, args.restart_per_client
        users = world["users"][: args.clients]
        short = [u["username"] for u in users if len(u["projects"]) < first + second]
        if len(users) < args.clients or short:
            raise RuntimeError(f"the world is too small for {args.clients} clients: {short}")
        # The rest of the projects (other units') feed the capture and pgbench.
        spare = [pair for u in world["users"][args.clients :] for pair in u["projects"]]
        pgbench_n = args.clients * first
        if len(spare) < pgbench_n + 1:
            raise RuntimeError(f"{len(spare)} spare projects, {pgbench_n + 1} needed")
        capture_user = next(u for u in world["users"][args.clients :] if u["projects"])
        results["world"] = {
            "unit_users": len(world["users"]),
            "pending_reports": sum(len(u["projects"]) for u in world["users"]),
        }

        with gunicorn(env, work / "gunicorn.log") as (server, port):
            results |= _run(args, cluster, port, users, capture_user, spare, work, server.pid)
            results["gunicorn_restarted"] = server.poll() is not None
        results["load_after"] = _uptime()
    finally:
        cluster.stop()
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
    _print(results)
    return results


def _run(
    args,
    cluster: PrivateCluster,
    port: int,
    users: list[dict],
    capture_user: dict,
    spare: list,
    work: Path,
    server: int,
) -> dict:
    out: dict = {}
    first = slice(0, args.per_client)
    durable(cluster)
    _log("sign in, open the forms")
    units = [] if args.capture_only else _clients(port, users, first)

    # The capture: one submission alone with every statement logged.
    capture = Client(port)
    capture.login(capture_user["username"], PASSWORD)
    project, plan = capture_user["projects"][0]
    form = open_form(capture, project)
    sql(cluster, "ALTER SYSTEM SET log_statement = 'all'", fetch=False)
    sql(cluster, "SELECT pg_reload_conf()")
    time.sleep(1)  # every backend has read the new setting before its next statement
    answer = post_form(capture, project, form)
    sql(cluster, "ALTER SYSTEM RESET log_statement", fetch=False)
    sql(cluster, "SELECT pg_reload_conf()")
    if answer.status != 302:
        raise RuntimeError(f"the captured submission was answered {answer.status}: {answer.marker}")
    (report,) = sql(
        cluster,
        "SELECT id FROM reports_monthlyreport WHERE project_id = %s AND year = %s AND month = %s",
        (project, YEAR, MONTH),
    )[0]
    time.sleep(1)  # the logging collector has written the lines
    statements = captured_statements(cluster.data / "log")
    script = pgbench_script(statements, project=project, plan=plan, report=report)
    path = args.script or work / "burst_submit.sql"
    path.write_text(script)
    out["captured_statements"] = len(statements)
    if args.capture_only:
        return out

    # 1. The burst.
    _log("burst")
    load = _uptime()
    roots = {"gunicorn": server, "postgres": postmaster(cluster.data), "redis": _redis_pid()}
    with Meter(roots) as meter:
        out["burst"] = burst(units) | {"load": load}
    out["burst"]["cpu_s"] = meter.seconds
    out["burst"]["cpu_ms_per_submission"] = meter.per(out["burst"]["acknowledged"])
    out["burst"]["check"] = submitted(cluster, out["burst"]["acknowledged_projects"])

    # 2. The limit: the same statements, the same clients, the same number of submissions.
    _log("pgbench")
    queue = [pair for pair in spare if pair[0] != project][: len(units) * args.per_client]
    sql(cluster, f"CREATE TABLE {QUEUE} (project bigint PRIMARY KEY, plan bigint)", fetch=False)
    for p, pl in queue:
        sql(cluster, f"INSERT INTO {QUEUE} VALUES (%s, %s)", (p, pl), fetch=False)
    sql(cluster, "VACUUM ANALYZE", fetch=False)
    with Meter(roots) as meter:
        out["pgbench"] = run_pgbench(cluster, path, len(units), args.per_client) | {"load": _uptime()}
    out["pgbench"]["cpu_s"] = meter.seconds
    out["pgbench"]["cpu_ms_per_submission"] = meter.per(out["pgbench"]["transactions"])
    out["pgbench"]["check"] = submitted(cluster, [p for p, _ in queue])
    web, limit = out["burst"]["submissions_per_s"], out["pgbench"]["tps"]
    out["ratio"] = round(web / limit, 3) if limit else None
    out["ratio_meets_half"] = bool(limit) and web / limit >= 0.5

    # 3. The restart, mid-burst.
    _log("restart burst")
    for unit, user in zip(units, users, strict=True):
        unit.forms = [
            (p, open_form(unit.client, p))
            for p, _plan in user["projects"][args.per_client :][: args.restart_per_client]
        ]
        unit.answers, unit.acknowledged, unit.failed = [], [], []
    load = _uptime()
    restart = burst(units, restart=cluster) | {"load": load}
    restart["check"] = submitted(cluster, restart["acknowledged_projects"])
    out["restart"] = restart
    return out


def _print(r: dict) -> None:
    b, pg, rs = r.get("burst", {}), r.get("pgbench", {}), r.get("restart", {})
    print(f"machine: {r['machine']}; {r['load_before']}")
    if "captured_statements" in r:
        print(f"captured: {r['captured_statements']} statements in one submission")
    if b:
        print(
            f"burst: {b['clients']} clients, {b['acknowledged']}/{b['submissions']} acknowledged in {b['seconds']} s: "
            f"{b['submissions_per_s']} submissions/s, p50 {b['p50_ms']} ms, p95 {b['p95_ms']} ms, {b['statuses']}"
        )
    for name, phase in (("burst", b), ("pgbench", pg)):
        if "cpu_ms_per_submission" in phase:
            print(f"  {name} processor ms a submission: {phase['cpu_ms_per_submission']}")
    if pg:
        print(f"pgbench (the same {r['captured_statements']} statements): {pg['tps']} tps, {pg['check']}")
        print(f"ratio web/pgbench: {r['ratio']} ({'meets' if r['ratio_meets_half'] else 'below'} 0.5)")
    if rs:
        print(
            f"restart at {rs['restart_window_s']} s: {rs['acknowledged']}/{rs['submissions']} acknowledged, "
            f"lost {rs['check']['lost']}, duplicated {rs['check']['duplicated']}, 503 {rs['answers_503']} "
            f"({rs['answers_503_without_retry_after']} without Retry-After), 500 {rs['answers_500']}, "
            f"after the restart {rs['acknowledged_after_restart']}, {rs['statuses']}"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["_seed"]:
        seed(int(sys.argv[2]), int(sys.argv[3]))
    else:
        main()
