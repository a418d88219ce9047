"""Following an incident from Slack (Chromium, a live server, a local fake of Slack's Web
API): a reply in the incident's thread appears in the room as a note by its author, and the
status the room sets appears in the thread."""

from __future__ import annotations

import dataclasses
import re

import pytest
import requests
from playwright.sync_api import expect

from incident_room.extensions import db
from incident_room.models import ChatSettings, User
from incident_room.services.chat.identities import ChatUser, link_identity
from tests.browser.conftest import room_is_live, screenshot
from tests.conftest import dispose, make_app
from tests.support.chat import (
    BOT_TOKEN,
    CHANNEL,
    SIGNING_SECRET,
    TEAM,
    command_form,
    fake_slack,
    message_event,
    slack_headers,
)
from tests.support.live import wait_until

pytestmark = pytest.mark.browser


def set_up_chat(database_url: str, api_url: str) -> None:
    """The admin's chat settings, and user0 linked as Slack user U0DANA."""
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


def test_a_thread_reply_appears_in_the_room_and_the_rooms_status_in_the_thread(
    live_room, sqlite_url, open_room
) -> None:
    with fake_slack() as slack:
        room = live_room(
            sqlite_url, OUTBOUND_ALLOW_INTERNAL="127.0.0.1", WEBHOOK_JOB_INTERVAL_SECONDS="0.2"
        )
        set_up_chat(sqlite_url, slack.url)
        body = command_form("SEV-2: checkout 502s")
        answer = requests.post(
            f"{room.server.url}/integrations/slack/commands",
            data=body,
            headers=slack_headers(body, "application/x-www-form-urlencoded"),
            timeout=10,
        ).json()
        assert answer["response_type"] == "in_channel", answer
        incident_id = int(re.search(r"/incidents/(\d+)", answer["text"]).group(1))
        wait_until(lambda: len(slack.posts()) >= 1, message="the thread was never started")
        root = "1764820000.000001"

        page = room_is_live(open_room(dataclasses.replace(room, incident_id=incident_id), "user0"))
        reply = message_event("Rolled back deploy 412", "1764820300.000100", thread_ts=root)
        noted = requests.post(
            f"{room.server.url}/integrations/slack/events",
            data=reply,
            headers=slack_headers(reply, "application/json"),
            timeout=10,
        ).json()
        assert noted == {"ok": True, "outcome": "noted"}
        note = page.locator("#timeline li", has_text="Rolled back deploy 412")
        expect(note).to_be_visible()
        expect(note).to_contain_text("User 0")

        page.get_by_label("Status", exact=True).select_option("investigating")
        wait_until(
            lambda: (
                slack.posts()[-1]
                == {
                    "channel": CHANNEL,
                    "text": "Status: Declared → Investigating",
                    "thread_ts": root,
                }
            ),
            message=f"the status never reached the thread: {slack.posts()}",
        )
        screenshot(page, "room-note-from-chat")
