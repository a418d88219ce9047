"""Whether an incident owes a post-mortem: decided at the all-clear by the playbook's rules,
with the reasons kept, and the Incident Commander's own call on top (ask for one, or waive
a required one with a reason)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_, select

from ...clock import now
from ...errors import DomainError, invalid
from ...extensions import db
from ...models import Incident, PostmortemRequirement, PresenceInterval, User
from ...policy import (
    POSTMORTEM_ALWAYS_SEVERITIES,
    POSTMORTEM_ENGINEERING_TIME,
    POSTMORTEM_IF_CUSTOMER_IMPACT,
    RECURRENCE_WINDOW_DAYS,
    RECURRING_SEV3_COUNT,
    RECURRING_SEVERITY,
    spoken,
)
from ...unit_of_work import EventType
from ...wire.incident import entry_dict
from ...wire.postmortem import Reason, RequirementView, requirement_view
from ..roles import is_commander
from ..status_page.incidents import is_public
from ..timeline import NewEntry, latest_update_for, write_entry
from .workspace import record_postmortem_event, require_postmortem

Interval = tuple[datetime, datetime]
CAUSE_TAG = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")


def _merged_length(intervals: list[Interval]) -> timedelta:
    """The time covered by `intervals`, counting overlaps (two tabs) once."""
    total = timedelta()
    end: datetime | None = None
    for start, stop in sorted(intervals):
        if end is not None and start < end:
            start = end
        if stop > start:
            total += stop - start
            end = stop
    return total


def engineering_time(incident: Incident, until: datetime) -> timedelta:
    """Each participant's time in the room while the incident was open (declared to
    `until`), summed over participants."""
    stays = db.session.scalars(
        select(PresenceInterval).where(
            PresenceInterval.incident_id == incident.id,
            PresenceInterval.joined_at < until,
            or_(
                PresenceInterval.left_at.is_(None), PresenceInterval.left_at > incident.declared_at
            ),
        )
    )
    per_user: dict[int, list[Interval]] = {}
    for stay in stays:
        start = max(stay.joined_at, incident.declared_at)
        stop = min(stay.left_at or until, until)
        per_user.setdefault(stay.user_id, []).append((start, stop))
    return sum((_merged_length(spans) for spans in per_user.values()), timedelta())


def recurrence_window() -> timedelta:
    days = current_app.config.get("POSTMORTEM_RECURRENCE_WINDOW_DAYS") or RECURRENCE_WINDOW_DAYS
    return timedelta(days=days)


def _recurring_count(incident: Incident) -> int:
    """SEV3s of the same service or alert key within the window, this one included."""
    same_cause = []
    if incident.service_id is not None:
        same_cause.append(Incident.service_id == incident.service_id)
    if incident.alert_key:
        same_cause.append(Incident.alert_key == incident.alert_key)
    if not same_cause:
        return 1
    earlier = db.session.scalars(
        select(Incident.id).where(
            Incident.id != incident.id,
            Incident.severity == RECURRING_SEVERITY,
            Incident.drill.is_(False),
            Incident.declared_at >= incident.declared_at - recurrence_window(),
            Incident.declared_at <= incident.declared_at,
            or_(*same_cause),
        )
    )
    return 1 + len(list(earlier))


def _customer_impact(incident: Incident) -> bool:
    """Customers were affected and told: the incident was on the public status page, or an
    update for it was posted."""
    return is_public(incident) or latest_update_for(incident.id, "status_page") is not None


def _ordinal(number: int) -> str:
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number % 100 not in (11, 12, 13) else 0)
    return f"{number}{suffix or 'th'}"


def rules_in_words() -> str:
    """The playbook's rules, said once for the page that explains a decision."""
    return (
        f"Every {', '.join(POSTMORTEM_ALWAYS_SEVERITIES)}; every "
        f"{', '.join(POSTMORTEM_IF_CUSTOMER_IMPACT)} with customer impact; more than "
        f"{spoken(POSTMORTEM_ENGINEERING_TIME)} of engineering time; the "
        f"{_ordinal(RECURRING_SEV3_COUNT)} {RECURRING_SEVERITY} of one service, alert key or "
        f"cause tag within {recurrence_window().days} days."
    )


def required_because(incident: Incident, worked: timedelta) -> list[Reason]:
    """The playbook's rules that apply to `incident`, each said in a sentence."""
    reasons: list[Reason] = []
    severity = incident.severity
    if severity in POSTMORTEM_ALWAYS_SEVERITIES:
        reasons.append({"code": "severity", "message": f"Every {severity} gets a post-mortem."})
    if severity in POSTMORTEM_IF_CUSTOMER_IMPACT and _customer_impact(incident):
        reasons.append(
            {
                "code": "customer_impact",
                "message": f"A {severity} with customer impact: the status page was updated.",
            }
        )
    if worked > POSTMORTEM_ENGINEERING_TIME:
        hours = worked.total_seconds() / 3600
        reasons.append(
            {
                "code": "engineering_time",
                "message": f"It took {hours:.1f} hours of engineering time, more than "
                f"{spoken(POSTMORTEM_ENGINEERING_TIME)}.",
            }
        )
    if severity == RECURRING_SEVERITY:
        count = _recurring_count(incident)
        if count >= RECURRING_SEV3_COUNT:
            reasons.append(
                {
                    "code": "recurring",
                    "message": f"The {_ordinal(count)} {severity} of the same service or alert key "
                    f"within {recurrence_window().days} days.",
                }
            )
    return reasons


