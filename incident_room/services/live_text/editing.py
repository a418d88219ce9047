"""What the live text events do (docs/protocol-live-text.md): open a document, apply an
editor's update, close it, and settle bursts into revisions.

The functions taking a locked `incident` run inside `run_change`; `open_document` reads
without it, so re-opening a document (after a reconnect, or on seeing an edit) takes no
lock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import or_, select

from ...clock import now
from ...errors import invalid
from ...extensions import db
from ...models import Incident, LiveTextDocument, User
from ...unit_of_work import run_change
from ..access import visible_incident
from . import documents, records
from .policy import DocumentName, burst_settled, burst_too_long, name_of_stored


@dataclass(frozen=True)
class Opened:
    """What an editor opening a document is sent: everything it lacks, the server's state
    vector, and the record's version."""

    update: bytes
    state_vector: bytes
    version: int


def open_document(actor: User, incident_id: int, name: DocumentName, state_vector: bytes) -> Opened:
    """The document for an editor with `state_vector`. Read without the incident's lock;
    only a document that must first be made, or brought back in line with its record,
    takes it (`_prepare_document`)."""
    opened = _read_document(visible_incident(actor, incident_id), name, state_vector)
    if opened is None:
        run_change(incident_id, actor, lambda incident: _prepare_document(incident, name))
        opened = _read_document(visible_incident(actor, incident_id), name, state_vector)
    return opened


def _read_document(incident: Incident, name: DocumentName, state_vector: bytes) -> Opened | None:
    record = records.record_of(incident, name)
    document = documents.find_document(incident.id, record.stored_name)
    if document is None or _behind(document, record):
        return None
    doc = documents.loaded(document)
    return Opened(documents.missing_from(doc, state_vector), doc.get_state(), record.version)


def _behind(document: LiveTextDocument, record: records.LiveRecord) -> bool:
    """The record changed without its document (no burst is open, so the document should
    match it): a change made before live text existed, or by a path that never opened it."""
    return document.burst_started_at is None and document.record_version != record.version


def _prepare_document(incident: Incident, name: DocumentName) -> None:
    """Make the document from its record's text, or bring it in line with the record."""
    record = records.record_of(incident, name)
    document = documents.find_document(incident.id, record.stored_name)
    if document is None:
        documents.create_document(incident.id, record.stored_name, record.text, record.version)
    elif _behind(document, record):
        documents.write_text(document, record.text, record.version, None)


def _open_document(incident: Incident, name: DocumentName) -> LiveTextDocument:
    document = documents.find_document(incident.id, records.writable_name(incident, name))
    if document is None:
        raise invalid("doc", "Open the document (live_text.open) before editing it.")
    return document


def apply_update(incident: Incident, actor: User, name: DocumentName, update: bytes) -> None:
    """Store an editor's update; a burst that has gone on too long is committed with it."""
    document = _open_document(incident, name)
    documents.apply_update(document, update, actor)
    max_seconds = current_app.config["LIVE_TEXT_MAX_BURST_SECONDS"]
    if burst_too_long(document.burst_started_at, now(), max_seconds):
        _settle(incident, name, document)


def close_document(incident: Incident, name: DocumentName) -> None:
    """An editor closed the document: its burst is committed now."""
    stored_name = records.record_of(incident, name).stored_name
    documents.settled_document(incident.id, stored_name, _committer(incident, name))


def _settle(incident: Incident, name: DocumentName, document: LiveTextDocument) -> None:
    documents.settle(document, _committer(incident, name))


def _committer(incident: Incident, name: DocumentName) -> Callable[[documents.Burst], int]:
    return lambda burst: records.commit_burst(incident, name, burst)


def _settle_if_due(incident: Incident, document_id: int) -> None:
    """Re-checked under the lock, so a burst another worker settled is left alone."""
    document = db.session.get(LiveTextDocument, document_id)
    if document is None or document.burst_started_at is None:
        return
    config = current_app.config
    if burst_settled(
        document.burst_started_at,
        document.last_update_at,
        now(),
        config["LIVE_TEXT_IDLE_SECONDS"],
        config["LIVE_TEXT_MAX_BURST_SECONDS"],
    ):
        _settle(incident, name_of_stored(document.name), document)


def settle_due_bursts() -> None:
    """The background job: commit every burst idle long enough (or too long), once across
    workers (each is re-checked under its incident's lock)."""
    config = current_app.config
    at = now()
    idle = at - timedelta(seconds=config["LIVE_TEXT_IDLE_SECONDS"])
    longest = at - timedelta(seconds=config["LIVE_TEXT_MAX_BURST_SECONDS"])
    due = db.session.execute(
        select(LiveTextDocument.id, LiveTextDocument.incident_id).where(
            LiveTextDocument.burst_started_at.is_not(None),
            or_(
                LiveTextDocument.last_update_at <= idle,
                LiveTextDocument.burst_started_at <= longest,
            ),
        )
    ).all()
    for document_id, incident_id in due:
        run_change(incident_id, None, lambda incident, d=document_id: _settle_if_due(incident, d))
