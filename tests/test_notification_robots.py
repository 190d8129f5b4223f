"""notifications/robots.py: the messages WeCom, DingTalk (and 政务钉钉) and Feishu robots accept, and
their signatures, checked against values computed outside Python (openssl, fixed time and secret)."""

from __future__ import annotations

import io
import json
import urllib.parse

import pytest

from notifications import robots
from notifications.models import Robot

AT = 1599360473  # seconds; DingTalk signs milliseconds, Feishu seconds
# printf '1599360473000\nSECabc123' | openssl dgst -sha256 -hmac 'SECabc123' -binary | base64
DINGTALK_SIGN = "zPiRhFHbs6hvQMT6vnOwLuhNLM0lhNirboHN8TT2CvE="
# printf '' | openssl dgst -sha256 -mac HMAC -macopt "key:$(printf '1599360473\nfeishu-secret')" -binary | base64
FEISHU_SIGN = "GnmU6lMJMtXPkxW7kXxgtXI0SJxjk0TQFnFuz93Dt+0="


def robot(kind: str, url: str, secret: str = "") -> Robot:
    return Robot(kind=kind, name="县水利局工作群", url=url, secret=secret)


def test_it_sends_wecom_markdown_to_the_key_url():
    r = robot("wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6")
    req = robots.build(
        r, title="卡点升级：洪安水库工程", text="征地拆迁", link="https://kp.example/blockers/1/", at=AT
    )
    assert req.url == r.url
    assert req.body["msgtype"] == "markdown"
    content = req.body["markdown"]["content"]
    assert content.startswith("**卡点升级：洪安水库工程**") and "征地拆迁" in content
    assert "https://kp.example/blockers/1/" in content


@pytest.mark.parametrize("kind", ["dingtalk", "govding"])
def test_it_signs_dingtalk_in_the_query_string(kind):
    r = robot(kind, "https://oapi.dingtalk.com/robot/send?access_token=abc", secret="SECabc123")
    req = robots.build(r, title="月报退回", text="请更正", at=AT)
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(req.url).query)
    assert query["access_token"] == ["abc"]
    assert query["timestamp"] == ["1599360473000"]
    assert query["sign"] == [DINGTALK_SIGN]  # parse_qs undoes the url-encoding
    assert urllib.parse.quote_plus(DINGTALK_SIGN) in req.url
    assert req.body == {
        "msgtype": "markdown",
        "markdown": {"title": "月报退回", "text": "### 月报退回\n\n请更正"},
    }


def test_it_posts_unsigned_to_dingtalk_without_a_secret():
    r = robot("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc")
    assert robots.build(r, title="t", text="x", at=AT).url == r.url


def test_it_signs_feishu_in_the_body():
    r = robot("feishu", "https://open.feishu.cn/open-apis/bot/v2/hook/xyz", secret="feishu-secret")
    req = robots.build(r, title="督办事项已核销", text="洪安水库", at=AT)
    assert req.url == r.url
    assert req.body == {
        "timestamp": "1599360473",
        "sign": FEISHU_SIGN,
        "msg_type": "text",
        "content": {"text": "督办事项已核销\n洪安水库"},
    }


class Answer(io.BytesIO):
    def __init__(self, body: dict, status: int = 200) -> None:
        super().__init__(json.dumps(body).encode())
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


@pytest.mark.parametrize(
    "answer",
    [{"errcode": 310000, "errmsg": "sign not match"}, {"code": 19021, "msg": "sign match fail"}],
)
def test_it_fails_when_the_app_refuses_the_message(monkeypatch, answer):
    monkeypatch.setattr(robots.urllib.request, "urlopen", lambda request, timeout: Answer(answer))
    req = robots.build(
        robot("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=a"), title="t", text=""
    )
    with pytest.raises(robots.RobotError):
        robots.post(req)


def test_it_posts_utf8_json_and_accepts_errcode_zero(monkeypatch):
    seen = []

    def urlopen(request, timeout):
        seen.append(request)
        return Answer({"errcode": 0, "errmsg": "ok"})

    monkeypatch.setattr(robots.urllib.request, "urlopen", urlopen)
    robots.post(robots.build(robot("wecom", "https://qyapi.weixin.qq.com/x?key=k"), title="卡点", text=""))
    assert json.loads(seen[0].data.decode("utf-8"))["markdown"]["content"] == "**卡点**"
    assert seen[0].get_header("Content-type").startswith("application/json")