def decide_requirement(incident: Incident) -> PostmortemRequirement:
    """At the all-clear: the decision and its reasons, kept on the incident's post-mortem."""
    worked = engineering_time(incident, now())
    reasons = required_because(incident, worked)
    decision = db.session.get(PostmortemRequirement, incident.id)
    if decision is None:
        decision = PostmortemRequirement(incident_id=incident.id)
        db.session.add(decision)
    decision.required = bool(reasons)
    decision.reasons = list(reasons)
    decision.engineering_seconds = int(worked.total_seconds())
    decision.decided_at = now()
    db.session.flush()
    return decision


def requirement_of(incident: Incident) -> RequirementView | None:
    decision = db.session.get(PostmortemRequirement, incident.id)
    return requirement_view(decision) if decision is not None else None


def _choice_text(actor: User, choice: str, reason: str | None) -> str:
    if choice == "asked":
        why = f" (reason: {reason})" if reason else ""
        return f"{actor.display_name} asked for a post-mortem although none is required{why}."
    return f"{actor.display_name} waived the required post-mortem (reason: {reason})."


def set_choice(incident: Incident, actor: User, choice: str, reason: str | None) -> dict[str, Any]:
    """The IC asks for a post-mortem the rules do not require, or waives a required one,
    saying why; either is written on the timeline and the event log."""
    if not is_commander(incident, actor):
        raise DomainError("forbidden", "Only the Incident Commander decides on the post-mortem.")
    decision = db.session.get(PostmortemRequirement, incident.id)
    if decision is None:
        raise DomainError(
            "not_found",
            "Whether a post-mortem is required is decided when the all-clear is called.",
            field="postmortem",
        )
    if choice == "waived" and not reason:
        raise invalid("reason", "Say why the required post-mortem is waived: the record keeps it.")
    if choice == "waived" and not decision.required:
        raise invalid("choice", "No post-mortem is required, so there is nothing to waive.")
    if choice == "asked" and decision.required:
        raise invalid("choice", "A post-mortem is already required.")
    if decision.choice == choice:
        return {"requirement": requirement_view(decision), "unchanged": True}
    decision.choice = choice
    decision.choice_reason = reason
    decision.choice_by = actor
    decision.choice_at = now()
    text = _choice_text(actor, choice, reason)
    return _record_decision(incident, actor, decision, text, EventType.POSTMORTEM_REQUIREMENT_SET)


def _record_decision(
    incident: Incident, actor: User, decision: PostmortemRequirement, text: str, kind: str
) -> dict[str, Any]:
    """A change to the decision: a `decision` entry on the timeline and the event `kind`."""
    db.session.flush()
    view = requirement_view(decision)
    entry = write_entry(incident, actor, NewEntry(kind="decision", text=text))
    record_postmortem_event(
        incident,
        require_postmortem(incident),
        kind,
        actor,
        {"requirement": view, "entry": entry_dict(entry)},
    )
    return {"requirement": view}


def _same_cause_count(incident: Incident, tag: str) -> int:
    """SEV3s whose post-mortem names cause `tag` within the window, this one included."""
    earlier = db.session.scalars(
        select(Incident.id)
        .join(PostmortemRequirement, PostmortemRequirement.incident_id == Incident.id)
        .where(
            Incident.id != incident.id,
            Incident.severity == RECURRING_SEVERITY,
            Incident.drill.is_(False),
            Incident.declared_at >= incident.declared_at - recurrence_window(),
            Incident.declared_at <= incident.declared_at,
            PostmortemRequirement.cause_tag == tag,
        )
    )
    return 1 + len(list(earlier))


def check_cause_tag(value: object) -> str:
    """A cause tag: a few lower-case words joined by hyphens ("expired-cert")."""
    tag = "-".join(value.lower().split()) if isinstance(value, str) else ""
    if not CAUSE_TAG.fullmatch(tag):
        raise invalid("tag", "A cause tag is 1-60 of a-z, 0-9 and hyphens, e.g. expired-cert.")
    return tag


def tag_cause(incident: Incident, actor: User, value: object) -> dict[str, Any]:
    """Name the cause in a tag, on the post-mortem; a SEV3 that makes the third with that
    cause within the window now owes a post-mortem (the reason kept)."""
    tag = check_cause_tag(value)
    require_postmortem(incident)
    decision = db.session.get(PostmortemRequirement, incident.id)
    if decision is None:
        raise DomainError(
            "not_found", "The cause is tagged once the all-clear is called.", field="postmortem"
        )
    decision.cause_tag = tag
    text = f"{actor.display_name} tagged the cause: {tag}."
    if incident.severity == RECURRING_SEVERITY and not any(
        reason["code"] == "recurring_cause" for reason in decision.reasons
    ):
        count = _same_cause_count(incident, tag)
        if count >= RECURRING_SEV3_COUNT:
            decision.required = True
            message = (
                f"The {_ordinal(count)} {RECURRING_SEVERITY} with the cause {tag} within "
                f"{recurrence_window().days} days."
            )
            decision.reasons = [*decision.reasons, {"code": "recurring_cause", "message": message}]
            text += f" {message} A post-mortem is now required."
    return _record_decision(incident, actor, decision, text, EventType.POSTMORTEM_CAUSE_TAGGED)
