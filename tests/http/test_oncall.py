"""On-call over HTTP: the schedule page, playbook warnings before saving, admin-only edits,
overrides, the JSON read of who is on call, and each person's private calendar feed."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from incident_room.extensions import db
from incident_room.models import OnCallSchedule, RotationLayer, Service, User
from incident_room.services.catalog.services import create_service
from incident_room.services.catalog.teams import add_team_member, create_team
from tests.conftest import add_user, logged_in_client
from tests.support.web import csrf_from

PEOPLE = ["ann", "bo", "cy", "di", "ed"]
NOW = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)  # a Wednesday; Berlin is on CET (+1)


@pytest.fixture
def team(app_on_each_database, clock):
    """Team Payments: admin Tess, members ann..ed and Mo; service payments-api; one schedule."""
    app = app_on_each_database
    clock.current = NOW
    for name in [*PEOPLE, "tess", "mo"]:
        add_user(app, name)
    with app.app_context():
        payments = create_team("Payments")
        users = {u.username: u for u in db.session.scalars(db.select(User))}
        add_team_member(payments, users["tess"], admin=True)
        for name in [*PEOPLE, "mo"]:
            add_team_member(payments, users[name])
        create_service("payments-api", payments)
    tess = logged_in_client(app, "tess")
    page = tess.get("/oncall")
    created = tess.post(
        "/oncall/schedules",
        data={"team_id": "1", "name": "Payments primary", "csrf_token": csrf_from(page.text)},
    )
    assert created.status_code == 302
    return app


def layer_form(token: str, people: list[str], **extra: str) -> dict[str, str]:
    return {
        "csrf_token": token,
        "layer_count": "1",
        "layers-0-name": "Primary",
        "layers-0-zone": "Europe/Berlin",
        "layers-0-weekday": "0",
        "layers-0-time": "09:00",
        "layers-0-starts_on": "2026-03-16",
        "layers-0-people": "\n".join(people),
        **extra,
    }


def save(client, people: list[str], **extra: str):
    token = csrf_from(client.get("/oncall/schedules/1").text)
    return client.post("/oncall/schedules/1", data=layer_form(token, people, **extra))


def layers_in_db(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(RotationLayer))


def test_a_sound_schedule_saves_and_members_see_now_next_and_the_weeks_ahead(team):
    assert save(logged_in_client(team, "tess"), PEOPLE).status_code == 302
    mo = logged_in_client(team, "mo")
    page = mo.get("/oncall/schedules/1").text
    # Week 1 (from Mon Mar 23 09:00 CET = 08:00 UTC) is Bo's; Cy takes over on Monday
    # Mar 30 at 09:00 CEST, which is 07:00 UTC after the clocks went forward.
    assert "<dd data-now>Bo</dd>" in page
    assert 'Cy from <span class="when"><span class="utc">2026-03-30 07:00 UTC</span>' in page
    # Bo (rest of the week), Cy, Di, Ed, Ann (from Apr 20): in the layer row and on-call row.
    assert page.count('<g class="shift ') == 2 * 5
    assert "<title>Cy: 2026-03-30 07:00 UTC - 2026-04-06 07:00 UTC</title>" in page
    assert "Check and save" not in page  # members see, they do not edit
    listing = mo.get("/oncall").text
    assert '<td class="on-call-now">Bo</td>' in listing


def test_playbook_warnings_come_before_saving_and_a_confirmation_saves(team):
    tess = logged_in_client(team, "tess")
    warned = save(tess, ["ann", "bo", "bo", "cy"])
    assert warned.status_code == 200
    assert "This schedule breaks the playbook" in warned.text
    assert "Primary rotates 3 people: the playbook asks for at least 5" in warned.text
    assert "Primary: Bo is on call two weeks in a row" in warned.text
    assert "Save anyway" in warned.text
    assert "The next weeks with your changes (not saved)" in warned.text
    assert layers_in_db(team) == 0
    confirmed = save(tess, ["ann", "bo", "bo", "cy"], confirm="1")
    assert confirmed.status_code == 302
    assert layers_in_db(team) == 1


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"layers-0-zone": "Mars/Olympus"}, "Unknown time zone &#39;Mars/Olympus&#39;"),
        ({"layers-0-time": "25:00"}, "Give a time as HH:MM (24-hour)."),
        ({"layers-0-people": "ann\nnobody"}, "No such person: nobody."),
        (
            {
                "layers-0-region": "on",
                "layers-0-region_start": "09:00",
                "layers-0-region_end": "17:00",
            },
            "Nobody would be on call from 2026-03-25 18:00 UTC to 2026-03-26 08:00 UTC",
        ),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_nothing_saved(team, extra, message):
    response = save(logged_in_client(team, "tess"), PEOPLE, **extra)
    assert response.status_code == 400
    assert message in response.text
    assert layers_in_db(team) == 0


def test_only_team_admins_change_schedules(team):
    mo = logged_in_client(team, "mo")
    token = csrf_from(mo.get("/oncall/schedules/1").text)
    refused = [
        mo.post("/oncall/schedules/1", data=layer_form(token, PEOPLE, confirm="1")),
        mo.post("/oncall/schedules", data={"team_id": "1", "name": "Mine", "csrf_token": token}),
        mo.post(
            "/oncall/schedules/1/overrides",
            data={
                "user": "mo",
                "starts_at": "2026-03-26T00:00",
                "ends_at": "2026-03-27T00:00",
                "zone": "UTC",
                "csrf_token": token,
            },
        ),
        mo.post(
            "/oncall/schedules/1/services", data={"service": "payments-api", "csrf_token": token}
        ),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    assert "Only an admin of this team changes it." in refused[0].text
    with team.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OnCallSchedule)) == 1
        assert layers_in_db(team) == 0
        assert db.session.scalar(db.select(Service.schedule_id)) is None
    # An instance admin may.
    add_user(team, "ada", admin=True)
    assert save(logged_in_client(team, "ada"), PEOPLE).status_code == 302


def test_an_override_takes_over_its_window_and_may_not_overlap_another(team):
    tess = logged_in_client(team, "tess")
    save(tess, PEOPLE)
    token = csrf_from(tess.get("/oncall/schedules/1").text)
    cover = {
        "user": "ed",
        "replaces": "bo",
        "starts_at": "2026-03-25T13:00",
        "ends_at": "2026-03-26T09:00",
        "zone": "Europe/Berlin",
        "csrf_token": token,
    }
    assert tess.post("/oncall/schedules/1/overrides", data=cover).status_code == 302
    overlapping = tess.post(
        "/oncall/schedules/1/overrides",
        data={
            **cover,
            "user": "di",
            "starts_at": "2026-03-26T08:00",
            "ends_at": "2026-03-26T10:00",
        },
    )
    assert overlapping.status_code == 400
    assert "It overlaps the override of Ed from 2026-03-25 12:00 UTC to 2026-03-26 08:00 UTC." in (
        overlapping.text
    )
    # 13:00 CET is 12:00 UTC: Ed is on call now, and Bo again from 08:00 UTC tomorrow.
    page = tess.get("/oncall/schedules/1").text
    assert "<dd data-now>Ed</dd>" in page
    assert 'Bo from <span class="when"><span class="utc">2026-03-26 08:00 UTC</span>' in page


def test_the_api_says_who_is_on_call_for_a_service_at_an_instant(team):
    tess = logged_in_client(team, "tess")
    save(tess, PEOPLE)
    token = csrf_from(tess.get("/oncall/schedules/1").text)
    linked = tess.post(
        "/oncall/schedules/1/services", data={"service": "payments-api", "csrf_token": token}
    )
    assert linked.status_code == 302
    listing = logged_in_client(team, "mo").get("/oncall").text
    assert '<td data-service-on-call="payments-api">Bo</td>' in listing
    mo = logged_in_client(team, "mo")
    answer = mo.get("/api/oncall?service=payments-api&at=2026-03-30T07:00:00%2B00:00").get_json()
    assert answer["on_call"]["username"] == "cy" and answer["source"] == "layer-0"
    before = mo.get("/api/oncall?service=payments-api&at=2026-03-30T08:59:00%2B02:00").get_json()
    assert before["on_call"]["username"] == "bo"
    unknown = mo.get("/api/oncall?service=nope")
    assert unknown.status_code == 400
    assert unknown.get_json()["error"] == {
        "code": "invalid",
        "message": "No service called 'nope'.",
        "field": "service",
    }


def test_each_person_gets_a_private_calendar_feed_of_their_shifts(team):
    save(logged_in_client(team, "tess"), PEOPLE)
    cy = logged_in_client(team, "cy")
    made = cy.post("/oncall/feed", data={"csrf_token": csrf_from(cy.get("/oncall").text)})
    url = re.search(r'value="(http://[^"]+\.ics)" data-feed-url', made.text).group(1)
    path = url.removeprefix("http://localhost")
    anonymous = team.test_client()
    feed = anonymous.get(path)
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    events = [c for c in Calendar.from_ical(feed.data).walk("VEVENT")]
    shifts = [(e.decoded("dtstart"), e.decoded("dtend")) for e in events]
    # Cy's weeks: index 2, 7, 12... from Mon Mar 16; the feed runs 4 weeks back, 26 ahead.
    assert shifts[:3] == [
        (datetime(2026, 3, 30, 7, tzinfo=UTC), datetime(2026, 4, 6, 7, tzinfo=UTC)),
        (datetime(2026, 5, 4, 7, tzinfo=UTC), datetime(2026, 5, 11, 7, tzinfo=UTC)),
        (datetime(2026, 6, 8, 7, tzinfo=UTC), datetime(2026, 6, 15, 7, tzinfo=UTC)),
    ]
    assert len(shifts) == 6
    assert shifts[-1] == (
        datetime(2026, 9, 21, 7, tzinfo=UTC),
        datetime(2026, 9, 28, 7, tzinfo=UTC),
    )
    assert all(start.utcoffset().total_seconds() == 0 for start, _ in shifts)
    assert b"DTSTART:20260330T070000Z" in feed.data
    assert str(events[0]["summary"]) == "On call: Payments primary (Payments)"
    # Wrong secrets are not found; a new link ends the old one.
    assert anonymous.get("/oncall/feed/not-the-secret.ics").status_code == 404
    cy.post("/oncall/feed", data={"csrf_token": csrf_from(cy.get("/oncall").text)})
    assert anonymous.get(path).status_code == 404


def test_follow_the_sun_regions_saved_from_the_form_answer_by_region(team, clock):
    """Sydney, Berlin, New York, each 09:00-17:00 plus 2 h, one person each (the playbook
    warns, the admin confirms). Wednesday 2026-01-14 (all on winter time): Sydney covers
    22:00-08:00 UTC, Berlin from 08:00, New York from 14:00 until midnight."""
    tess = logged_in_client(team, "tess")
    token = csrf_from(tess.get("/oncall/schedules/1").text)
    form = {"csrf_token": token, "layer_count": "3", "confirm": "1"}
    for index, (zone, person) in enumerate(
        [("Australia/Sydney", "ann"), ("Europe/Berlin", "bo"), ("America/New_York", "cy")]
    ):
        form |= {
            f"layers-{index}-name": zone,
            f"layers-{index}-zone": zone,
            f"layers-{index}-weekday": "0",
            f"layers-{index}-time": "09:00",
            f"layers-{index}-starts_on": "2026-01-05",
            f"layers-{index}-people": person,
            f"layers-{index}-region": "on",
            f"layers-{index}-region_start": "09:00",
            f"layers-{index}-region_end": "17:00",
        }
    clock.current = datetime(2026, 1, 14, 12, tzinfo=UTC)
    assert tess.post("/oncall/schedules/1", data=form).status_code == 302
    tess.post(
        "/oncall/schedules/1/services",
        data={"service": "payments-api", "csrf_token": token},
    )
    answers = {
        at: tess.get(f"/api/oncall?service=payments-api&at=2026-01-14T{at}:00%2B00:00").get_json()
        for at in ("07:59", "08:00", "13:59", "14:00", "23:59")
    }
    assert {at: a["on_call"]["username"] for at, a in answers.items()} == {
        "07:59": "ann",
        "08:00": "bo",
        "13:59": "bo",
        "14:00": "cy",
        "23:59": "cy",
    }
    page = tess.get("/oncall/schedules/1").text
    assert "<dd data-now>Bo</dd>" in page
    assert 'Cy from <span class="when"><span class="utc">2026-01-14 14:00 UTC</span>' in page
