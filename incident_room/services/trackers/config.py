"""The trackers admins configure: at most one per team, and one for incidents of no team.
Which tracker an incident's action items go to follows its service's team."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from ...errors import DomainError, invalid
from ...extensions import db
from ...models import Incident, IssueTracker, Service, Team, User
from ...unit_of_work import commits_itself
from .. import outbound
from ..access import require_admin
from .dialects import Dialect
from .github import GitHub
from .jira import Jira

DIALECTS: dict[str, Dialect] = {"github": GitHub(), "jira": Jira()}
KIND_LABELS = {"github": "GitHub Issues", "jira": "Jira"}
PROJECT_FORMS = {
    "github": (re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}"), "owner/repository"),
    "jira": (re.compile(r"[A-Z][A-Z0-9_]{0,49}"), "a project key such as OPS"),
}
MAX_TOKEN_LENGTH = 500


@dataclass(frozen=True)
class TrackerSettings:
    team: Team | None
    kind: str
    api_url: str
    project: str
    token: str


def _checked(settings: TrackerSettings) -> TrackerSettings:
    if settings.kind not in DIALECTS:
        raise invalid("kind", "The tracker is github or jira.")
    outbound.check_url(settings.api_url, "api_url")
    form, described = PROJECT_FORMS[settings.kind]
    if not form.fullmatch(settings.project.strip()):
        raise invalid("project", f"Give {described}.")
    token = settings.token.strip()
    if not token or len(token) > MAX_TOKEN_LENGTH or any(c.isspace() for c in token):
        raise invalid("token", "Give the API token (no spaces).")
    return TrackerSettings(
        settings.team, settings.kind, settings.api_url.strip(), settings.project.strip(), token
    )


def tracker_of_team(team_id: int | None) -> IssueTracker | None:
    team = IssueTracker.team_id.is_(None) if team_id is None else IssueTracker.team_id == team_id
    return db.session.scalar(select(IssueTracker).where(team))


@commits_itself
def configure_tracker(actor: User, settings: TrackerSettings) -> tuple[IssueTracker, str]:
    """Set (or replace) a team's tracker; returns it with a new webhook secret, shown once."""
    require_admin(actor)
    settings = _checked(settings)
    team_id = settings.team.id if settings.team else None
    tracker = tracker_of_team(team_id) or IssueTracker(team_id=team_id)
    tracker.kind, tracker.api_url = settings.kind, settings.api_url
    tracker.project, tracker.token = settings.project, settings.token
    tracker.webhook_secret = secrets.token_hex(32)
    db.session.add(tracker)
    db.session.commit()
    return tracker, tracker.webhook_secret


@commits_itself
def remove_tracker(actor: User, tracker_id: int) -> None:
    require_admin(actor)
    tracker = db.session.get(IssueTracker, tracker_id)
    if tracker is None:
        raise DomainError("not_found", "No such tracker.")
    db.session.delete(tracker)
    db.session.commit()


def all_trackers() -> list[IssueTracker]:
    return list(db.session.scalars(select(IssueTracker).order_by(IssueTracker.id)))


def tracker_for(incident: Incident) -> IssueTracker | None:
    """The tracker of the team owning the incident's service, else the one for no team."""
    team_id = None
    if incident.service_id is not None:
        team_id = db.session.scalar(select(Service.team_id).filter_by(id=incident.service_id))
    return (team_id is not None and tracker_of_team(team_id)) or tracker_of_team(None)
