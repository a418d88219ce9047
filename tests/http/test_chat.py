"""Declaring and following incidents from chat (Slack, Mattermost): signed requests built as
Slack builds them, and a local fake of Slack's Web API recording every call."""

from __future__ import annotations

import json
import re

import pytest

from incident_room.extensions import db
from incident_room.models import ChatMessage, Incident, Page, TimelineEntry, User
from incident_room.services.catalog.services import create_service
from incident_room.services.catalog.teams import add_team_member, create_team
from incident_room.services.chat.sender import deliver_due_chat
from incident_room.services.declare import Declaration, declare_incident
from incident_room.services.offboarding import disable_account
from incident_room.services.paging.policies import PolicyDraft, StepDraft, create_policy, use_policy
from tests.conftest import add_user, declare, dispose, logged_in_client, make_app, socket_client
from tests.socket.helpers import add_entry, call, change
from tests.support.chat import (
    BOT_TOKEN,
    CHANNEL,
    MATTERMOST_TOKEN,
    SIGNING_SECRET,
    command_form,
    fake_slack,
    message_event,
    slack_headers,
)
from tests.support.web import csrf_from

FORM = "application/x-www-form-urlencoded"
COMMANDS = "/integrations/slack/commands"
EVENTS = "/integrations/slack/events"


@pytest.fixture
def app(database_url):
    # The fake Slack listens on loopback: this app allows it, as an operator would for a
    # Mattermost server inside their network.
    application = make_app(
        database_url,
        OUTBOUND_ALLOW_INTERNAL="127.0.0.1",
        PUBLIC_URL="https://ir.example",
        BRIDGE_URL_TEMPLATE="https://meet.example/{reference}-{token}",
    )
    yield application
    dispose(application)


@pytest.fixture
def slack():
    with fake_slack() as running:
        yield running


def save_settings(client, **form):
    token = csrf_from(client.get("/settings/chat").get_data(as_text=True))
    return client.post("/settings/chat", data={"csrf_token": token, **form})


