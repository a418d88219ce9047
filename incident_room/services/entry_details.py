"""Structured entry kinds: the fields a decision, hypothesis, action or update carries.

Each kind's fields are checked here, on the server, whatever the browser sent: unknown
fields, wrong types, owners who are not in the room and evidence from another incident are
refused with the field named (`details.owner`). Notes carry no fields.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..clock import iso
from ..errors import invalid
from ..models import Incident, TimelineEntry
from ..policy import UPDATE_AUDIENCES
from ..validation import parse_timestamp, require_choice, require_text, require_uuid
from ..wire.people import user_ref
from .accounts import resolve_user
from .participants import is_participant
from .rows import find_row_in

Parser = Callable[[Incident, Any, str], Any]


@dataclass(frozen=True)
class DetailField:
    parse: Parser
    default: Any = None


def _text(max_length: int) -> Parser:
    def parse(_: Incident, value: Any, field: str) -> str:
        return require_text({field: value}, field, max_length, empty=True)

    return parse


def _choice(*choices: str) -> Parser:
    def parse(_: Incident, value: Any, field: str) -> str:
        return require_choice({field: value}, field, choices)

    return parse


def _participant(incident: Incident, value: Any, field: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("id")
    user = resolve_user(value, field)
    if not is_participant(incident, user):
        raise invalid(field, f"{user.display_name} has not joined this incident.")
    return user_ref(user)


def _entry_of(incident: Incident, value: Any, field: str) -> str | None:
    if value is None:
        return None
    entry_id = require_uuid({field: value}, field)
    if find_row_in(incident.id, TimelineEntry, entry_id) is None:
        raise invalid(field, "No such entry in this incident.")
    return entry_id


def _time(_: Incident, value: Any, field: str) -> str | None:
    return None if value is None else iso(parse_timestamp(value, field))


HYPOTHESIS_STATUSES = ("open", "confirmed", "ruled_out")
ACTION_STATUSES = ("todo", "doing", "done")


DETAIL_FIELDS: dict[str, dict[str, DetailField]] = {
    "note": {},
    "decision": {
        "rationale": DetailField(_text(2000), ""),
        "alternatives": DetailField(_text(2000), ""),
        "decided_by": DetailField(_participant),
    },
    "hypothesis": {
        "status": DetailField(_choice(*HYPOTHESIS_STATUSES), "open"),
        "evidence_entry_id": DetailField(_entry_of),
    },
    "action": {
        "owner": DetailField(_participant),
        "status": DetailField(_choice(*ACTION_STATUSES), "todo"),
        "eta": DetailField(_time),
    },
    "update": {
        "audience": DetailField(_choice(*UPDATE_AUDIENCES), "stakeholders"),
    },
}


def parse_details(incident: Incident, kind: str, raw: Any) -> dict[str, Any]:
    """The fields `raw` sets for an entry of `kind`, checked; only those it names."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise invalid("details", "details must be an object.")
    fields = DETAIL_FIELDS.get(kind, {})
    parsed = {}
    for name, value in raw.items():
        if name not in fields:
            raise invalid(f"details.{name}", f"A {kind} entry has no field {name!r}.")
        parsed[name] = fields[name].parse(incident, value, f"details.{name}")
    return parsed


def complete_details(kind: str, details: dict[str, Any]) -> dict[str, Any]:
    """Every field of `kind`, from `details` where set and the default otherwise.

    Fields of another kind are dropped, so changing an entry's kind keeps its text and
    history (the revisions) but not fields that no longer apply.
    """
    fields = DETAIL_FIELDS.get(kind, {})
    return {name: details.get(name, field.default) for name, field in fields.items()}
