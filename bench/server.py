"""A production server for the bench, and a signed-in HTTP client for it.

Why a real server: the test Client skips the WSGI server, the middleware's cookie and header work
on the wire, whitenoise and DEBUG=0's template caching; a user waits for all of it. The server is
gunicorn with one sync worker (one request at a time, as the timings are latencies) and DEBUG=0.

DEBUG=0 turns on SECURE_SSL_REDIRECT, secure cookies and HSTS (keyproj/settings.py). The bench
keeps those production defaults and does what a TLS-terminating proxy in front of gunicorn does:
it sends `X-Forwarded-Proto: https`, which SECURE_PROXY_SSL_HEADER trusts, so Django sees a secure
request, sets Secure cookies, checks the login form's Origin/Referer against https://127.0.0.1 —
and the bench, not a browser, sends the cookies back over the plain loopback connection.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def production_env(database_url: str, today: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        KEYPROJ_TODAY=today,
        KEYPROJ_TESTING="0",
        LOG_LEVEL="ERROR",
        # A bench run signs in once per user and may last longer than the 30-minute idle timeout.
        SESSION_IDLE_MINUTES="600",
        # Production asks an office for a TOTP code after the password (accounts.middleware.AccountGate);
        # the bench's generated users have no device. Sign-in is not what is timed: every page and the
        # fixed-cost page pass the same gate, which then only checks the role.
        KEYPROJ_2FA_ROLES="none",
        DJANGO_SETTINGS_MODULE="keyproj.settings",
    )
    return env


def collectstatic(env: dict[str, str], tree: Path = BASE_DIR) -> None:
    """DEBUG=0 serves static files through whitenoise's manifest: the templates need it built."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=tree, env=env, check=True
    )


class Server:
    """gunicorn keyproj.wsgi, one sync worker, on a free loopback port; stopped by its own pid.

    `tree`: the checkout it serves (another one for --before: the code of an earlier commit)."""

    def __init__(self, env: dict[str, str], log_path: Path, tree: Path = BASE_DIR) -> None:
        self.env, self.port = env, free_port()
        self.log_path, self.tree = log_path, tree
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                str(gunicorn),
                "keyproj.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                "1",
                "--worker-class",
                "sync",
                "--timeout",
                "300",
                "--keep-alive",
                "75",
                "--access-logfile",
                "-",
                "--error-logfile",
                "-",
            ],
            cwd=self.tree,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.proc.returncode}: see {self.log_path}")
            try:
                status, _ = Client(self.port).get("/healthz")
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz in 60 s: see {self.log_path}")

    def __exit__(self, *exc: object) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


class Client:
    """One keep-alive connection with its own cookie jar, as one browser tab."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn = http.client.HTTPConnection(HOST, port, timeout=300)
        self.cookies = SimpleCookie()
        self.origin = f"https://{HOST}:{port}"

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        h = {
            "Host": f"{HOST}:{self.port}",
            "Connection": "keep-alive",
            "Accept-Encoding": "identity",
            "X-Forwarded-Proto": "https",
        }
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        h.update(headers or {})
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if attempt == 2:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=300)
        for header in resp.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return resp, data

    def get(self, path: str) -> tuple[int, bytes]:
        resp, data = self.request("GET", path)
        return resp.status, data

    def timed_get(self, path: str) -> tuple[int, bytes, float]:
        """Client wall time from sending the request to the last byte of the body, in ms."""
        started = time.perf_counter()
        resp, data = self.request("GET", path)
        return resp.status, data, (time.perf_counter() - started) * 1000

    def login(self, username: str, password: str) -> None:
        """The real login form: its CSRF token and cookie, then the POST; keeps the session cookie."""
        resp, body = self.request("GET", "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if resp.status != 200 or not match:
            raise RuntimeError(f"no login form (HTTP {resp.status})")
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": match.group(1).decode(), "username": username, "password": password}
        )
        resp, body = self.request(
            "POST",
            "/login/",
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": self.origin,
                "Referer": f"{self.origin}/login/",
            },
        )
        if resp.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: HTTP {resp.status}")
