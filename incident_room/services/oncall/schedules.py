"""Schedules in the database: read as rotation specs, who is on call for a service, and the
changes a team's admins make (each commits its own transaction; nothing here is an
incident's record)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy import select

from ...errors import invalid, not_found
from ...extensions import db
from ...models import (
    LayerPerson,
    OnCallOverride,
    OnCallSchedule,
    RotationLayer,
    Service,
    Team,
    User,
)
from ...policy import ONCALL_TIMELINE_WEEKS
from ...unit_of_work import commits_itself
from ..access import require_team_admin
from ..catalog.services import service_to_wire
from .drafts import LayerDraft
from .rotation import Layer, OnCall, Override, Region, Schedule, on_call_at, segments
from .timeline import utc_text
from .warnings import PlaybookWarning, playbook_warnings

MAX_NAME = 100


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def layer_spec(layer: RotationLayer) -> Layer:
    region = None
    if layer.region_start_minute is not None and layer.region_end_minute is not None:
        region = Region(_time(layer.region_start_minute), _time(layer.region_end_minute))
    return Layer(
        name=layer.name,
        zone=layer.zone,
        handoff_weekday=layer.handoff_weekday,
        handoff_time=_time(layer.handoff_minute),
        starts_on=layer.starts_on,
        people=tuple(person.user_id for person in layer.people),
        region=region,
    )


def override_spec(override: OnCallOverride) -> Override:
    return Override(
        override.user_id, override.starts_at, override.ends_at, override.replaces_user_id
    )


def spec_of(schedule: OnCallSchedule) -> Schedule:
    """The schedule as the pure rotation functions read it."""
    return Schedule(
        tuple(layer_spec(layer) for layer in schedule.layers),
        tuple(override_spec(override) for override in schedule.overrides),
    )


def names_of(spec: Schedule) -> dict[int, str]:
    ids = {p for layer in spec.layers for p in layer.people}
    ids |= {o.user_id for o in spec.overrides} | {
        o.replaces for o in spec.overrides if o.replaces is not None
    }
    return names_of_ids(ids)


def names_of_ids(ids: Iterable[int]) -> dict[int, str]:
    ids = set(ids)
    if not ids:
        return {}
    users = db.session.execute(select(User.id, User.display_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in users}


def require_schedule(schedule_id: int, for_update: bool = False) -> OnCallSchedule:
    """The schedule, or `not_found`; `for_update` locks its row (PostgreSQL), so two admins
    saving at once change it one after the other."""
    schedule = db.session.get(OnCallSchedule, schedule_id, with_for_update=for_update)
    if schedule is None:
        raise not_found("schedule")
    return schedule


def all_schedules() -> list[OnCallSchedule]:
    return list(
        db.session.scalars(
            select(OnCallSchedule).join(Team).order_by(Team.name, OnCallSchedule.name)
        )
    )


def services_of(schedule: OnCallSchedule) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service).where(Service.schedule_id == schedule.id).order_by(Service.name)
        )
    )


def on_call_for_service(service: Service, at: datetime) -> OnCall | None:
    """Who is on call for `service` at `at`: its schedule's answer (None without one)."""
    if service.schedule_id is None:
        return None
    return on_call_at(spec_of(require_schedule(service.schedule_id)), at)


@dataclass(frozen=True)
class NowAndNext:
    now: OnCall | None
    next: OnCall | None
    next_from: datetime | None


def now_and_next(spec: Schedule, at: datetime, ahead: timedelta) -> NowAndNext:
    """Who is on call at `at`, and who takes over next (within `ahead`)."""
    parts = segments(spec, at, at + ahead)
    current = parts[0].on_call if parts else None
    following = next((part for part in parts[1:] if part.on_call is not None), None)
    return NowAndNext(
        current,
        following.on_call if following else None,
        following.starts_at if following else None,
    )


@dataclass(frozen=True)
class Proposal:
    """A proposed set of layers: what the playbook says about it, and whether it was saved."""

    warnings: list[PlaybookWarning] = field(default_factory=list)
    saved: bool = False


def _check_no_gap(spec: Schedule, at: datetime) -> None:
    """After the schedule first covers anyone, nobody may be uncovered in the weeks drawn."""
    end = at + timedelta(weeks=ONCALL_TIMELINE_WEEKS)
    parts = segments(spec, at, end)
    while parts and parts[0].on_call is None:
        parts.pop(0)
    holes = [part for part in parts if part.on_call is None]
    if holes:
        hole = holes[0]
        raise invalid(
            "layers",
            f"Nobody would be on call from {utc_text(hole.starts_at)} to "
            f"{utc_text(hole.ends_at)}: add a layer or widen a region's hours.",
        )


