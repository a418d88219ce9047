"""Command-line tools: `flask users create|token`, `flask incidents verify`, `flask demo`."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from .errors import DomainError
from .extensions import db
from .models import Incident
from .services.accounts import create_api_token, create_user, find_user
from .services.declare import Declaration, declare_incident
from .unit_of_work.chain import verify_chain

users = AppGroup("users", help="Manage accounts and API tokens.")
incidents = AppGroup("incidents", help="Inspect incidents.")

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
def create_user_command(username: str, password: str, display_name: str | None) -> None:
    """Create an account."""
    try:
        user = create_user(username, password, display_name)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Created {user.username} ({user.display_name}).")


@users.command("token")
@click.argument("username")
def token_command(username: str) -> None:
    """Create a personal API token (shown once) for `Authorization: Bearer`."""
    user = find_user(username)
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    click.echo(create_api_token(user))


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
    """Check an incident's tamper-evident event log; exits 1 at the first broken link."""
    incident = _incident_by_reference(reference)
    report = verify_chain(incident)
    if not report.intact:
        click.echo(
            f"{incident.reference}: chain BROKEN at event {report.broken_seq}: {report.reason}."
        )
        raise SystemExit(1)
    click.echo(f"{incident.reference}: chain intact, {report.count} events, head {report.head}.")


@click.command("demo")
def demo_command() -> None:
    """Create the demo account and a demo incident once, and say how to log in."""
    user = find_user(DEMO_USERNAME) or create_user(DEMO_USERNAME, DEMO_PASSWORD, "Demo Responder")
    incident = db.session.scalar(select(Incident).where(Incident.title == DEMO_INCIDENT.title))
    if incident is None:
        incident = declare_incident(user, DEMO_INCIDENT)
    click.echo(
        f"Demo login: username '{DEMO_USERNAME}', password '{DEMO_PASSWORD}'. "
        f"Demo incident: {incident.reference} at /incidents/{incident.id}"
    )


def register(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(incidents)
    app.cli.add_command(demo_command)
