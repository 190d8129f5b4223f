"""The Redmine peer (../shared/peers/redmine): its issue list with a total, timed in our rounds.

Why: a stock Rails app doing the ledger's job (filter, 25 rows, a money total over 20,000 rows) on
the same machine at the same moment is the yardstick for "is our ledger as fast as it should be".
Cases as in the peer's measure.py: (a) filter Sector = Energy + total, (b) no filter + total.
"""

from __future__ import annotations

import http.client
import re
import statistics
import time
import urllib.parse
from http.cookies import SimpleCookie

HOST, PORT = "127.0.0.1", 3000
PROJECT = "key-projects-2020"
ADMIN_PASSWORD = "peer-admin-2020"
DB = "postgresql://postgres@127.0.0.1:5432/redmine_default"


def available() -> bool:
    try:
        conn = http.client.HTTPConnection(HOST, PORT, timeout=3)
        conn.request("GET", "/login")
        return conn.getresponse().status == 200
    except OSError:
        return False


class Redmine:
    def __init__(self) -> None:
        import psycopg

        with psycopg.connect(DB) as db:
            ids = dict(
                db.execute(
                    "SELECT name, id FROM custom_fields WHERE type = 'IssueCustomField' "
                    "AND name IN ('Planned investment', 'Sector')"
                ).fetchall()
            )
        inv, sec = ids["Planned investment"], ids["Sector"]
        base = f"/projects/{PROJECT}/issues?"
        self.cases = {
            "a": base
            + urllib.parse.urlencode(
                [
                    ("set_filter", "1"),
                    ("f[]", f"cf_{sec}"),
                    (f"op[cf_{sec}]", "="),
                    (f"v[cf_{sec}][]", "Energy"),
                    ("t[]", f"cf_{inv}"),
                    ("per_page", "25"),
                ]
            ),
            "b": base
            + urllib.parse.urlencode(
                [("set_filter", "1"), ("f[]", ""), ("t[]", f"cf_{inv}"), ("per_page", "25")]
            ),
        }
        self.samples: dict[str, list[float]] = {k: [] for k in self.cases}
        self.conn = http.client.HTTPConnection(HOST, PORT, timeout=120)
        self.cookies = SimpleCookie()

    def _request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        h = {"Connection": "keep-alive", "Accept-Encoding": "identity"}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        h.update(headers or {})
        for attempt in (1, 2):
            try:
                started = time.perf_counter()
                self.conn.request(method, path, body=body, headers=h)
                resp = self.conn.getresponse()
                data = resp.read()
                ms = (time.perf_counter() - started) * 1000
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # Puma closes an idle keep-alive connection (a keyproj round takes seconds): reopen.
                if attempt == 2:
                    raise
                self.conn.close()
                self.conn = http.client.HTTPConnection(HOST, PORT, timeout=120)
        for header in resp.headers.get_all("Set-Cookie") or []:
            self.cookies.load(header)
        return resp, data, ms

    def login(self) -> None:
        resp, body, _ = self._request("GET", "/login")
        token = re.search(rb'name="authenticity_token" value="([^"]+)"', body)
        if not token:
            raise RuntimeError("Redmine: no login form")
        form = urllib.parse.urlencode(
            {
                "authenticity_token": token.group(1).decode(),
                "back_url": "/",
                "username": "admin",
                "password": ADMIN_PASSWORD,
                "login": "Login",
            }
        )
        resp, _, _ = self._request(
            "POST", "/login", body=form, headers={"Content-Type": "application/x-www-form-urlencoded"}
        )
        if resp.status != 302:
            raise RuntimeError(f"Redmine login failed: HTTP {resp.status}")

    def round(self, keep: bool) -> None:
        for key, path in self.cases.items():
            resp, body, ms = self._request("GET", path)
            if resp.status != 200 or b'class="total-for-cf-' not in body:
                raise RuntimeError(f"Redmine case {key}: HTTP {resp.status} or no total")
            if keep:
                self.samples[key].append(ms)

    def summary(self) -> dict:
        return {
            key: {"median": statistics.median(v), "samples": v, "path": self.cases[key]}
            for key, v in self.samples.items()
            if v
        }


def table(rm: dict, rows: list) -> str:
    """keyproj's province ledger (unfiltered; by sector) against Redmine's (b) and (a)."""
    ours = {r.page: r for r in rows if r.who == "province office"}
    lines = [
        "Redmine peer, same rounds (median ms): keyproj province ledger vs Redmine issue list with a total",
        "| case | keyproj | Redmine | keyproj / Redmine |",
        "| --- | ---: | ---: | ---: |",
    ]
    for page, case, label in (("ledger", "b", "unfiltered"), ("ledger by sector", "a", "one sector")):
        if page in ours and case in rm:
            k, r = ours[page].page_ms.median, rm[case]["median"]
            lines.append(f"| {label} (20,000 rows) | {k:.1f} | {r:.1f} | {k / r:.2f}× |")
    return "\n".join(lines)
