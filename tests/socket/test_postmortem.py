"""Co-editing the post-mortem: sections merge or conflict, action items, status, freezing."""

import uuid

import pytest

from tests.conftest import add_user, declare, logged_in_client, socket_client
from tests.socket.helpers import alone, call, change, received, resolve


@pytest.fixture
def resolved(app, dana, fox):
    """A resolved SEV2 with Dana (IC, post-mortem owner) and Fox in the room."""
    incident = declare(app, "dana", severity="SEV2")
    a, b = socket_client(app, "dana"), socket_client(app, "fox")
    for client in (a, b):
        assert call(client, "join", {"incident_id": incident})["ok"]
    resolve(a, b, incident)
    a.get_received(), b.get_received()
    return incident, a, b


def get(client, incident):
    ack = call(client, "postmortem.get", {"incident_id": incident})
    assert ack["ok"], ack
    return ack


def section(ack, key):
    return next(s for s in ack["sections"] if s["key"] == key)


def edit_section(client, incident, key, base_version, text, **extra):
    payload = {"incident_id": incident, "section": key, "base_version": base_version}
    return change(client, "postmortem.edit_section", {**payload, "text": text, **extra})


def test_all_clear_opens_a_draft_with_every_section_blank(resolved) -> None:
    incident, a, _ = resolved
    ack = get(a, incident)
    assert ack["postmortem"]["revision"] == 1 and ack["postmortem"]["status"] == "draft"
    keys = [s["key"] for s in ack["sections"]]
    assert keys[:2] == ["summary", "customer_impact"]
    assert [k for k in keys if k.startswith("why_")] == [f"why_{n}" for n in range(1, 6)]
    assert all(s["text"] == "" and s["version"] == 1 for s in ack["sections"])
    assert ack["may_publish"] is True


def test_no_postmortem_before_all_clear(app, dana) -> None:
    incident = declare(app, "dana", severity="SEV2")
    client = socket_client(app, "dana")
    call(client, "join", {"incident_id": incident})
    ack = call(client, "postmortem.get", {"incident_id": incident})
    assert (ack["ok"], ack["error"]["code"]) == (False, "not_found")


def test_section_edit_is_broadcast_and_credits_its_author(resolved) -> None:
    incident, a, b = resolved
    ack = edit_section(a, incident, "summary", 1, "Checkout returned 502s for 40 minutes.")
    assert ack["ok"] and ack["section"]["version"] == 2 and ack["merged"] is False
    assert [author["username"] for author in ack["section"]["authors"]] == ["dana"]
    event = received(b)[-1]
    assert event["type"] == "postmortem.section_edited"
    assert event["data"]["section"]["text"] == "Checkout returned 502s for 40 minutes."
    ack = edit_section(b, incident, "summary", 2, "Checkout returned 502s for 42 minutes.")
    assert [author["username"] for author in ack["section"]["authors"]] == ["dana", "fox"]
    assert ack["section"]["updated_by"]["username"] == "fox"


def test_stale_section_edits_of_different_words_merge(resolved) -> None:
    incident, a, b = resolved
    assert edit_section(a, incident, "why_1", 1, "The pool was exhausted by retries")["ok"]
    assert edit_section(a, incident, "why_1", 2, "The db pool was exhausted by retries")["ok"]
    ack = edit_section(b, incident, "why_1", 2, "The pool was exhausted by client retries")
    assert ack["ok"] and ack["merged"] is True
    assert ack["section"]["text"] == "The db pool was exhausted by client retries"
    assert ack["section"]["version"] == 4


def test_overlapping_section_edits_conflict_with_the_current_text(resolved) -> None:
    incident, a, b = resolved
    assert edit_section(a, incident, "lessons", 1, "Canary deploys")["ok"]
    assert edit_section(a, incident, "lessons", 2, "Canary releases")["ok"]
    b.get_received()
    ack = edit_section(b, incident, "lessons", 2, "Canary rollouts")
    assert ack["ok"] is False and ack["error"]["code"] == "conflict"
    assert ack["error"]["current"]["text"] == "Canary releases"
    assert ack["error"]["current"]["version"] == 3
    assert received(b) == []