@pytest.fixture
def chat(app, slack, ada, dana, fox):
    """Ada set chat up; Dana (Slack U0DANA) linked her account."""
    response = save_settings(
        logged_in_client(app, "ada"),
        channel=CHANNEL,
        api_url=slack.url,
        signing_secret=SIGNING_SECRET,
        bot_token=BOT_TOKEN,
        mattermost_token=MATTERMOST_TOKEN,
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    link(app, "dana", command(app, "status").get_json()["text"])
    return slack


def command(app, text, user_id="U0DANA", age_seconds=0, **headers):
    body = command_form(text, user_id=user_id)
    return app.test_client().post(
        COMMANDS, data=body, headers=slack_headers(body, FORM, age_seconds, **headers)
    )


def event(app, body, **headers):
    return app.test_client().post(
        EVENTS, data=body, headers=slack_headers(body, "application/json", **headers)
    )


def link(app, username, invitation):
    """Open the link from the private reply, logged in, and confirm."""
    path = re.search(r"https://ir\.example(/integrations/chat/link/\S+)", invitation).group(1)
    client = logged_in_client(app, username)
    page = client.get(path).get_data(as_text=True)
    confirmed = client.post(path, data={"csrf_token": csrf_from(page)})
    assert "Linked" in confirmed.get_data(as_text=True)


def deliver(app):
    with app.app_context():
        return deliver_due_chat()


def incidents(app):
    with app.app_context():
        return list(db.session.scalars(db.select(Incident).order_by(Incident.id)))


def test_a_signed_slash_command_sev1_declares_and_answers_in_the_channel(app, chat) -> None:
    response = command(app, "SEV-1: db down")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["response_type"] == "in_channel"
    assert answer["text"].startswith("Dana Scully declared INC-1 SEV1: db down")
    [incident] = incidents(app)
    assert (incident.severity, incident.title) == ("SEV1", "db down")
    assert answer["text"].endswith(f"Room: https://ir.example/incidents/{incident.id}")
    assert deliver(app) == 2
    first, bridge, pin = chat.calls
    assert first["method"] == "chat.postMessage" and first["token"] == BOT_TOKEN
    assert first["content_type"] == "application/json; charset=utf-8"
    assert first["body"] == {
        "channel": CHANNEL,
        "text": "INC-1 SEV1 declared by Dana Scully: db down\n"
        f"Room: https://ir.example/incidents/{incident.id}",
    }
    assert bridge["body"] == {
        "channel": CHANNEL,
        "text": f"War room: {incident.bridge_url}",
        "thread_ts": "1764820000.000001",
    }
    assert pin == {
        "method": "pins.add",
        "token": BOT_TOKEN,
        "content_type": "application/json; charset=utf-8",
        "body": {"channel": CHANNEL, "timestamp": "1764820000.000002"},
    }
    assert deliver(app) == 0  # each message posted once


def test_an_unlinked_user_gets_a_private_link_and_acts_once_linked(app, chat) -> None:
    answer = command(app, "SEV-2: checkout 502s", user_id="U0FOX").get_json()
    assert answer["response_type"] == "ephemeral"
    assert "not linked" in answer["text"]
    assert incidents(app) == []
    link(app, "fox", answer["text"])
    again = command(app, "SEV-2: checkout 502s", user_id="U0FOX").get_json()
    assert again["text"].startswith("Fox Mulder declared INC-1 SEV2")


def test_a_forged_link_is_refused(app, chat) -> None:
    client = logged_in_client(app, "fox")
    assert client.get("/integrations/chat/link/not-a-real-token").status_code == 404


def test_a_bad_signature_or_a_six_minute_old_timestamp_is_refused_and_changes_nothing(
    app, chat
) -> None:
    bad = command(app, "SEV-1: db down", **{"X-Slack-Signature": "v0=" + "0" * 64})
    old = command(app, "SEV-1: db down", age_seconds=6 * 60)
    unsigned = app.test_client().post(COMMANDS, data=command_form("SEV-1: db down"))
    assert [bad.status_code, old.status_code, unsigned.status_code] == [401, 401, 401]
    assert bad.get_json()["error"]["code"] == "unauthenticated"
    forged_event = event(app, message_event("@incident SEV-1: db down", "1.1"), age_seconds=6 * 60)
    assert forged_event.status_code == 401
    assert incidents(app) == []
    assert chat.calls == []


def test_the_mattermost_token_declares_too(app, chat) -> None:
    client = app.test_client()
    link(
        app,
        "fox",
        client.post(
            COMMANDS,
            data=command_form("status", user_id="mm-fox"),
            headers={"Authorization": f"Token {MATTERMOST_TOKEN}", "Content-Type": FORM},
        ).get_json()["text"],
    )
    response = client.post(
        COMMANDS,
        data=command_form("SEV-2: checkout 502s", user_id="mm-fox"),
        headers={"Authorization": f"Token {MATTERMOST_TOKEN}", "Content-Type": FORM},
    )
    assert response.get_json()["response_type"] == "in_channel"
    assert incidents(app)[0].severity == "SEV2"
    wrong = client.post(
        COMMANDS,
        data=command_form("SEV-2: again", user_id="mm-fox"),
        headers={"Authorization": "Token wrong", "Content-Type": FORM},
    )
    assert wrong.status_code == 401 and len(incidents(app)) == 1


def test_the_url_check_echoes_the_challenge(app, chat) -> None:
    body = json.dumps(
        {"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}
    )
    response = event(app, body.encode())
    assert response.get_json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


def test_incident_sev_x_in_the_channel_declares(app, chat) -> None:
    response = event(app, message_event("@incident SEV-2: checkout 502s", "1764820100.000100"))
    assert response.get_json()["outcome"] == "declared"
    [incident] = incidents(app)
    assert (incident.severity, incident.title) == ("SEV2", "checkout 502s")
    chatter = event(app, message_event("lunch anyone?", "1764820100.000200"))
    assert chatter.get_json()["outcome"] == "ignored" and len(incidents(app)) == 1


def thread_of_first_incident(app, chat):
    assert command(app, "SEV-3: search slow").status_code == 200
    deliver(app)
    return incidents(app)[0], chat.posts()[0]["channel"], "1764820000.000001"


def test_a_thread_reply_from_a_linked_user_becomes_a_note_linking_back(app, chat) -> None:
    incident, channel, root = thread_of_first_incident(app, chat)
    reply = message_event("Rolled back deploy 412", "1764820200.000300", thread_ts=root)
    assert event(app, reply).get_json()["outcome"] == "noted"
    assert event(app, reply).get_json()["outcome"] == "noted"  # a resend adds nothing
    stranger = message_event("me too", "1764820200.000400", user="U0EVE", thread_ts=root)
    assert event(app, stranger).get_json()["outcome"] == "ignored"
    deliver(app)
    [told] = [call for call in chat.calls if call["method"] == "chat.postEphemeral"]
    assert (told["body"]["user"], told["body"]["channel"]) == ("U0EVE", channel)
    assert "not linked to Incident Room yet" in told["body"]["text"]
    with app.app_context():
        notes = list(
            db.session.scalars(
                db.select(TimelineEntry).filter_by(incident_id=incident.id, kind="note")
            )
        )
        assert [(note.text, note.author.username) for note in notes] == [
            (
                "Rolled back deploy 412\n\n(from chat: http://127.0.0.1:"
                f"{chat.url.split(':')[2].split('/')[0]}/archives/{channel}/p1764820200000300"
                f"?thread_ts={root}&cid={channel})",
                "dana",
            )
        ]


def test_the_rooms_status_change_and_all_clear_appear_in_the_thread(app, chat) -> None:
    incident, channel, root = thread_of_first_incident(app, chat)
    room = socket_client(app, "dana")
    assert call(room, "join", {"incident_id": incident.id})["ok"]
    ack = change(room, "incident.update", {"incident_id": incident.id, "status": "investigating"})
    assert ack["ok"], ack
    deliver(app)
    assert chat.posts()[-1] == {
        "channel": channel,
        "text": "Status: Declared → Investigating",
        "thread_ts": root,
    }
    answer = command(app, "all-clear").get_json()
    assert answer == {
        "response_type": "in_channel",
        "text": "Dana Scully called all-clear on INC-1.",
    }
    assert incidents(app)[0].status == "resolved"
    deliver(app)
    assert chat.posts()[-1]["text"] == (
        "All-clear: INC-1 is resolved. Post-mortem owner: Dana Scully."
    )


def test_only_the_ic_calls_the_all_clear_and_ack_says_there_is_no_page(app, chat) -> None:
    thread_of_first_incident(app, chat)
    fox_link = command(app, "status", user_id="U0FOX").get_json()["text"]
    link(app, "fox", fox_link)
    refused = command(app, "all-clear INC-1", user_id="U0FOX").get_json()
    assert refused["response_type"] == "ephemeral"
    assert refused["text"] == "Only the Incident Commander can call all-clear."
    assert incidents(app)[0].status == "declared"
    ack = command(app, "ack").get_json()
    assert ack["text"] == "You have no open page to acknowledge."
    status = command(app, "status").get_json()
    assert status["text"].startswith("INC-1 SEV3 Declared: search slow")


def test_a_private_incident_or_a_drill_posts_nothing(app, chat) -> None:
    private = declare(app, "dana", title="Leaked keys", severity="SEV1", private=True)
    declare(app, "dana", title="Game day", severity="SEV2", drill=True)
    room = socket_client(app, "dana")
    assert call(room, "join", {"incident_id": private})["ok"]
    change(room, "incident.update", {"incident_id": private, "status": "investigating"})
    assert deliver(app) == 0
    assert chat.calls == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ChatMessage.id))) == 0


