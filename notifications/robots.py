"""Group robots: the message each messaging app's webhook accepts, and its signature.

- WeCom (企业微信): POST {"msgtype": "markdown", "markdown": {"content": …}} to the webhook URL, whose
  `key` parameter is the credential; no signature.
- DingTalk (钉钉) and Government DingTalk (政务钉钉): POST {"msgtype": "markdown", "markdown": {"title", "text"}};
  with a signing secret, `timestamp` (milliseconds) and `sign` go in the query string, sign being
  urlencode(base64(HMAC-SHA256(key=secret, msg=timestamp + "\\n" + secret))).
- Feishu (飞书): POST {"msg_type": "text", "content": {"text": …}}; with a signing secret, `timestamp`
  (seconds) and `sign` go in the body, sign being base64(HMAC-SHA256(key=timestamp + "\\n" + secret, msg="")).
Each answers HTTP 200 with an error code in the body (errcode / code), 0 meaning delivered.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass

from .models import Robot


class RobotError(Exception):
    """The robot did not take the message (network, HTTP status, or the app's error code)."""


@dataclass(frozen=True)
class Request:
    url: str
    body: dict


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """The url-encoded signature DingTalk (and 政务钉钉) checks."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def feishu_sign(secret: str, timestamp_s: int) -> str:
    """The signature Feishu checks: the key is timestamp + "\\n" + secret, the message empty."""
    key = f"{timestamp_s}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def _with_query(url: str, **params: str) -> str:
    joiner = "&" if "?" in url else "?"
    return url + joiner + "&".join(f"{k}={v}" for k, v in params.items())


def build(robot: Robot, *, title: str, text: str, link: str = "", at: float | None = None) -> Request:
    """The request to post for a message; `at` (seconds since the epoch) fixes the signing time."""
    at = time.time() if at is None else at
    if robot.kind == Robot.Kind.WECOM:
        content = f"**{title}**\n{text}".strip()
        if link:
            content += f"\n[{link}]({link})"
        return Request(robot.url, {"msgtype": "markdown", "markdown": {"content": content}})
    if robot.kind in (Robot.Kind.DINGTALK, Robot.Kind.GOV_DINGTALK):
        markdown = f"### {title}\n\n{text}".strip()
        if link:
            markdown += f"\n\n[{link}]({link})"
        body = {"msgtype": "markdown", "markdown": {"title": title, "text": markdown}}
        url = robot.url
        if robot.secret:
            ms = int(round(at * 1000))
            url = _with_query(url, timestamp=str(ms), sign=dingtalk_sign(robot.secret, ms))
        return Request(url, body)
    if robot.kind == Robot.Kind.FEISHU:
        body: dict = {"msg_type": "text", "content": {"text": "\n".join(x for x in (title, text, link) if x)}}
        if robot.secret:
            seconds = int(at)
            body = {"timestamp": str(seconds), "sign": feishu_sign(robot.secret, seconds), **body}
        return Request(robot.url, body)
    raise RobotError(f"unknown robot kind {robot.kind!r}")


def post(request: Request, timeout: float = 5) -> None:
    """POST the message; raise RobotError unless the app says it took it."""
    http = urllib.request.Request(
        request.url,
        data=json.dumps(request.body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(http, timeout=timeout) as response:  # noqa: S310 — configured by the office
            status = response.status
            raw = response.read(4096)
    except Exception as exc:  # noqa: BLE001 — any network failure is a failed delivery, retried
        raise RobotError(str(exc)[:300]) from exc
    if not 200 <= status < 300:
        raise RobotError(f"HTTP {status}")
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return
    code = (
        answer.get("errcode", answer.get("code", answer.get("StatusCode", 0)))
        if isinstance(answer, dict)
        else 0
    )
    if code not in (0, "0", None):
        raise RobotError(f"{code}: {answer.get('errmsg') or answer.get('msg') or ''}"[:300])
