"""Two workers, both running the chat sender: each thread message is posted exactly once,
in order, into the right thread."""

from __future__ import annotations

from tests.support.chat import CHANNEL, command_form, fake_slack, post_signed, set_up_chat
from tests.support.live import wait_for_job_passes, wait_until


def test_each_chat_message_is_posted_once_with_two_senders(cluster):
    with fake_slack() as slack:
        room = cluster(
            workers=2, WEBHOOK_JOB_INTERVAL_SECONDS="0.1", OUTBOUND_ALLOW_INTERNAL="127.0.0.1"
        )
        set_up_chat(room.database_url, slack.url)
        answer = post_signed(
            f"{room.workers[0].url}/integrations/slack/commands",
            command_form("SEV-3: search slow"),
            "application/x-www-form-urlencoded",
        )
        assert answer["response_type"] == "in_channel", answer
        incident_id = int(answer["text"].rsplit("/", 1)[1])
        client = room.client(1, "user0")
        assert client.call("join", {"incident_id": incident_id})["ok"]
        for status in ("investigating", "identified", "mitigated"):
            ack = client.change("incident.update", {"incident_id": incident_id, "status": status})
            assert ack["ok"], ack
        wait_until(lambda: len(slack.posts()) == 4, message=f"four posts: {slack.posts()}")
        wait_for_job_passes([worker.url for worker in room.workers], "chat")
        root, *replies = slack.posts()
        assert root["channel"] == CHANNEL and "thread_ts" not in root
        assert [reply["text"] for reply in replies] == [
            "Status: Declared → Investigating",
            "Status: Investigating → Identified",
            "Status: Identified → Mitigated",
        ]
        assert {reply["thread_ts"] for reply in replies} == {"1764820000.000001"}