def test_a_refusing_chat_api_is_retried_later_and_never_slows_the_room(app, chat) -> None:
    chat.refuse_with = "channel_not_found"
    assert command(app, "SEV-3: search slow").status_code == 200
    assert deliver(app) == 1
    with app.app_context():
        [first] = db.session.scalars(db.select(ChatMessage))
        assert (first.status, first.attempts) == ("pending", 1)
        assert first.last_error == "chat.postMessage: channel_not_found"
    page = logged_in_client(app, "ada").get("/settings/chat").get_data(as_text=True)
    assert "chat.postMessage: channel_not_found" in page


def test_chat_settings_are_for_admins_and_secrets_are_never_shown_again(app, chat) -> None:
    assert logged_in_client(app, "fox").get("/settings/chat").status_code == 403
    page = logged_in_client(app, "ada").get("/settings/chat").get_data(as_text=True)
    for secret in (SIGNING_SECRET, BOT_TOKEN, MATTERMOST_TOKEN):
        assert secret not in page
    assert 'data-saved="bot_token"' in page
    kept = save_settings(logged_in_client(app, "ada"), channel=CHANNEL, api_url=chat.url)
    assert kept.status_code == 200
    assert command(app, "ack").status_code == 200  # the signing secret was kept


def test_an_internal_api_address_is_refused_unless_the_operator_allows_it(sqlite_url) -> None:
    guarded = make_app(sqlite_url)
    add_user(guarded, "ada", "Ada Admin", admin=True)
    response = save_settings(
        logged_in_client(guarded, "ada"), channel=CHANNEL, api_url="http://127.0.0.1:9/api"
    )
    assert response.status_code == 400
    dispose(guarded)


