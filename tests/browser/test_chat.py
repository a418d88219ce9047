"""Following an incident from Slack (Chromium, a live server, a local fake of Slack's Web
API): a reply in the incident's thread appears in the room as a note by its author, and the
status the room sets appears in the thread."""

from __future__ import annotations

import dataclasses
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import room_is_live, screenshot
from tests.support.chat import (
    CHANNEL,
    command_form,
    fake_slack,
    message_event,
    post_signed,
    set_up_chat,
)
from tests.support.live import wait_until

pytestmark = pytest.mark.browser


def test_a_thread_reply_appears_in_the_room_and_the_rooms_status_in_the_thread(
    live_room, sqlite_url, open_room
) -> None:
    with fake_slack() as slack:
        room = live_room(
            sqlite_url, OUTBOUND_ALLOW_INTERNAL="127.0.0.1", WEBHOOK_JOB_INTERVAL_SECONDS="0.2"
        )
        set_up_chat(sqlite_url, slack.url)
        answer = post_signed(
            f"{room.server.url}/integrations/slack/commands",
            command_form("SEV-2: checkout 502s"),
            "application/x-www-form-urlencoded",
        )
        assert answer["response_type"] == "in_channel", answer
        incident_id = int(re.search(r"/incidents/(\d+)", answer["text"]).group(1))
        wait_until(lambda: len(slack.posts()) >= 1, message="the thread was never started")
        root = "1764820000.000001"

        page = room_is_live(open_room(dataclasses.replace(room, incident_id=incident_id), "user0"))
        reply = message_event("Rolled back deploy 412", "1764820300.000100", thread_ts=root)
        noted = post_signed(
            f"{room.server.url}/integrations/slack/events", reply, "application/json"
        )
        assert noted == {"ok": True, "outcome": "noted"}
        note = page.locator("#timeline li", has_text="Rolled back deploy 412")
        expect(note).to_be_visible()
        expect(note).to_contain_text("User 0")
        back = note.locator(".entry-text a")  # the way back to the message in chat
        expect(back).to_have_attribute("href", re.compile(r"/archives/.+p1764820300000100"))

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
