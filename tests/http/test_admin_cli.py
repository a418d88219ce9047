"""Admins, teams and services from the command line, as an operator sets up an instance."""

from __future__ import annotations

from incident_room.extensions import db
from incident_room.models import Service, TeamMember, User
from tests.conftest import logged_in_client


def flask(app, *args: str):
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def is_admin(app, username: str) -> bool:
    with app.app_context():
        return db.session.scalar(db.select(User.is_admin).filter_by(username=username))


def test_an_admin_is_made_at_creation_or_promoted_later_and_demoted(app) -> None:
    code, out = flask(app, "users", "create", "root", "--password", "long-password", "--admin")
    assert code == 0 and "as an admin" in out
    assert flask(app, "users", "create", "dana", "--password", "long-password")[0] == 0
    assert is_admin(app, "root") and not is_admin(app, "dana")
    assert (
        logged_in_client(app, "root", "long-password").get("/settings/webhooks").status_code == 200
    )

    assert flask(app, "users", "promote", "dana") == (0, "dana is an admin.\n")
    assert is_admin(app, "dana")
    assert flask(app, "users", "promote", "dana", "--demote") == (
        0,
        "dana is no longer an admin.\n",
    )
    assert not is_admin(app, "dana")
    code, out = flask(app, "users", "promote", "nobody")
    assert code != 0 and "No user named 'nobody'" in out


def test_teams_and_services_are_set_up_from_the_command_line(app, dana) -> None:
    assert (
        flask(app, "teams", "create", "Payments", "--leadership-contact", "cto@example.com")[0] == 0
    )
    code, out = flask(app, "teams", "create", "Payments")
    assert code != 0 and "already a team called 'Payments'" in out
    assert flask(app, "teams", "add", "Payments", "dana", "--admin")[0] == 0
    assert flask(app, "services", "create", "Payments-API", "--team", "Payments")[0] == 0
    code, out = flask(app, "services", "create", "bad name!")
    assert code != 0 and "Service names are" in out
    with app.app_context():
        [member] = db.session.scalars(db.select(TeamMember))
        assert member.is_admin and member.user.username == "dana"
        [service] = db.session.scalars(db.select(Service))
        assert service.name == "payments-api" and service.team.name == "Payments"