def test_chat_requests_are_rate_limited_per_person(database_url, slack) -> None:
    limited = make_app(
        database_url,
        OUTBOUND_ALLOW_INTERNAL="127.0.0.1",
        PUBLIC_URL="https://ir.example",
        RATE_LIMIT_CHAT_USER="3 per minute",
    )
    add_user(limited, "ada", "Ada Admin", admin=True)
    save_settings(
        logged_in_client(limited, "ada"),
        channel=CHANNEL,
        api_url=slack.url,
        signing_secret=SIGNING_SECRET,
    )
    codes = [command(limited, "help").status_code for _ in range(4)]
    other = command(limited, "help", user_id="U0OTHER").status_code
    assert (codes, other) == ([200, 200, 200, 429], 200)
    dispose(limited)


def test_raising_severity_pins_the_new_war_room_and_role_changes_reach_the_thread(
    app, chat
) -> None:
    incident, channel, root = thread_of_first_incident(app, chat)
    room = socket_client(app, "dana")
    assert call(room, "join", {"incident_id": incident.id})["ok"]
    assert change(room, "incident.update", {"incident_id": incident.id, "severity": "SEV2"})["ok"]
    assert change(room, "role.claim", {"incident_id": incident.id, "role": "scribe"})["ok"]
    deliver(app)
    bridge_url = incidents(app)[0].bridge_url
    assert [(post["text"], post.get("thread_ts")) for post in chat.posts()[1:]] == [
        ("Severity: SEV3 → SEV2", root),
        (f"War room: {bridge_url}", root),
        ("Dana Scully is now Scribe", root),
    ]
    [pin] = [call_ for call_ in chat.calls if call_["method"] == "pins.add"]
    assert pin["body"] == {"channel": channel, "timestamp": "1764820000.000003"}


def test_a_title_cannot_mention_everyone_and_a_typo_declares_nothing(app, chat) -> None:
    answer = command(app, "SEV-4: <!channel> & <https://evil.example|login>").get_json()
    assert answer["text"].startswith(
        "Dana Scully declared INC-1 SEV4: &lt;!channel&gt; &amp; &lt;https://evil.example|login&gt;"
    )
    deliver(app)
    assert "&lt;!channel&gt; &amp;" in chat.posts()[0]["text"]
    assert "<" not in chat.posts()[0]["text"]
    typo = command(app, "stauts").get_json()
    assert typo["text"].startswith("Unknown command 'stauts'")
    assert len(incidents(app)) == 1


