"""The draft's review period: the owner asks reviewers, each approves or requests changes,
someone not asked is refused, and publishing inside the 24 hours needs the owner's reason.
On SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.conftest import add_user, declare, logged_in_client, socket_client
from tests.socket.helpers import call, change
from tests.support.followup import all_clear


@pytest.fixture
def in_review(db_app: Flask, clock) -> tuple[int, Any, Any, Any]:
    """A resolved SEV1 whose draft Dana (IC, owner) sent for review; Fox and Sam in the room."""
    add_user(db_app, "sam", "Sam Vimes")
    incident = declare(db_app, "dana", severity="SEV1")
    all_clear(db_app, incident)
    clients = [socket_client(db_app, name) for name in ("dana", "fox", "sam")]
    for client in clients:
        assert call(client, "join", {"incident_id": incident})["ok"]
    status = {"incident_id": incident, "status": "in_review"}
    assert change(clients[0], "postmortem.set_status", status)["ok"]
    return incident, *clients


def state(client: Any, incident: int) -> dict[str, Any]:
    return call(client, "postmortem.get", {"incident_id": incident})


def ask(client: Any, incident: int, *names: Any) -> dict[str, Any]:
    return change(client, "postmortem.review.ask", {"incident_id": incident, "reviewers": names})


def decide(client: Any, incident: int, decision: str, **extra: Any) -> dict[str, Any]:
    payload = {"incident_id": incident, "decision": decision, **extra}
    return change(client, "postmortem.review.decide", payload)


def publish(client: Any, incident: int, **extra: Any) -> dict[str, Any]:
    payload = {"incident_id": incident, "status": "published", **extra}
    return change(client, "postmortem.set_status", payload)


def test_reviewers_asked_approve_or_request_changes(in_review) -> None:
    incident, dana, fox, sam = in_review
    ack = ask(dana, incident, "fox", "sam")
    assert [r["reviewer"]["username"] for r in ack["reviews"]] == ["fox", "sam"]
    assert {r["decision_label"] for r in ack["reviews"]} == {"Awaited"}
    assert ask(dana, incident, "fox")["unchanged"] is True
    assert decide(fox, incident, "approved")["review"]["decision_label"] == "Approved"
    refused = decide(sam, incident, "changes_requested")
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "comment")
    ack = decide(sam, incident, "changes_requested", comment="Why 3 needs the config story")
    assert ack["review"]["comment"] == "Why 3 needs the config story"
    reviews = {r["reviewer"]["username"]: r["decision"] for r in state(dana, incident)["reviews"]}
    assert reviews == {"fox": "approved", "sam": "changes_requested"}


def test_a_decision_from_someone_not_asked_is_refused_and_changes_nothing(in_review) -> None:
    incident, dana, fox, sam = in_review
    ask(dana, incident, "fox")
    refused = decide(sam, incident, "approved")
    assert refused["error"]["code"] == "forbidden"
    assert "reviewers the post-mortem owner asked" in refused["error"]["message"]
    assert [r["reviewer"]["username"] for r in state(sam, incident)["reviews"]] == ["fox"]
    assert ask(fox, incident, "sam")["error"]["code"] == "forbidden"  # only the owner asks
    bad = ask(dana, incident, "nobody-here")
    assert (bad["error"]["code"], bad["error"]["field"]) == ("invalid", "reviewers")
    assert decide(fox, incident, "meh")["error"]["field"] == "decision"
    assert len(state(dana, incident)["reviews"]) == 1


def test_publishing_inside_the_review_period_needs_the_owners_reason(in_review, clock) -> None:
    incident, dana, _, _ = in_review
    header = state(dana, incident)["postmortem"]
    assert header["review_ends_at"] == "2026-03-15T02:00:00Z"
    clock.advance(hours=23)
    refused = publish(dana, incident)
    assert (refused["error"]["code"], refused["error"]["field"]) == ("invalid", "reason")
    assert "2026-03-15T02:00:00Z" in refused["error"]["message"]
    assert state(dana, incident)["postmortem"]["status"] == "in_review"
    ack = publish(dana, incident, reason="Customers asked for it; reviewed in the meeting")
    assert ack["postmortem"]["status"] == "published"
    assert ack["postmortem"]["early_publish_reason"] == (
        "Customers asked for it; reviewed in the meeting"
    )


def test_after_the_review_period_publishing_needs_no_reason(in_review, clock) -> None:
    incident, dana, _, _ = in_review
    clock.advance(hours=24)
    ack = publish(dana, incident)
    assert ack["postmortem"]["status"] == "published"
    assert ack["postmortem"]["early_publish_reason"] is None


def test_the_page_shows_each_reviewers_answer(db_app, in_review) -> None:
    incident, dana, fox, _ = in_review
    ask(dana, incident, "fox", "sam")
    decide(fox, incident, "changes_requested", comment="Name the missing config key")
    page = logged_in_client(db_app, "sam").get(f"/incidents/{incident}/postmortem")
    html = page.get_data(as_text=True)
    assert "Fox Mulder: Changes requested — Name the missing config key" in html
    assert "Sam Vimes: Awaited" in html
