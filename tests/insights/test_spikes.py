"""Incident fatigue: a spike week is said on the page and told once to the team's leadership."""

from __future__ import annotations

from datetime import timedelta

import pytest

from incident_room.extensions import db
from incident_room.models import Incident, Service, SpikeNotice
from incident_room.services.catalog.services import create_service
from incident_room.services.catalog.teams import create_team
from incident_room.services.insights.spikes import notify_spikes
from incident_room.services.mail.sender import deliver_due_mail
from tests.conftest import add_user, declare, dispose, make_app
from tests.insights.conftest import day
from tests.support.smtp import smtp_server

MONDAY = day(3, 2, 9)  # Monday 2 March 2026


def seed(app, clock, per_week: list[int], service: str | None = "payments") -> None:
    """`per_week[i]` incidents in the i-th week counted back from MONDAY's week (0: this one)."""
    for weeks_back, count in enumerate(per_week):
        for n in range(count):
            clock.current = MONDAY - timedelta(weeks=weeks_back) + timedelta(hours=n)
            incident_id = declare(app, "dana", severity="SEV3")
            with app.app_context():
                incident = db.session.get(Incident, incident_id)
                incident.service_id = db.session.scalar(
                    db.select(Service.id).filter_by(name=service)
                )
                db.session.commit()
    clock.current = MONDAY + timedelta(hours=12)


def payments_team(app, contact: str = "lead@example.com") -> None:
    with app.app_context():
        create_service("payments", create_team("Payments", contact))


@pytest.mark.parametrize(
    ("per_week", "told"),
    [
        ([3, 1, 1, 1, 1, 1, 1, 1, 1], True),  # 3 against a median of 1
        ([2, 0, 0, 0, 0, 0, 0, 0, 0], False),  # below the minimum of 3
        ([4, 2, 2, 2, 2, 2, 2, 2, 2], False),  # 4 is not more than twice 2
        ([5, 2, 2, 2, 2, 2, 2, 2, 2], True),
    ],
)
def test_the_rule_of_a_spike(app, dana, clock, per_week, told) -> None:
    payments_team(app)
    seed(app, clock, per_week)
    with app.app_context():
        assert notify_spikes() == int(told)
        assert bool(db.session.scalars(db.select(SpikeNotice)).all()) == told


def test_the_leadership_is_told_once_across_two_workers(postgres_url, clock) -> None:
    with smtp_server() as mailbox:
        settings = {"SMTP_URL": mailbox.url, "PUBLIC_URL": "https://ir.example"}
        first, second = make_app(postgres_url, **settings), make_app(postgres_url, **settings)
        try:
            add_user(first, "dana", "Dana Scully")
            payments_team(first)
            seed(first, clock, [3, 1, 1, 1, 1, 1, 1, 1, 1])
            told = []
            for app in (first, second, first):
                with app.app_context():
                    told.append(notify_spikes())
                    deliver_due_mail()
            assert told == [1, 0, 0]
            [message] = mailbox.wait_for(1)
            assert message["To"] == "lead@example.com"
            assert message["Subject"] == "Incident spike for Payments: 3 incidents this week"
            body = message.get_body(("plain",)).get_content()
            assert "median of 1 a week over the 8 weeks before" in body
            assert "https://ir.example/insights?team=1" in body
            clock.advance(weeks=1)  # a new week, no spike: nobody is told again
            with first.app_context():
                assert notify_spikes() == 0
        finally:
            dispose(first)
            dispose(second)


def test_a_contact_that_is_only_a_name_gets_no_mail(app, dana, clock) -> None:
    payments_team(app, contact="Maria (VP Eng)")
    seed(app, clock, [3, 1, 1, 1, 1, 1, 1, 1, 1])
    with app.app_context():
        assert notify_spikes() == 0