def test_a_disabled_account_no_longer_acts_from_chat(app, chat) -> None:
    _, _, root = thread_of_first_incident(app, chat)
    with app.app_context():
        disable_account(db.session.scalar(db.select(User).filter_by(username="dana")))
    refused = command(app, "SEV-1: db down").get_json()
    assert refused["response_type"] == "ephemeral" and "not linked" in refused["text"]
    reply = message_event("still here", "1764820400.000100", thread_ts=root)
    assert event(app, reply).get_json()["outcome"] == "ignored"
    assert len(incidents(app)) == 1


def test_declared_from_the_web_and_updates_posted_in_the_room_reach_the_thread(app, chat) -> None:
    incident = declare(app, "dana", title="Checkout 502s", severity="SEV3")
    room = socket_client(app, "dana")
    assert call(room, "join", {"incident_id": incident})["ok"]
    add_entry(room, incident, "Payments are failing over to the backup provider.", kind="update")
    deliver(app)
    first, update = chat.posts()
    assert first["text"].startswith("INC-1 SEV3 declared by Dana Scully: Checkout 502s")
    assert update == {
        "channel": CHANNEL,
        "text": "Update: Payments are failing over to the backup provider.",
        "thread_ts": "1764820000.000001",
    }


def app_mention(text: str, ts: str) -> bytes:
    body = json.loads(message_event(text, ts))
    body["event"]["type"] = "app_mention"
    return json.dumps(body).encode()


def test_a_mention_of_the_app_declares_and_slacks_retries_are_not_acted_on_twice(app, chat) -> None:
    mention = app_mention("<@U0INCIDENTBOT> SEV-1: payments down", "1764820500.000100")
    assert event(app, mention).get_json()["outcome"] == "declared"
    resent = event(app, mention, **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"})
    assert resent.get_json() == {"ok": True, "outcome": "ignored"}
    [incident] = incidents(app)
    assert (incident.severity, incident.title) == ("SEV1", "payments down")


def test_an_oversized_body_is_refused(app, chat) -> None:
    body = command_form("SEV-1: " + "x" * 70_000)
    response = app.test_client().post(COMMANDS, data=body, headers=slack_headers(body, FORM))
    assert response.status_code == 413 and incidents(app) == []


def test_ack_from_chat_acknowledges_the_callers_page_and_a_sev2_all_clear_waits(app, chat) -> None:
    with app.app_context():
        dana = db.session.scalar(db.select(User).filter_by(username="dana"))
        team = create_team("Search")
        add_team_member(team, dana, admin=True)
        service = create_service("search-api", team)
        steps = (StepDraft("Primary", user_id=dana.id),)
        use_policy(
            dana, create_policy(dana, PolicyDraft(team.id, "Search", steps)).id, "search-api"
        )
        incident = declare_incident(dana, Declaration("Search down", "SEV2", service=service)).id
    ack = command(app, "ack").get_json()
    assert ack == {
        "response_type": "in_channel",
        "text": "Dana Scully acknowledged INC-1 (search-api).",
    }
    with app.app_context():
        assert db.session.scalar(db.select(Page.status)) == "acknowledged"
    assert command(app, "ack").get_json()["text"] == "You have no open page to acknowledge."
    waits = command(app, "all-clear INC-1").get_json()["text"]
    assert waits == (
        "Dana Scully called all-clear on INC-1: waiting for a second participant to confirm "
        "recovery in the room."
    )
    assert incidents(app)[0].status == "declared" and incident == incidents(app)[0].id


def test_an_unlinked_person_declaring_in_the_channel_is_told_privately_how_to_link(
    app, chat
) -> None:
    post = message_event("@incident SEV-1: payments down", "1764820300.000100", user="U0EVE")
    assert event(app, post).get_json()["outcome"] == "invited"
    assert incidents(app) == []
    assert deliver(app) == 1
    [told] = [call for call in chat.calls if call["method"] == "chat.postEphemeral"]
    assert told["body"]["user"] == "U0EVE" and "/integrations/chat/link/" in told["body"]["text"]
    assert chat.posts() == []  # nothing in the channel for everyone
