"""The JSON archive of a whole incident: state, full history, the event log with its hash
chain, every evidence image (base64, with its SHA-256) and the post-mortem.

Self-contained on purpose: it is what is kept when the server is long gone, and anyone can
re-check the chain from it (each event's hash covers the previous hash and its content,
unit_of_work/chain.py)."""

from __future__ import annotations

import base64
from collections import defaultdict
from typing import Any

from sqlalchemy import select

from ..clock import iso, now
from ..extensions import db
from ..models import (
    Incident,
    IncidentEvent,
    Postmortem,
    TimelineEntry,
    TimelineRevision,
    User,
)
from ..services.checklist import checklist_state
from ..services.evidence import evidence_bytes, incident_evidence
from ..services.members import members_state
from ..services.participants import participants_state
from ..services.postmortem.draft import postmortem_document, team_parts
from ..services.roles import role_history
from ..services.timeline import ordered_entries
from ..unit_of_work.chain import GENESIS, verify_chain
from ..wire.events import event_dict
from ..wire.evidence import evidence_dict
from ..wire.incident import entry_dict, incident_dict, revision_dict
from ..wire.postmortem import postmortem_header

ARCHIVE_FORMAT = "incident-room.archive/1"


def _event_log(incident_id: int) -> list[dict[str, Any]]:
    rows = db.session.execute(
        select(IncidentEvent, User)
        .outerjoin(User, User.id == IncidentEvent.actor_id)
        .where(IncidentEvent.incident_id == incident_id)
        .order_by(IncidentEvent.seq)
    )
    return [{**event_dict(event, actor), "prev_hash": event.prev_hash} for event, actor in rows]


def _chain(incident: Incident) -> dict[str, Any]:
    report = verify_chain(incident)
    return {
        "algorithm": (
            "hash = sha256(prev_hash + '\\n' + JSON of {incident_id, seq, type, actor_id, at, "
            "data} with sorted keys, no spaces, UTF-8); the first prev_hash is the genesis"
        ),
        "genesis": GENESIS,
        "head": incident.chain_head or GENESIS,
        "events": incident.last_seq,
        "intact": report.intact,
        "broken_seq": report.broken_seq,
    }


def _evidence(incident_id: int) -> list[dict[str, Any]]:
    return [
        {
            **evidence_dict(evidence),
            "data_base64": base64.b64encode(evidence_bytes(evidence)).decode("ascii"),
        }
        for evidence in incident_evidence(incident_id)
    ]


def _timeline_with_history(incident_id: int) -> list[dict[str, Any]]:
    """Every entry, deleted ones too, each with all its revisions."""
    entries = ordered_entries(incident_id)
    revisions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    rows = db.session.scalars(
        select(TimelineRevision)
        .join(TimelineEntry, TimelineEntry.id == TimelineRevision.entry_id)
        .where(TimelineEntry.incident_id == incident_id)
        .order_by(TimelineRevision.entry_id, TimelineRevision.version)
    )
    for revision in rows:
        revisions[revision.entry_id].append(revision_dict(revision))
    return [{**entry_dict(entry), "history": revisions[entry.id]} for entry in entries]


def _postmortem_revisions(incident_id: int) -> list[dict[str, Any]]:
    revisions = db.session.scalars(
        select(Postmortem).filter_by(incident_id=incident_id).order_by(Postmortem.revision)
    )
    return [
        {
            **postmortem_header(revision),
            **team_parts(revision),
            "published_document": revision.published_document,
        }
        for revision in revisions
    ]


def incident_archive(incident: Incident) -> dict[str, Any]:
    return {
        "format": ARCHIVE_FORMAT,
        "exported_at": iso(now()),
        "incident": incident_dict(incident),
        "participants": participants_state(incident.id),
        "members": members_state(incident.id),
        "roles": role_history(incident.id),
        "checklist": checklist_state(incident.id),
        "timeline": _timeline_with_history(incident.id),
        "events": _event_log(incident.id),
        "chain": _chain(incident),
        "evidence": _evidence(incident.id),
        "postmortem": postmortem_document(incident),
        "postmortem_revisions": _postmortem_revisions(incident.id),
    }
