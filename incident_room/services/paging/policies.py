"""Escalation policies: a team's ordered steps and ack windows, and the services that use
them. Each change commits its own transaction; nothing here is an incident's record."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ...errors import invalid, not_found
from ...extensions import db
from ...models import EscalationPolicy, EscalationStep, OnCallSchedule, Service, Team, User
from ...unit_of_work import commits_itself
from ..access import require_team_admin
from ..catalog.services import service_to_wire
from ..catalog.teams import require_team
from .policy import ACK_MINUTES_DEFAULT, ACK_MINUTES_MAX, ACK_MINUTES_OTHER, LABEL_MAX, MAX_STEPS


@dataclass(frozen=True)
class StepDraft:
    """Who a step pages: whoever is on call on `schedule_id`, or `user_id`."""

    label: str
    schedule_id: int | None = None
    user_id: int | None = None
    is_manager: bool = False


@dataclass(frozen=True)
class PolicyDraft:
    team_id: int
    name: str
    steps: tuple[StepDraft, ...]
    ack_minutes_sev1: int = ACK_MINUTES_DEFAULT["SEV1"]
    ack_minutes_sev2: int = ACK_MINUTES_DEFAULT["SEV2"]
    ack_minutes_other: int = ACK_MINUTES_OTHER


def _check_minutes(value: object, field: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= ACK_MINUTES_MAX:
        raise invalid(field, f"An ack window is 1 to {ACK_MINUTES_MAX} minutes.")
    return value


def _check_step(team: Team, step: StepDraft, index: int) -> EscalationStep:
    field = f"steps.{index}"
    label = step.label.strip()
    if not label or len(label) > LABEL_MAX:
        raise invalid(f"{field}.label", f"Name step {index + 1} (up to {LABEL_MAX} characters).")
    if (step.schedule_id is None) == (step.user_id is None):
        raise invalid(field, f"Step {index + 1} pages one schedule's on-call or one person.")
    if step.schedule_id is not None:
        schedule = db.session.get(OnCallSchedule, step.schedule_id)
        if schedule is None or schedule.team_id != team.id:
            raise invalid(f"{field}.schedule", f"Step {index + 1}: no such schedule of this team.")
    if step.user_id is not None and db.session.get(User, step.user_id) is None:
        raise invalid(f"{field}.user", f"Step {index + 1}: no such person.")
    return EscalationStep(
        position=index,
        label=label,
        schedule_id=step.schedule_id,
        user_id=step.user_id,
        is_manager=step.is_manager,
    )


@commits_itself
def create_policy(actor: User, draft: PolicyDraft) -> EscalationPolicy:
    """A new policy; `invalid` naming the field (no steps, a step naming nobody, a window
    out of range), nothing saved."""
    team = require_team(draft.team_id)
    require_team_admin(actor, team.id)
    name = draft.name.strip()
    if not name or len(name) > LABEL_MAX:
        raise invalid("name", f"Give the policy a name of up to {LABEL_MAX} characters.")
    if not draft.steps:
        raise invalid("steps", "A policy needs at least one step: who is paged first?")
    if len(draft.steps) > MAX_STEPS:
        raise invalid("steps", f"A policy has at most {MAX_STEPS} steps.")
    policy = EscalationPolicy(
        team_id=team.id,
        name=name,
        ack_minutes_sev1=_check_minutes(draft.ack_minutes_sev1, "ack_minutes_sev1"),
        ack_minutes_sev2=_check_minutes(draft.ack_minutes_sev2, "ack_minutes_sev2"),
        ack_minutes_other=_check_minutes(draft.ack_minutes_other, "ack_minutes_other"),
        steps=[_check_step(team, step, index) for index, step in enumerate(draft.steps)],
    )
    db.session.add(policy)
    db.session.commit()
    return policy


@commits_itself
def use_policy(actor: User, policy_id: int, service_name: str) -> Service:
    """Page `service_name`'s alerts through this policy (admins of both teams)."""
    policy = require_policy(policy_id)
    service = service_to_wire(actor, policy.team_id, service_name)
    service.escalation_policy_id = policy.id
    db.session.commit()
    return service


def require_policy(policy_id: int) -> EscalationPolicy:
    policy = db.session.get(EscalationPolicy, policy_id)
    if policy is None:
        raise not_found("policy")
    return policy


def all_policies() -> list[EscalationPolicy]:
    return list(db.session.scalars(select(EscalationPolicy).order_by(EscalationPolicy.name)))


def services_using(policy: EscalationPolicy) -> list[Service]:
    return list(
        db.session.scalars(
            select(Service).where(Service.escalation_policy_id == policy.id).order_by(Service.name)
        )
    )
