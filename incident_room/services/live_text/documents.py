"""A live document's stored state: a snapshot plus the updates stored since, loaded into a
pycrdt `Doc` whenever it is needed.

Nothing is kept in a worker's memory between events: every worker reads the same rows, so
any worker can serve any editor, and a restart (or kill -9) loses nothing that was
committed. Writes happen inside `run_change`, under the incident's lock, so the updates of
one document are stored in the order they were applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from pycrdt import Doc, Text
from sqlalchemy import delete, insert, select

from ...clock import now
from ...errors import DomainError, invalid
from ...extensions import db
from ...models import LiveTextDocument, LiveTextUpdate, User
from .policy import COMPACT_EVERY

TEXT = "text"
# Built once: constructing a statement costs more than SQLite takes to run it.
_INSERT_UPDATE = insert(LiveTextUpdate)


@dataclass(frozen=True)
class Burst:
    """The converged text of a burst of live editing and who typed in it (in order)."""

    text: str
    authors: list[User]


def find_document(incident_id: int, stored_name: str) -> LiveTextDocument | None:
    return db.session.scalar(
        select(LiveTextDocument).filter_by(incident_id=incident_id, name=stored_name)
    )


def loaded(document: LiveTextDocument) -> Doc:
    """The document as it is stored now: its snapshot and the updates after it."""
    doc = Doc()
    doc.apply_update(document.snapshot)
    updates = db.session.scalars(
        select(LiveTextUpdate.data)
        .where(LiveTextUpdate.document_id == document.id)
        .order_by(LiveTextUpdate.id)
    )
    for update in updates:
        doc.apply_update(update)
    return doc


def text_of(doc: Doc) -> str:
    return str(doc.get(TEXT, type=Text))


def create_document(
    incident_id: int, stored_name: str, text: str, version: int
) -> LiveTextDocument:
    """A new document holding the record's text: only the server ever writes it, once
    (the unique name and the incident's lock see to that)."""
    doc = Doc()
    doc.get(TEXT, type=Text).insert(0, text)
    document = LiveTextDocument(
        incident_id=incident_id,
        name=stored_name,
        snapshot=doc.get_update(),
        updates_since_compaction=0,
        record_version=version,
        burst_authors=[],
    )
    db.session.add(document)
    db.session.flush()
    return document


def missing_from(doc: Doc, state_vector: bytes) -> bytes:
    """Everything `doc` holds that a peer with `state_vector` lacks."""
    try:
        return doc.get_update(state_vector)
    except ValueError:
        raise invalid("state_vector", "state_vector is not a Yjs state vector.") from None


def apply_update(document: LiveTextDocument, data: bytes, author: User) -> None:
    """Apply an editor's update and store it, opening or extending the burst; refused
    (nothing stored) when it is not an update or makes the document too large."""
    doc = loaded(document)
    try:
        doc.apply_update(data)
    except ValueError:
        raise invalid("update", "update is not a Yjs update.") from None
    _check_size(doc)
    _store(document, doc, data, author)
    at = now()
    if document.burst_started_at is None:
        document.burst_started_at = at
        document.burst_authors = []
    document.last_update_at = at
    if author.id not in document.burst_authors:
        document.burst_authors = [*document.burst_authors, author.id]


def _check_size(doc: Doc) -> None:
    config = current_app.config
    limit = config["MAX_TEXT_LENGTH"]
    if len(text_of(doc)) > limit:
        raise DomainError(
            "too_large", f"The text is limited to {limit} characters.", field="update"
        )
    if len(doc.get_update()) > config["LIVE_TEXT_MAX_DOCUMENT_BYTES"]:
        raise DomainError(
            "too_large", "This document's editing history is too large.", field="update"
        )


def write_text(document: LiveTextDocument, text: str, version: int, author: User | None) -> None:
    """Make the document's text `text` (the record's, after an edit that did not come
    through live text), as the smallest update: open editors merge it with their own."""
    doc = loaded(document)
    current = text_of(doc)
    document.record_version = version
    if current == text:
        return
    start = _common_prefix(current, text)
    end = _common_prefix(current[start:][::-1], text[start:][::-1])
    before = doc.get_state()
    shared = doc.get(TEXT, type=Text)
    # pycrdt counts text positions in UTF-8 bytes.
    at = len(current[:start].encode())
    with doc.transaction():
        removed = current[start : len(current) - end]
        if removed:
            del shared[at : at + len(removed.encode())]
        if added := text[start : len(text) - end]:
            shared.insert(at, added)
    _store(document, doc, doc.get_update(before), author)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _store(document: LiveTextDocument, doc: Doc, data: bytes, author: User | None) -> None:
    # A plain INSERT, not through the ORM's unit of work: this runs once a keystroke.
    db.session.execute(
        _INSERT_UPDATE,
        {
            "document_id": document.id,
            "data": data,
            "user_id": author.id if author else None,
            "at": now(),
        },
    )
    document.updates_since_compaction += 1
    if document.updates_since_compaction >= COMPACT_EVERY:
        _compact(document, doc)


def _compact(document: LiveTextDocument, doc: Doc) -> None:
    """Fold every stored update into the snapshot, so loading stays cheap (`doc` holds
    them all: it was loaded under the incident's lock, which this transaction still has)."""
    db.session.flush()
    document.snapshot = doc.get_update()
    document.updates_since_compaction = 0
    db.session.execute(delete(LiveTextUpdate).where(LiveTextUpdate.document_id == document.id))


def settle(document: LiveTextDocument, commit: Callable[[Burst], int]) -> None:
    """Commit the open burst, if there is one, through `commit` (its record's own way of
    making a revision, which answers the record's version), and note the version the
    document now matches."""
    if (burst := _take_burst(document)) is not None:
        document.record_version = commit(burst)


def settled_document(
    incident_id: int, stored_name: str, commit: Callable[[Burst], int]
) -> LiveTextDocument | None:
    """The document, its open burst committed first (`settle`); None when there is none."""
    document = find_document(incident_id, stored_name)
    if document is not None:
        settle(document, commit)
    return document


def _take_burst(document: LiveTextDocument) -> Burst | None:
    """The open burst (its converged text and authors), closed; None when there is none."""
    if document.burst_started_at is None:
        return None
    authors = [db.session.get(User, user_id) for user_id in document.burst_authors]
    burst = Burst(text_of(loaded(document)), [user for user in authors if user is not None])
    document.burst_started_at = None
    document.last_update_at = None
    document.burst_authors = []
    return burst
