"""Command-line tools: `flask users ...`, `flask teams ...`, `flask services ...`,
`flask incidents verify`, `flask runbooks import|export`, `flask demo`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import select

from .errors import DomainError
from .extensions import db
from .models import Incident, Team, User
from .services.accounts import (
    create_api_token,
    create_user,
    find_user,
    set_admin,
    set_disabled,
    set_email,
    set_password,
    set_time_zone,
)
from .services.catalog.services import create_service
from .services.catalog.teams import add_team_member, create_team, team_named
from .services.declare import Declaration, declare_incident
from .services.demo import FINISHED, seed_finished_incident
from .services.integrity import SHOWN, verify_incident
from .services.offboarding import disable_account
from .services.runbooks.files import export_directory, import_directory

users = AppGroup("users", help="Manage accounts and API tokens.")
incidents = AppGroup("incidents", help="Inspect incidents.")
teams = AppGroup("teams", help="Manage teams and who is on them.")
services = AppGroup("services", help="Manage the services alerts name.")
runbooks = AppGroup("runbooks", help="Import and export runbooks as Markdown files.")

T = TypeVar("T")
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-password"
DEMO_INCIDENT = Declaration(
    title="Checkout API returning 502s",
    severity="SEV2",
    summary="Customers see errors at checkout; error rate rising since 02:10 UTC.",
)


@users.command("create")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--display-name", default=None, help='Shown to others, e.g. "Dana Scully".')
@click.option("--admin", is_flag=True, help="May change the instance's settings.")
def create_user_command(
    username: str, password: str, display_name: str | None, admin: bool
) -> None:
    """Create an account."""
    user = _or_click_error(lambda: create_user(username, password, display_name, admin=admin))
    role = " as an admin" if user.is_admin else ""
    click.echo(f"Created {user.username} ({user.display_name}){role}.")


def _or_click_error(action: Callable[[], T]) -> T:
    try:
        return action()
    except DomainError as error:
        raise click.ClickException(error.message) from None


def _named(found: T | None, what: str, name: str) -> T:
    if found is None:
        raise click.ClickException(f"No {what} named {name!r}.")
    return found


def _user(username: str) -> User:
    return _named(find_user(username), "user", username)


@users.command("email")
@click.argument("username")
@click.argument("address", required=False)
def set_user_email(username: str, address: str | None) -> None:
    """Where pages reach USERNAME by e-mail; no ADDRESS clears it."""
    user = _user(username)
    try:
        set_email(user, address)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{user.username}: pages by e-mail to {user.email or 'nowhere'}")


@users.command("zone")
@click.argument("username")
@click.argument("zone", required=False)
def set_user_zone(username: str, zone: str | None) -> None:
    """USERNAME's own time zone (e.g. Europe/Berlin): what is after hours for them."""
    user = _user(username)
    try:
        set_time_zone(user, zone)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"{user.username}: after hours judged in {user.time_zone or 'UTC'}")


@users.command("promote")
@click.argument("username")
@click.option("--demote", is_flag=True, help="Take the admin right back.")
def promote_command(username: str, demote: bool) -> None:
    """Make an account an admin (or, with --demote, no longer one)."""
    user = _user(username)
    set_admin(user, not demote)
    click.echo(f"{user.username} is {'no longer ' if demote else ''}an admin.")


@users.command("disable")
@click.argument("username")
def disable_command(username: str) -> None:
    """Disable an account: its sessions end on every worker; logins and tokens are refused;
    the observer links it made are revoked."""
    user = _user(username)
    revoked = disable_account(user)
    click.echo(
        f"{user.username} is disabled; every session of it has ended"
        f" and {revoked} observer link(s) it made were revoked."
    )


@users.command("enable")
@click.argument("username")
def enable_command(username: str) -> None:
    """Enable a disabled account again (it logs in afresh)."""
    user = _user(username)
    set_disabled(user, False)
    click.echo(f"{user.username} is enabled.")


