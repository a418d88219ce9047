"""The response checklist: per-severity templates, ticks with who and when, the team's own items."""

from tests.conftest import declare
from tests.socket.helpers import call, change, join_all, received


def checklist(client, incident) -> list[dict]:
    return call(client, "join", {"incident_id": incident})["checklist"]


def item_with(items, key) -> dict:
    return next(item for item in items if item["template_key"] == key)


def toggle(client, incident, item, done):
    return change(
        client, "checklist.toggle", {"incident_id": incident, "item_id": item["id"], "done": done}
    )


def set_severity(client, incident, severity):
    ack = change(client, "incident.update", {"incident_id": incident, "severity": severity})
    assert ack["ok"], ack


def test_severity_picks_the_playbook_list(app, clock, dana) -> None:
    sev2 = declare(app, "dana", severity="SEV2")
    sev4 = declare(app, "dana", severity="SEV4")
    [client] = join_all(app, sev2, "dana")
    assert len(checklist(client, sev2)) == 10
    assert [i["template_key"] for i in checklist(client, sev4)] == [
        "symptoms",
        "mitigation",
        "confirm_recovery",
        "all_clear",
    ]


def test_a_tick_records_who_and_when_and_reaches_everyone(room, clock) -> None:
    incident, a, b = room
    item = item_with(checklist(a, incident), "symptoms")
    clock.advance(minutes=3)
    ack = toggle(a, incident, item, True)
    assert ack["item"]["done"] is True
    assert ack["item"]["done_by"]["username"] == "dana"
    assert ack["item"]["done_at"] == "2026-03-14T02:03:00Z"
    [event] = received(b)
    assert event["type"] == "checklist.toggled" and event["data"]["item"]["done"] is True
    unticked = toggle(b, incident, item, False)
    assert unticked["item"]["done"] is False and unticked["item"]["done_by"] is None


def test_racing_toggles_end_in_the_last_committed_state_and_all_are_logged(room) -> None:
    incident, a, b = room
    item = item_with(checklist(a, incident), "vendor")
    seq = call(a, "join", {"incident_id": incident})["seq"]
    toggle(a, incident, item, True)
    toggle(b, incident, item, False)
    toggle(a, incident, item, True)
    assert item_with(checklist(b, incident), "vendor")["done"] is True
    events = call(b, "join", {"incident_id": incident, "since": seq})["events"]
    assert [(e["type"], e["data"]["item"]["done"]) for e in events] == [
        ("checklist.toggled", True),
        ("checklist.toggled", False),
        ("checklist.toggled", True),
    ]


def test_lowering_severity_never_loses_a_ticked_item(room) -> None:
    incident, a, _ = room
    items = checklist(a, incident)
    toggle(a, incident, item_with(items, "vendor"), True)
    set_severity(a, incident, "SEV3")
    short = checklist(a, incident)
    assert [i["template_key"] for i in short] == [
        "symptoms",
        "mitigation",
        "vendor",
        "confirm_recovery",
        "all_clear",
    ]
    assert item_with(short, "vendor")["done"] is True
    set_severity(a, incident, "SEV1")
    assert len(checklist(a, incident)) == 10
    assert item_with(checklist(a, incident), "vendor")["done"] is True


def test_team_items_are_added_and_reordered(room) -> None:
    incident, a, b = room
    added = change(a, "checklist.add", {"incident_id": incident, "text": "Freeze deploys"})
    assert added["item"]["text"] == "Freeze deploys" and added["item"]["template_key"] is None
    assert received(b)[0]["data"]["item"]["text"] == "Freeze deploys"
    ids = [item["id"] for item in checklist(a, incident)]
    reordered = [ids[-1], *ids[:-1]]
    ack = change(a, "checklist.reorder", {"incident_id": incident, "item_ids": reordered})
    assert [item["id"] for item in ack["checklist"]] == reordered
    assert [item["id"] for item in checklist(b, incident)] == reordered


def test_a_reorder_that_drops_an_item_is_refused(room) -> None:
    incident, a, _ = room
    ids = [item["id"] for item in checklist(a, incident)]
    ack = change(a, "checklist.reorder", {"incident_id": incident, "item_ids": ids[1:]})
    assert ack["error"]["code"] == "invalid" and ack["error"]["field"] == "item_ids"
    assert [item["id"] for item in checklist(a, incident)] == ids


def test_an_item_of_another_incident_is_not_found(app, room) -> None:
    incident, a, _ = room
    other = declare(app, "dana", title="Other", severity="SEV3")
    foreign = checklist(a, other)[0]
    call(a, "join", {"incident_id": incident})
    ack = toggle(a, incident, foreign, True)
    assert ack["error"]["code"] == "not_found"
    assert checklist(a, other)[0]["done"] is False