def test_repeated_op_id_is_applied_once(resolved) -> None:
    incident, a, b = resolved
    payload = {
        "incident_id": incident,
        "op_id": str(uuid.uuid4()),
        "section": "summary",
        "base_version": 1,
        "text": "once",
    }
    first = call(a, "postmortem.edit_section", payload)
    again = call(a, "postmortem.edit_section", payload)
    assert first == again and first["section"]["version"] == 2
    assert len([e for e in received(b) if e["type"] == "postmortem.section_edited"]) == 1


def test_action_items_flag_a_missing_owner_or_due_date(resolved) -> None:
    incident, a, b = resolved
    ack = change(a, "postmortem.action_item.add", {"incident_id": incident, "text": "Add canary"})
    item = ack["action_item"]
    assert {flag["code"] for flag in item["flags"]} == {"no_owner", "no_due_date"}
    ack = change(
        b,
        "postmortem.action_item.edit",
        {
            "incident_id": incident,
            "item_id": item["id"],
            "base_version": 1,
            "owner": "fox",
            "due_on": "2026-04-01",
            "tracker_url": "https://tracker.example/OPS-7",
        },
    )
    assert ack["ok"], ack
    assert ack["action_item"]["owner"]["username"] == "fox"
    assert (ack["action_item"]["due_on"], ack["action_item"]["flags"]) == ("2026-04-01", [])


def test_stale_action_item_edits_merge_by_field(resolved) -> None:
    incident, a, b = resolved
    item = change(a, "postmortem.action_item.add", {"incident_id": incident, "text": "Add canary"})[
        "action_item"
    ]
    base = {"incident_id": incident, "item_id": item["id"], "base_version": 1}
    assert change(a, "postmortem.action_item.edit", {**base, "due_on": "2026-04-01"})["ok"]
    ack = change(b, "postmortem.action_item.edit", {**base, "owner": "dana"})
    assert ack["ok"] and ack["merged"] is True
    assert ack["action_item"]["due_on"] == "2026-04-01"
    assert ack["action_item"]["owner"]["username"] == "dana"
    clash = change(b, "postmortem.action_item.edit", {**base, "due_on": "2026-05-01"})
    assert clash["error"]["code"] == "conflict" and clash["error"]["field"] == "due_on"


def test_action_item_delete_needs_the_current_version(resolved) -> None:
    incident, a, b = resolved
    item = change(a, "postmortem.action_item.add", {"incident_id": incident, "text": "x"})[
        "action_item"
    ]
    ref = {"incident_id": incident, "item_id": item["id"]}
    assert change(b, "postmortem.action_item.edit", {**ref, "base_version": 1, "text": "y"})["ok"]
    stale = change(a, "postmortem.action_item.delete", {**ref, "base_version": 1})
    assert stale["error"]["code"] == "conflict"
    assert change(a, "postmortem.action_item.delete", {**ref, "base_version": 2})["ok"]
    assert get(a, incident)["action_items"] == []


def test_invalid_action_item_fields_are_refused(resolved) -> None:
    incident, a, _ = resolved
    for field, value in (("due_on", "next week"), ("tracker_url", "javascript:alert(1)")):
        ack = change(
            a, "postmortem.action_item.add", {"incident_id": incident, "text": "x", field: value}
        )
        assert (ack["error"]["code"], ack["error"]["field"]) == ("invalid", field)


def set_status(client, incident, status, reason="Reviewed together in the meeting"):
    payload = {"incident_id": incident, "status": status, "reason": reason}
    return change(client, "postmortem.set_status", payload)


