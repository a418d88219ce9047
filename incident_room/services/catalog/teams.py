"""Teams and their members; a team admin manages the team's schedules and policies."""

from __future__ import annotations

from sqlalchemy import select

from ...errors import DomainError, invalid
from ...extensions import db
from ...models import Team, TeamMember, User
from ...unit_of_work import commits_itself

MAX_TEAM_NAME = 100


def team_named(name: str) -> Team | None:
    return db.session.scalar(select(Team).where(Team.name == name.strip()))


def require_team(team_id: object) -> Team:
    """The team with this id, or `invalid` naming the field."""
    team = db.session.get(Team, team_id) if isinstance(team_id, int) else None
    if team is None:
        raise invalid("team_id", "No such team.")
    return team


def teams_administered_by(user: User) -> list[Team]:
    """The teams whose schedules and policies `user` may change (all, for an admin)."""
    query = select(Team).order_by(Team.name)
    if not user.is_admin:
        query = query.join(TeamMember).where(
            TeamMember.user_id == user.id, TeamMember.is_admin.is_(True)
        )
    return list(db.session.scalars(query))


@commits_itself
def create_team(name: str, leadership_contact: str = "") -> Team:
    name = name.strip()
    if not name or len(name) > MAX_TEAM_NAME:
        raise invalid("name", f"Give the team a name of up to {MAX_TEAM_NAME} characters.")
    if team_named(name) is not None:
        raise invalid("name", f"There is already a team called {name!r}.")
    team = Team(name=name, leadership_contact=leadership_contact.strip()[:200])
    db.session.add(team)
    db.session.commit()
    return team


@commits_itself
def add_team_member(team: Team, user: User, admin: bool = False) -> TeamMember:
    """Put `user` on `team` (or change whether they are its admin)."""
    member = db.session.get(TeamMember, (team.id, user.id))
    if member is None:
        member = TeamMember(team_id=team.id, user_id=user.id)
        db.session.add(member)
    member.is_admin = admin
    db.session.commit()
    return member


@commits_itself
def remove_team_member(team: Team, user: User) -> None:
    member = db.session.get(TeamMember, (team.id, user.id))
    if member is None:
        raise DomainError("not_found", f"{user.display_name} is not on {team.name}.")
    db.session.delete(member)
    db.session.commit()


def team_members(team_id: int) -> list[TeamMember]:
    return list(
        db.session.scalars(
            select(TeamMember).where(TeamMember.team_id == team_id).order_by(TeamMember.added_at)
        )
    )


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))