def propose_layers(
    schedule: OnCallSchedule, drafts: list[LayerDraft], at: datetime
) -> tuple[Schedule, list[PlaybookWarning]]:
    """The schedule with these layers (and its overrides), checked: `invalid` on a gap,
    the playbook's warnings otherwise."""
    spec = Schedule(
        tuple(draft.layer for draft in drafts),
        tuple(override_spec(override) for override in schedule.overrides),
    )
    _check_no_gap(spec, at)
    names: dict[int, str] = {}
    for draft in drafts:
        names.update(draft.names)
    return spec, playbook_warnings(spec, names)


@commits_itself
def save_layers(
    actor: User, schedule_id: int, drafts: list[LayerDraft], confirmed: bool, at: datetime
) -> Proposal:
    """Replace the schedule's layers; with playbook warnings only once `confirmed`."""
    schedule = require_schedule(schedule_id, for_update=True)
    require_team_admin(actor, schedule.team_id)
    _, warnings = propose_layers(schedule, drafts, at)
    if warnings and not confirmed:
        db.session.rollback()
        return Proposal(warnings, saved=False)
    schedule.layers.clear()
    db.session.flush()
    for position, draft in enumerate(drafts):
        layer = draft.layer
        schedule.layers.append(
            RotationLayer(
                position=position,
                name=layer.name,
                zone=layer.zone,
                handoff_weekday=layer.handoff_weekday,
                handoff_minute=_minutes(layer.handoff_time),
                starts_on=layer.starts_on,
                region_start_minute=_minutes(layer.region.start) if layer.region else None,
                region_end_minute=_minutes(layer.region.end) if layer.region else None,
                people=[
                    LayerPerson(position=index, user_id=user_id)
                    for index, user_id in enumerate(layer.people)
                ],
            )
        )
    schedule.updated_at = at
    db.session.commit()
    return Proposal(warnings, saved=True)


@commits_itself
def create_schedule(actor: User, team_id: object, name: str) -> OnCallSchedule:
    team = db.session.get(Team, team_id) if isinstance(team_id, int) else None
    if team is None:
        raise invalid("team_id", "No such team.")
    require_team_admin(actor, team.id)
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise invalid("name", f"Give the schedule a name of up to {MAX_NAME} characters.")
    schedule = OnCallSchedule(team_id=team.id, name=name)
    db.session.add(schedule)
    db.session.commit()
    return schedule


@commits_itself
def add_override(actor: User, schedule_id: int, override: Override) -> OnCallOverride:
    """`override.user_id` covers its window; refused when it overlaps another override."""
    schedule = require_schedule(schedule_id, for_update=True)
    require_team_admin(actor, schedule.team_id)
    for other in schedule.overrides:
        if other.starts_at < override.ends_at and override.starts_at < other.ends_at:
            raise invalid(
                "starts_at",
                f"It overlaps the override of {other.user.display_name} from "
                f"{utc_text(other.starts_at)} to {utc_text(other.ends_at)}.",
            )
    row = OnCallOverride(
        schedule_id=schedule.id,
        user_id=override.user_id,
        replaces_user_id=override.replaces,
        starts_at=override.starts_at,
        ends_at=override.ends_at,
        created_by_id=actor.id,
    )
    db.session.add(row)
    db.session.commit()
    return row


@commits_itself
def remove_override(actor: User, schedule_id: int, override_id: int) -> None:
    schedule = require_schedule(schedule_id)
    require_team_admin(actor, schedule.team_id)
    override = db.session.get(OnCallOverride, override_id)
    if override is None or override.schedule_id != schedule.id:
        raise not_found("override")
    db.session.delete(override)
    db.session.commit()


@commits_itself
def link_service(actor: User, schedule_id: int, service_name: str) -> Service:
    """Page `service_name`'s on-call from this schedule (admins of both teams)."""
    schedule = require_schedule(schedule_id)
    service = service_to_wire(actor, schedule.team_id, service_name)
    service.schedule_id = schedule.id
    db.session.commit()
    return service


@commits_itself
def unlink_service(actor: User, schedule_id: int, service_id: int) -> None:
    schedule = require_schedule(schedule_id)
    require_team_admin(actor, schedule.team_id)
    service = db.session.get(Service, service_id)
    if service is None or service.schedule_id != schedule.id:
        raise not_found("service")
    service.schedule_id = None
    db.session.commit()
