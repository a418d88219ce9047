"""Observer links over Socket.IO (in-process): what an observer sees, live; that it cannot
write; and that revocation, expiry and forged tokens shut it out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from incident_room.extensions import db, socketio
from incident_room.models import Incident, ObserverConnection, WorkerHeartbeat
from incident_room.realtime import presence
from incident_room.realtime.observer_events import close_ended_links
from incident_room.services.observers import links as observer_links
from tests.conftest import declare
from tests.socket.helpers import add_entry, call, change, join_all, received
from tests.support.observers import make_link, revoke, tampered


@pytest.fixture
def incident_id(app, dana, fox) -> int:
    return declare(app, "dana", severity="SEV2")


def observe(app, token: str) -> Any:
    return socketio.test_client(app, auth={"observer_token": token})


def observed(client: Any) -> list[dict[str, Any]]:
    return received(client, "observer.event")


def test_observer_sees_title_severity_status_updates_and_shared_entries_only(app, incident_id):
    (room,) = join_all(app, incident_id, "dana")
    secret = add_entry(room, incident_id, "db-7 at 10.0.0.4 is out of disk")
    shared = add_entry(room, incident_id, "Rolled back the 14:02 deploy")
    assert change(
        room,
        "timeline.share",
        {"incident_id": incident_id, "entry_id": shared["id"], "shareable": True},
    )["ok"]
    change(
        room,
        "timeline.add",
        {
            "incident_id": incident_id,
            "kind": "update",
            "text": "Checkout is degraded; next update 14:30.",
            "details": {"audience": "status_page"},
        },
    )
    observer = observe(app, make_link(app, incident_id, "dana").token)
    assert observer.is_connected()

    state = call(observer, "observe.state", {})

    assert state["ok"]
    assert state["incident"] == {
        "reference": "INC-1",
        "title": "Checkout API returning 502s",
        "severity": "SEV2",
        "status": "declared",
    }
    texts = [entry["text"] for entry in state["entries"]]
    assert texts == ["Rolled back the 14:02 deploy", "Checkout is degraded; next update 14:30."]
    assert secret["text"] not in str(state)
    assert "author" not in state["entries"][0] and "Dana" not in str(state)


def test_changes_reach_observers_live_but_internal_entries_never_do(app, incident_id):
    (room,) = join_all(app, incident_id, "dana")
    observer = observe(app, make_link(app, incident_id, "dana").token)
    observer.get_received()

    internal = add_entry(room, incident_id, "Fox thinks it is the cache on web-3")
    change(room, "incident.update", {"incident_id": incident_id, "status": "investigating"})
    change(
        room,
        "timeline.share",
        {"incident_id": incident_id, "entry_id": internal["id"], "shareable": True},
    )
    change(
        room,
        "timeline.share",
        {"incident_id": incident_id, "entry_id": internal["id"], "shareable": False},
    )

    events = observed(observer)
    assert [event["type"] for event in events] == ["incident", "entry", "entry_removed"]
    assert events[0]["incident"]["status"] == "investigating"
    assert events[1]["entry"]["text"] == internal["text"]
    assert events[2]["entry_id"] == internal["id"]
    assert received(observer) == [] and received(observer, "presence") == []


def test_an_observer_is_invisible_to_the_room(app, incident_id):
    (room,) = join_all(app, incident_id, "dana")
    observe(app, make_link(app, incident_id, "dana").token)
    assert received(room, "presence") == []
    join_all(app, incident_id, "fox")
    (seen,) = received(room, "presence")
    assert [user["username"] for user in seen["users"]] == ["dana", "fox"]


@pytest.mark.parametrize(
    ("event", "payload"),
    [
        ("join", {}),
        ("timeline.add", {"kind": "note", "text": "observer was here"}),
        ("incident.update", {"status": "resolved"}),
        ("timeline.share", {"entry_id": "00000000-0000-4000-8000-000000000000", "shareable": True}),
    ],
)
def test_every_write_from_an_observer_is_forbidden(app, incident_id, event, payload):
    observer = observe(app, make_link(app, incident_id, "dana").token)
    ack = change(observer, event, {"incident_id": incident_id, **payload})
    assert ack["ok"] is False and ack["error"]["code"] == "forbidden"
    (room,) = join_all(app, incident_id, "dana")
    state = call(room, "join", {"incident_id": incident_id})
    assert state["incident"]["status"] == "declared"
    assert "observer was here" not in str(state["timeline"])


def test_revoking_closes_connected_observers_at_once(app, incident_id):
    link = make_link(app, incident_id, "dana")
    first, second = observe(app, link.token), observe(app, link.token)
    other = observe(app, make_link(app, incident_id, "dana").token)

    revoke(app, incident_id, "dana", link.id)

    for observer in (first, second):
        assert not observer.is_connected()
    assert other.is_connected()
    assert not observe(app, link.token).is_connected()


def test_the_room_lists_links_with_their_maker_live_and_never_their_token(app, incident_id):
    (room,) = join_all(app, incident_id, "fox")
    kept = make_link(app, incident_id, "dana")
    revoked = make_link(app, incident_id, "dana")
    revoke(app, incident_id, "dana", revoked.id)

    heard = [
        (event["type"], event["data"]["link"])
        for event in received(room)
        if event["type"].startswith("observer.")
    ]
    assert [(kind, link["id"]) for kind, link in heard] == [
        ("observer.link_created", kept.id),
        ("observer.link_created", revoked.id),
        ("observer.link_revoked", revoked.id),
    ]
    assert heard[-1][1]["revoked_by"]["username"] == "dana"
    state = call(room, "join", {"incident_id": incident_id})
    assert [(link["id"], link["state"]) for link in state["observer_links"]] == [
        (revoked.id, "revoked"),
        (kept.id, "active"),
    ]
    assert state["observer_links"][1]["created_by"]["username"] == "dana"
    for token in (kept.token, revoked.token):
        assert token not in str(state) and token not in str(heard)


def test_the_links_page_counts_who_is_watching(app, incident_id):
    link = make_link(app, incident_id, "dana")
    first, second = observe(app, link.token), observe(app, link.token)
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        assert observer_links.observer_counts(incident) == {link.id: 2}
        first.disconnect()
        second.disconnect()
        assert observer_links.observer_counts(incident) == {}


def test_observers_of_a_dead_worker_stop_counting_once_it_is_swept(app, incident_id):
    link = make_link(app, incident_id, "dana")
    stale = datetime.now(UTC) - timedelta(minutes=10)
    with app.app_context():
        db.session.add(WorkerHeartbeat(worker_id="dead-worker", beat_at=stale))
        db.session.add(ObserverConnection(sid="gone", link_id=link.id, worker_id="dead-worker"))
        db.session.commit()
        presence.sweep_dead_workers()
        assert observer_links.observer_counts(db.session.get(Incident, incident_id)) == {}


def test_revoked_observers_are_told_why_before_being_closed(app, incident_id):
    link = make_link(app, incident_id, "dana")
    observer = observe(app, link.token)
    revoke(app, incident_id, "dana", link.id)
    (told,) = [m for m in observer.queue if m["name"] == "observer.revoked"]
    assert told["args"][0]["message"] == "This link was revoked."


def test_expired_links_are_closed_by_the_periodic_pass_and_refused_after(app, incident_id, clock):
    link = make_link(app, incident_id, "dana", expires_in="1h")
    observer = observe(app, link.token)
    clock.advance(minutes=59)
    with app.app_context():
        assert close_ended_links() == 0
    assert observer.is_connected()

    clock.advance(minutes=1)
    with app.app_context():
        assert close_ended_links() == 1

    assert not observer.is_connected()
    assert [m["name"] for m in observer.queue][-1] == "observer.expired"
    assert not observe(app, link.token).is_connected()


def test_an_expired_link_hears_nothing_more_even_before_it_is_closed(app, incident_id, clock):
    (room,) = join_all(app, incident_id, "dana")
    observer = observe(app, make_link(app, incident_id, "dana", expires_in="1h").token)
    observer.get_received()
    clock.advance(hours=1)

    change(room, "incident.update", {"incident_id": incident_id, "status": "investigating"})

    assert observer.is_connected() and observed(observer) == []
    assert call(observer, "observe.state", {})["error"]["code"] == "gone"


def test_tampered_and_unknown_tokens_are_refused(app, incident_id):
    token = make_link(app, incident_id, "dana").token
    payload, _signature = token.split(".")
    forged = [tampered(token), payload + ".", "", "x.y"]
    for bad in forged:
        assert not observe(app, bad).is_connected()
    assert not socketio.test_client(app, auth={"observer_token": 42}).is_connected()


def test_only_the_ic_creates_links_and_private_incidents_need_an_explicit_yes(app, dana, fox):
    public = declare(app, "dana")
    private = declare(app, "dana", title="Payroll export leaks", private=True)
    with pytest.raises(Exception, match="Only the Incident Commander"):
        make_link(app, public, "fox")
    with pytest.raises(Exception, match="confirm that observers may see it"):
        make_link(app, private, "dana")
    observer = observe(app, make_link(app, private, "dana", confirm_private=True).token)
    assert call(observer, "observe.state", {})["incident"]["title"] == "Payroll export leaks"


def test_sharing_is_for_the_ic_or_communications_lead(app, incident_id):
    dana_room, fox_room = join_all(app, incident_id, "dana", "fox")
    entry = add_entry(fox_room, incident_id, "Fox's note")
    share = {"incident_id": incident_id, "entry_id": entry["id"], "shareable": True}
    ack = change(fox_room, "timeline.share", share)
    assert ack["error"]["code"] == "forbidden"
    change(fox_room, "role.claim", {"incident_id": incident_id, "role": "communications_lead"})
    ack = change(fox_room, "timeline.share", share)
    assert ack["ok"] and ack["entry"]["shareable"] is True
    shared = [e for e in received(dana_room) if e["type"] == "timeline.shared"]
    assert shared[-1]["data"]["entry"]["shareable"] is True


def test_a_removed_members_observers_are_closed_at_once(app, dana, fox):
    private = declare(app, "dana", severity="SEV1", private=True)
    [room] = join_all(app, private, "dana")
    ref = {"incident_id": private}
    assert change(room, "member.invite", {**ref, "user": "fox"})["ok"]
    [fox_room] = join_all(app, private, "fox")
    handover = {**ref, "role": "incident_commander"}
    assert change(room, "role.claim", {**handover, "user": "fox"})["ok"]
    watching = observe(app, make_link(app, private, "fox", confirm_private=True).token)
    assert change(fox_room, "role.claim", {**handover, "user": "dana"})["ok"]
    assert watching.is_connected()
    assert change(room, "member.remove", {**ref, "user": "fox"})["ok"]
    assert not watching.is_connected()