@users.command("password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def password_command(username: str, password: str) -> None:
    """Set a new password; every session of the account ends."""
    user = _user(username)
    _or_click_error(lambda: set_password(user, password))
    click.echo(f"{user.username} has a new password; every session of it has ended.")


@users.command("token")
@click.argument("username")
def token_command(username: str) -> None:
    """Create a personal API token (shown once) for `Authorization: Bearer`."""
    click.echo(create_api_token(_user(username)))


def _team(name: str) -> Team:
    return _named(team_named(name), "team", name)


@teams.command("create")
@click.argument("name")
@click.option("--leadership-contact", default="", help="Told of incident spikes (name or e-mail).")
def create_team_command(name: str, leadership_contact: str) -> None:
    """Create a team."""
    team = _or_click_error(lambda: create_team(name, leadership_contact))
    click.echo(f"Created team {team.name}.")


@teams.command("add")
@click.argument("team")
@click.argument("username")
@click.option("--admin", is_flag=True, help="May change the team's schedules and policies.")
def add_member_command(team: str, username: str, admin: bool) -> None:
    """Put someone on a team."""
    member = add_team_member(_team(team), _user(username), admin)
    click.echo(f"{username} is on {team}{' as an admin' if member.is_admin else ''}.")


@services.command("create")
@click.argument("name")
@click.option("--team", default=None, help="The owning team.")
@click.option("--description", default="")
def create_service_command(name: str, team: str | None, description: str) -> None:
    """Create a service (the name alerts carry)."""
    owner = _team(team) if team else None
    service = _or_click_error(lambda: create_service(name, owner, description))
    click.echo(f"Created service {service.name}.")


def _incident_by_reference(reference: str) -> Incident:
    number = reference.upper().removeprefix("INC-")
    incident = (
        db.session.scalar(select(Incident).where(Incident.number == int(number)))
        if number.isdigit()
        else None
    )
    if incident is None:
        raise click.ClickException(f"No incident {reference!r} (give it as INC-7 or 7).")
    return incident


@incidents.command("verify")
@click.argument("reference")
def verify_command(reference: str) -> None:
    """Check an incident's sealed event log, then that its timeline, roles and checklist
    are what the log says; exits 1 at the first broken link or with the differences."""
    incident = _incident_by_reference(reference)
    report = verify_incident(incident)
    chain = report.chain
    if not chain.intact:
        click.echo(
            f"{incident.reference}: chain BROKEN at event {chain.broken_seq}: {chain.reason}."
        )
        raise SystemExit(1)
    if report.differences:
        click.echo(f"{incident.reference}: what people read DIFFERS from the event log:")
        for difference in report.differences[:SHOWN]:
            click.echo(f"  {difference.sentence()}")
        if len(report.differences) > SHOWN:
            click.echo(f"  ... and {len(report.differences) - SHOWN} more")
        raise SystemExit(1)
    click.echo(
        f"{incident.reference}: chain intact and sealed, {chain.count} events, head "
        f"{chain.head}; timeline, roles and checklist match the log."
    )


@runbooks.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def export_runbooks_command(directory: Path) -> None:
    """Write one Markdown file per runbook into DIRECTORY."""
    written = export_directory(directory)
    click.echo(f"Exported {len(written)} runbook(s) to {directory}.")


@runbooks.command("import")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--author", required=True, help="The username the new versions are saved as.")
def import_runbooks_command(directory: Path, author: str) -> None:
    """Save every DIRECTORY/*.md runbook as a new version, all or nothing."""
    outcome = _or_click_error(lambda: import_directory(_user(author), directory))
    for name, what in outcome.items():
        click.echo(f"{name}: {what}")
    click.echo(f"Imported {len(outcome)} file(s).")


@click.command("demo")
@with_appcontext
def demo_command() -> None:
    """Create the demo account and a demo incident once, and say how to log in."""
    user = find_user(DEMO_USERNAME) or create_user(
        DEMO_USERNAME, DEMO_PASSWORD, "Demo Responder", admin=True
    )
    incident = db.session.scalar(select(Incident).where(Incident.title == DEMO_INCIDENT.title))
    if incident is None:
        incident = declare_incident(user, DEMO_INCIDENT)
    finished = db.session.scalar(select(Incident).where(Incident.title == FINISHED.title))
    if finished is None:
        finished = seed_finished_incident(user)
    click.echo(
        f"Demo login: username '{DEMO_USERNAME}', password '{DEMO_PASSWORD}'. "
        f"Demo incident: {incident.reference} at /incidents/{incident.id}; a finished one "
        f"with its post-mortem: /incidents/{finished.id}/postmortem"
    )


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(incidents)
    app.cli.add_command(teams)
    app.cli.add_command(services)
    app.cli.add_command(runbooks)
    app.cli.add_command(demo_command)
