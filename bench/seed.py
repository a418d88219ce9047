"""The bench's data, written through the app's own services: accounts, the rooms the load
goes to, and incidents with long timelines for the join and export measurements."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import Flask

from incident_room.app_factory import create_app
from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.accounts import create_user
from incident_room.services.declare import Declaration, declare_incident
from incident_room.services.timeline import NewEntry, add_entry
from incident_room.unit_of_work import run_change

PASSWORD = "bench-password"
SCRIBES = 12  # the app allows one user 30 events per 5 s; 50/s needs 10 of them
ENTRIES_PER_TRANSACTION = 500
KINDS = ("note", "action", "note", "hypothesis", "note")
TEXTS = (
    "Error rate on checkout-api p95 up to 4.2%, mostly 502 from the upstream pool",
    "Rolled back payments-gateway to v2.31.4 on eu-west-1; watching the dashboards",
    "Customer support reports failed card payments from three merchants since 02:10",
    "Connection pool to the orders database saturated (200/200); raising to 300",
    "Feature flag new-basket-pricing turned off for all tenants",
)


def participant_name(i: int) -> str:
    return f"p{i:04d}"


def scribe_name(i: int) -> str:
    return f"scribe{i:02d}"


@dataclass(frozen=True)
class Seeded:
    participants: list[str]
    scribes: list[str]
    rooms: list[int]
    long_incidents: dict[int, int]  # entries -> incident id


@contextmanager
def bench_app(database_url: str) -> Iterator[Flask]:
    """The app on the bench's database, in an app context, as the seeding writes through it.
    Cheap hashing for hundreds of bench accounts; logins stay real (the form, the cookie)."""
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SOCKETIO_ASYNC_MODE": "threading",
            "SOCKETIO_MESSAGE_QUEUE": None,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _user(username: str) -> User:
    return db.session.scalar(db.select(User).filter_by(username=username))


def fill_timeline(incident_id: int, author: User, entries: int) -> None:
    """`entries` timeline entries (and their events), a few hundred per transaction."""
    done = 0
    while done < entries:
        batch = min(ENTRIES_PER_TRANSACTION, entries - done)

        def write(incident, start=done, count=batch):
            for i in range(start, start + count):
                kind = KINDS[i % len(KINDS)]
                add_entry(incident, author, NewEntry(kind=kind, text=f"{TEXTS[i % 5]} (#{i})"))

        run_change(incident_id, author, write)
        done += batch


def seed(
    database_url: str,
    participants: int,
    rooms: int,
    long_timelines: tuple[int, ...] = (),
) -> Seeded:
    with bench_app(database_url):
        names = [participant_name(i) for i in range(participants)]
        scribes = [scribe_name(i) for i in range(SCRIBES)]
        for name in [*scribes, *names]:
            create_user(name, PASSWORD, name.capitalize())
        lead = _user(scribes[0])
        room_ids = [
            declare_incident(lead, Declaration(title=f"Bench room {i}", severity="SEV2")).id
            for i in range(rooms)
        ]
        long_incidents = {}
        for entries in long_timelines:
            incident = declare_incident(
                lead, Declaration(title=f"Incident with {entries} entries", severity="SEV2")
            )
            fill_timeline(incident.id, lead, entries)
            long_incidents[entries] = incident.id
        return Seeded(names, scribes, room_ids, long_incidents)


def add_entries(database_url: str, incident_id: int, entries: int) -> None:
    """More entries written while a client is away (for the reconnect measurement)."""
    with bench_app(database_url):
        fill_timeline(incident_id, _user(scribe_name(0)), entries)