def test_review_then_publish_freezes_and_closes_the_incident(resolved) -> None:
    incident, a, b = resolved
    assert set_status(b, incident, "published")["error"]["code"] == "invalid"
    ack = set_status(b, incident, "in_review")
    assert ack["ok"] and ack["postmortem"]["status"] == "in_review"
    assert received(a)[-1]["data"]["incident"]["status"] == "postmortem"
    assert set_status(b, incident, "published")["error"]["code"] == "forbidden"
    ack = set_status(a, incident, "published")
    assert ack["ok"] and ack["postmortem"]["published_by"]["username"] == "dana"
    assert received(b)[-1]["data"]["incident"]["status"] == "closed"
    frozen = edit_section(b, incident, "summary", 1, "too late")
    assert (frozen["error"]["code"], frozen["error"]["field"]) == ("invalid", "status")
    frozen = change(b, "postmortem.action_item.add", {"incident_id": incident, "text": "x"})
    assert frozen["error"]["code"] == "invalid"


def test_new_revision_starts_from_the_published_text(resolved) -> None:
    incident, a, b = resolved
    assert edit_section(b, incident, "summary", 1, "First take")["ok"]
    change(a, "postmortem.action_item.add", {"incident_id": incident, "text": "Add canary"})
    set_status(a, incident, "in_review")
    set_status(a, incident, "published")
    assert change(b, "postmortem.new_revision", {"incident_id": incident})["error"]["code"] == (
        "forbidden"
    )
    ack = change(a, "postmortem.new_revision", {"incident_id": incident})
    assert ack["ok"] and ack["postmortem"]["revision"] == 2
    state = get(b, incident)
    assert state["postmortem"]["status"] == "draft"
    assert section(state, "summary")["text"] == "First take"
    assert [author["username"] for author in section(state, "summary")["authors"]] == ["fox"]
    assert [item["text"] for item in state["action_items"]] == ["Add canary"]
    assert edit_section(b, incident, "summary", 1, "Second take")["ok"]


def test_blaming_phrases_are_flagged_but_publishing_goes_ahead(resolved) -> None:
    incident, a, _ = resolved
    edit_section(a, incident, "went_badly", 1, "Fox broke the deploy; it was human error.")
    flags = get(a, incident)["blameless"]
    assert [flag["phrase"] for flag in flags] == ["Fox broke", "human error"]
    assert all(flag["where"] == "section:went_badly" for flag in flags)
    set_status(a, incident, "in_review")
    assert set_status(a, incident, "published")["ok"]


def test_editors_see_the_flags_of_a_change_with_its_event(resolved) -> None:
    incident, a, b = resolved
    edit_section(a, incident, "summary", 1, "We should have known the key was missing.")
    add = {"incident_id": incident, "text": "Stop Fox being careless"}
    assert change(a, "postmortem.action_item.add", add)["ok"]
    section_event, item_event = received(b)
    assert [f["phrase"] for f in section_event["data"]["blameless"]] == ["should have known"]
    [flag] = item_event["data"]["blameless"]
    assert flag["phrase"] == "careless"
    assert flag["where"] == f"action_item:{item_event['data']['action_item']['id']}"
    assert {p["username"] for p in get(b, incident)["participants"]} == {"dana", "fox"}


def test_outsiders_cannot_read_a_private_postmortem(app, dana) -> None:
    """Not the "join first" rule: an outsider who tries to join to read it is told the
    incident does not exist, exactly as for an id nobody ever used."""
    add_user(app, "eve")
    incident = declare(app, "dana", severity="SEV1", private=True)
    insider = socket_client(app, "dana")
    assert call(insider, "join", {"incident_id": incident})["ok"]
    assert change(insider, "incident.all_clear", alone(incident))["ok"]
    outsider = socket_client(app, "eve")
    refused = call(outsider, "join", {"incident_id": incident})
    assert refused["error"] == call(outsider, "join", {"incident_id": 424242})["error"]
    assert refused["error"]["code"] == "not_found"
    assert "Checkout" not in str(refused)
    response = logged_in_client(app, "eve").get(f"/incidents/{incident}/postmortem.md")
    assert response.status_code == 404
