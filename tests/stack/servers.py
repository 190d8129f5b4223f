"""The production stack on this machine, in a temporary directory: nginx (deploy/nginx/keyproj.conf on
high ports, a self-signed certificate), gunicorn (deploy/gunicorn.conf.py, 2 workers), the huey
consumer, PostgreSQL (a fresh keyproj_stack database on the shared server) and Redis (two databases
of the shared server, emptied first). Every process is started here and stopped here by its own pid.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
HOST = "127.0.0.1"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
STACK_DATABASE = "keyproj_stack"
REDIS = "redis://127.0.0.1:6379"
CACHE_DB, QUEUE_DB = 13, 14  # the shared Redis's databases this test owns (flushed at start)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "keyproj.crt", directory / "keyproj.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def render_site(
    *,
    upstream_port: int,
    http_port: int,
    https_port: int,
    cert: Path,
    key: Path,
    static_root: Path,
    logs: Path,
) -> str:
    """deploy/nginx/keyproj.conf with this machine's ports and paths; every replaced text must be in
    the file, so the test follows the real site file and fails when it changes shape."""
    site = (DEPLOY / "nginx" / "keyproj.conf").read_text()
    replacements = {
        "server 127.0.0.1:8000 ": f"server {HOST}:{upstream_port} ",
        "    listen [::]:80;\n": "",
        "    listen [::]:443 ssl http2;\n": "",
        "listen 80;": f"listen {HOST}:{http_port};",
        "listen 443 ssl http2;": f"listen {HOST}:{https_port} ssl http2;",
        "/etc/keyproj/tls/keyproj.crt": str(cert),
        "/etc/keyproj/tls/keyproj.key": str(key),
        "alias /var/lib/keyproj/static/;": f"alias {static_root}/;",
        "/var/log/nginx/keyproj.access.log": str(logs / "nginx.access.log"),
        "/var/log/nginx/keyproj.error.log": str(logs / "nginx.error.log"),
    }
    for old, new in replacements.items():
        assert old in site, f"deploy/nginx/keyproj.conf no longer contains {old!r}"
        site = site.replace(old, new)
    return site


def nginx_main_config(directory: Path, site: str) -> Path:
    """A private nginx.conf around the site: its own pid, logs and temporary paths in `directory`."""
    (directory / "keyproj.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers read the temporary directory
    temp = "".join(
        f"    {kind}_temp_path {directory / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = directory / "nginx.conf"
    main.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {directory / 'nginx.pid'};\n"
        f"error_log {directory / 'nginx.main.error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        f"{temp}    access_log off;\n    include {directory / 'keyproj.conf'};\n}}\n"
    )
    return main


def nginx_test(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["nginx", "-t", "-q", "-c", str(config), "-e", str(config.parent / "nginx.t.log")],
        capture_output=True,
        text=True,
    )


@dataclass
class Stack:
    directory: Path
    https_port: int = field(default_factory=free_port)
    http_port: int = field(default_factory=free_port)
    app_port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"https://{HOST}:{self.https_port}"

    @property
    def cert(self) -> Path:
        return self.directory / "keyproj.crt"

    def log(self, name: str) -> Path:
        return self.directory / f"{name}.log"

    def prepare(self) -> None:
        """Database, Redis, environment, migrate, demo, static files, nginx's configuration."""
        import psycopg
        import redis

        with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {STACK_DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {STACK_DATABASE}")
        for db in (CACHE_DB, QUEUE_DB):
            redis.Redis.from_url(f"{REDIS}/{db}").flushdb()
        static = self.directory / "static"
        (self.directory / "metrics").mkdir()
        keep = {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "SYSTEMROOT", "TMPDIR"}
        self.env = {k: v for k, v in os.environ.items() if k in keep} | {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": self.url,
            "DATABASE_URL": f"{POSTGRES}/{STACK_DATABASE}",
            "CACHE_REDIS_URL": f"{REDIS}/{CACHE_DB}",
            "HUEY_REDIS_URL": f"{REDIS}/{QUEUE_DB}",
            "STATIC_ROOT": str(static),
            "MEDIA_ROOT": str(self.directory / "media"),
            "KEYPROJ_TRUSTED_PROXIES": HOST,
            "KEYPROJ_TESTING": "0",
            "KEYPROJ_TODAY": "2020-10-11",
            # The demo's ledger (108 rows) becomes a background export: a job through Redis.
            "KEYPROJ_EXPORT_INLINE_MAX": "10",
            "KEYPROJ_METRICS_TOKEN": "stack-metrics-token",
            "PROMETHEUS_MULTIPROC_DIR": str(self.directory / "metrics"),
            "LOG_LEVEL": "INFO",
            "GUNICORN_BIND": f"{HOST}:{self.app_port}",
            "GUNICORN_WORKERS": "2",
            # The demo's users have no TOTP device and the office issues the API token here: the
            # level-3 controls (two-factor, separated duties, first-change) have their own tests
            # (tests/test_two_factor.py and the duties tests), as the bench turns them off too.
            "KEYPROJ_2FA_ROLES": "none",
            "KEYPROJ_SEPARATE_DUTIES": "0",
            "KEYPROJ_PASSWORD_FIRST_CHANGE": "0",
            "DJANGO_SETTINGS_MODULE": "keyproj.settings",
        }
        # collectstatic (compressing every file) needs no database: beside migrate and the demo.
        collect = subprocess.Popen(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log("collectstatic").open("wb"),
        )
        try:
            self.manage("migrate", "--noinput", "-v0")
            self.manage("seed_demo")
        finally:
            collected = collect.wait(300)
        assert collected == 0, self.tail("collectstatic")
        cert, key = self_signed_certificate(self.directory)
        site = render_site(
            upstream_port=self.app_port,
            http_port=self.http_port,
            https_port=self.https_port,
            cert=cert,
            key=key,
            static_root=static,
            logs=self.directory,
        )
        config = nginx_main_config(self.directory, site)
        result = nginx_test(config)
        assert result.returncode == 0, result.stderr

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)}: {result.stderr[-3000:]}"
        return result.stdout

    def start(self, name: str, command: list[str]) -> None:
        log = self.log(name).open("ab")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def __enter__(self) -> Stack:
        try:
            self.prepare()
            gunicorn = str(Path(sys.executable).parent / "gunicorn")
            self.start(
                "gunicorn",
                [gunicorn, "--config", str(DEPLOY / "gunicorn.conf.py"), "keyproj.wsgi:application"],
            )
            self.start("huey", [sys.executable, "manage.py", "run_huey", "--workers", "1"])
            self.start(
                "nginx",
                ["nginx", "-c", str(self.directory / "nginx.conf"), "-e", str(self.log("nginx.stderr"))],
            )
            self.wait_healthy()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def wait_healthy(self, seconds: float = 60) -> None:
        import requests

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}: {self.tail(name)}")
            try:
                if requests.get(f"{self.url}/healthz", verify=self.cert, timeout=5).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"/healthz did not answer through nginx: {self.tail('gunicorn')}")

    def tail(self, name: str, size: int = 3000) -> str:
        path = self.log(name)
        return path.read_text(errors="replace")[-size:] if path.exists() else ""

    def __exit__(self, *exc: object) -> None:
        """Stop everything started here, whatever happened: TERM to all at once, then KILL to any
        still running 20 s later."""
        running = [p for p in self.processes.values() if p.poll() is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for process in running:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        self.processes.clear()


def drop_database() -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {STACK_DATABASE} WITH (FORCE)")


def remove(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


def _pg_bin() -> Path:
    """PG_BIN, or the newest server binaries Debian installed (/usr/lib/postgresql/<major>/bin)."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    majors = sorted(
        (int(path.parent.parent.name), path.parent)
        for path in Path("/usr/lib/postgresql").glob("*/bin/initdb")
        if path.parent.parent.name.isdigit()
    )
    return majors[-1][1] if majors else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()


def as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL's server programs refuse to run as root: run them as the postgres user there."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PrivateCluster:
    """A PostgreSQL cluster of our own (initdb into `directory`, its own port, trust auth): a test or
    the burst bench may stop and restart it; the shared server on 5432 is never touched.
    `settings`: extra `-c name=value` server options."""

    directory: Path
    port: int = field(default_factory=free_port)
    settings: dict[str, str] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "keyproj") -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def pg(self, program: str, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            as_postgres([str(PG_BIN / program), *args]), check=True, capture_output=True, text=True
        )

    def create(self, database: str = "keyproj") -> PrivateCluster:
        """initdb, start, createdb."""
        self._own_directory()
        self.pg("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._start()
        self.pg("createdb", "-h", HOST, "-p", str(self.port), "-U", "postgres", database)
        return self

    def standby(self, directory: Path) -> PrivateCluster:
        """A hot standby of this cluster in `directory` (pg_basebackup -R: it streams from this one),
        started on its own port with this cluster's settings. Stop it before this one."""
        replica = PrivateCluster(directory, settings={**self.settings, "hot_standby": "on"})
        replica._own_directory()
        self.pg(
            "pg_basebackup", "-h", HOST, "-p", str(self.port), "-U", "postgres",
            "-D", str(replica.data), "-R", "-X", "stream",
        )  # fmt: skip
        replica._start()
        return replica

    def _own_directory(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")

    def _start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses={HOST}"
        options += "".join(f" -c {name}={value}" for name, value in self.settings.items())
        self.pg("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "start")

    @property
    def log(self) -> Path:
        return self.directory / "postgresql.log"

    def restart(self) -> None:
        """A fast restart (open connections are ended, in-flight transactions rolled back), with the
        options it was started with."""
        self.pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-l", str(self.log), "-w", "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
            )
