"""A local stand-in for Slack's Web API (`chat.postMessage`, `pins.add`) that records each
call's method, token and body, answers as Slack does, and can be told to refuse; and
requests to our chat routes built and signed the way Slack and Mattermost build them."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests

from incident_room.extensions import db
from incident_room.models import ChatSettings, User
from incident_room.services.chat.identities import ChatUser, link_identity
from tests.conftest import dispose, make_app
from tests.support.fake_http import JsonHandler, serving

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
MATTERMOST_TOKEN = "xr3j5x3p4pfk7cdc1m4mhyb4hc"
CHANNEL = "C0INCIDENTS"
TEAM = "T0ACME"


@dataclass
class FakeSlack:
    url: str = ""
    calls: list[dict[str, Any]] = field(default_factory=list)
    refuse_with: str | None = None  # answer every call {"ok": false, "error": this}
    posted: int = 0

    def answer(self, method: str, body: dict[str, Any]) -> dict[str, Any]:
        if self.refuse_with:
            return {"ok": False, "error": self.refuse_with}
        if method == "chat.postMessage":
            self.posted += 1
            ts = f"1764820000.{self.posted:06d}"
            return {"ok": True, "channel": body["channel"], "ts": ts, "message": {"ts": ts}}
        if method == "pins.add":
            return {"ok": True}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": "1764820000.999999"}
        return {"ok": False, "error": "unknown_method"}

    def posts(self) -> list[dict[str, Any]]:
        return [call["body"] for call in self.calls if call["method"] == "chat.postMessage"]


@contextmanager
def fake_slack() -> Iterator[FakeSlack]:
    slack = FakeSlack()

    class Handler(JsonHandler):
        def do_POST(self) -> None:
            body = self.read_json()
            method = self.path.removeprefix("/api/")
            slack.calls.append(
                {
                    "method": method,
                    "token": self.headers.get("Authorization", "").removeprefix("Bearer "),
                    "content_type": self.headers.get("Content-Type"),
                    "body": body,
                }
            )
            self.answer_json(200, slack.answer(method, body))

    with serving(Handler) as base:
        slack.url = f"{base}/api"
        yield slack


def slack_headers(body: bytes, content_type: str, age_seconds: int = 0, **override: str):
    """Slack's headers: X-Slack-Request-Timestamp and the v0 HMAC-SHA256 signature of
    `v0:<timestamp>:<body>` with the signing secret."""
    timestamp = str(int(time.time()) - age_seconds)
    base = f"v0:{timestamp}:".encode() + body
    digest = hmac.new(SIGNING_SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
        **override,
    }


def command_form(text: str, user_id: str = "U0DANA", user_name: str = "dana") -> bytes:
    """The form Slack posts for `/incident <text>` typed in the incidents channel."""
    return urlencode(
        {
            "token": "gIkuvaNzQIHg97ATvDxqgjtO",
            "team_id": TEAM,
            "team_domain": "acme",
            "channel_id": CHANNEL,
            "channel_name": "incidents",
            "user_id": user_id,
            "user_name": user_name,
            "command": "/incident",
            "text": text,
            "api_app_id": "A0INCIDENT",
            "response_url": "https://hooks.slack.com/commands/T0ACME/1/abc",
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        }
    ).encode()


def message_event(text: str, ts: str, user: str = "U0DANA", thread_ts: str | None = None):
    """An Events API `event_callback` carrying one channel message."""
    event: dict[str, Any] = {
        "type": "message",
        "channel": CHANNEL,
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "channel",
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return json.dumps(
        {
            "token": "gIkuvaNzQIHg97ATvDxqgjtO",
            "team_id": TEAM,
            "api_app_id": "A0INCIDENT",
            "event": event,
            "type": "event_callback",
            "event_id": f"Ev{ts.replace('.', '')}",
            "event_time": int(float(ts)),
        }
    ).encode()


def set_up_chat(database_url: str, api_url: str) -> None:
    """The admin's chat settings (on a server's database), and user0 linked as Slack user
    U0DANA."""
    app = make_app(database_url)
    with app.app_context():
        db.session.add(
            ChatSettings(
                channel=CHANNEL, api_url=api_url, signing_secret=SIGNING_SECRET, bot_token=BOT_TOKEN
            )
        )
        db.session.commit()
        user0 = db.session.scalar(db.select(User).filter_by(username="user0"))
        link_identity(user0, ChatUser("slack", TEAM, "U0DANA", "dana"))
    dispose(app)


def post_signed(url: str, body: bytes, content_type: str) -> dict[str, Any]:
    """POST to a live server as Slack would (signed now); its JSON answer."""
    response = requests.post(url, data=body, headers=slack_headers(body, content_type), timeout=10)
    return response.json()
