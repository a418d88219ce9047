"""A team whose service pages through a policy: primary on-call (a weekly schedule of ann..ed),
then the secondary (mo), then the manager (tess, paged at once for a SEV1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.catalog.services import create_service
from incident_room.services.catalog.teams import add_team_member, create_team
from incident_room.services.oncall import schedules
from incident_room.services.oncall.drafts import LayerDraft
from incident_room.services.oncall.rotation import Layer
from incident_room.services.paging.policies import PolicyDraft, StepDraft, create_policy, use_policy
from tests.conftest import add_user

PEOPLE = ["ann", "bo", "cy", "di", "ed"]
NOW = datetime(2026, 3, 25, 12, 0, tzinfo=UTC)  # a Wednesday: ann's week (from Mon 16 Mar)


def users(app: Any) -> dict[str, User]:
    return {u.username: u for u in db.session.scalars(db.select(User))}


@pytest.fixture
def paging(app_on_each_database, clock):
    """The app (each database), the clock at NOW, team Payments with service payments-api."""
    app = app_on_each_database
    clock.current = NOW
    for name in [*PEOPLE, "tess", "mo"]:
        add_user(app, name)
    with app.app_context():
        team = create_team("Payments")
        people = users(app)
        add_team_member(team, people["tess"], admin=True)
        for name in [*PEOPLE, "mo"]:
            add_team_member(team, people[name])
        create_service("payments-api", team)
        schedule = schedules.create_schedule(people["tess"], team.id, "Payments primary")
        ids = tuple(people[name].id for name in PEOPLE)
        layer = Layer("Primary", "Europe/Berlin", 0, time(9, 0), date(2026, 3, 16), ids)
        draft = LayerDraft(layer, {people[n].id: n for n in PEOPLE})
        assert schedules.save_layers(people["tess"], schedule.id, [draft], True, NOW).saved
        steps = (
            StepDraft("Primary on-call", schedule_id=schedule.id),
            StepDraft("Secondary", user_id=people["mo"].id),
            StepDraft("Manager", user_id=people["tess"].id, is_manager=True),
        )
        policy = create_policy(people["tess"], PolicyDraft(team.id, "Payments", steps))
        use_policy(people["tess"], policy.id, "payments-api")
    return app
