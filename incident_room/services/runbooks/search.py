"""Have we seen this before? Full-text search across runbooks and past incidents (their
title, summary and timeline): SQLite's FTS5 on the embedded default, PostgreSQL's
to_tsvector/plainto_tsquery on PostgreSQL. Both read `search_documents`, brought up to
date before each search; private incidents only show to those who may see them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, literal_column, select, text
from sqlalchemy.exc import IntegrityError

from ...clock import now
from ...extensions import db
from ...models import Incident, Runbook, SearchDocument, TimelineEntry, User
from ...unit_of_work import commits_itself
from ..access import can_view
from .policy import (
    MAX_INDEXED_CHARS,
    MAX_SEARCH_RESULTS,
    MAX_SEARCH_WORDS,
    POSTGRES_TEXT_SEARCH,
)

FTS_TABLE = "search_fts"  # SQLite only: made on first use, never in a migration
NOT_TEXT = re.compile(r"[\x00-\x1f\x7f\"]")
SNIPPET_CHARS = 80


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "runbook" or "incident"
    ref_id: int
    title: str
    url: str
    snippet: str


def _words(query: str) -> list[str]:
    return NOT_TEXT.sub(" ", query).split()[:MAX_SEARCH_WORDS]


def _sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _incident_text(incident: Incident) -> str:
    entries = db.session.scalars(
        select(TimelineEntry.text)
        .where(TimelineEntry.incident_id == incident.id, TimelineEntry.deleted.is_(False))
        .order_by(TimelineEntry.occurred_at)
    )
    return "\n".join([incident.summary or "", *entries])[:MAX_INDEXED_CHARS]


def _outdated(kind: str, model: type, version_column) -> list:
    """Rows of `model` with no document, or one read at an older version."""
    document = select(SearchDocument).where(
        SearchDocument.kind == kind,
        SearchDocument.ref_id == model.id,
        SearchDocument.source_version == version_column,
    )
    return list(db.session.scalars(select(model).where(~document.exists())))


def _put(kind: str, ref_id: int, title: str, body: str, version: int) -> None:
    document = db.session.scalar(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id == ref_id)
    )
    if document is None:
        document = SearchDocument(kind=kind, ref_id=ref_id)
        db.session.add(document)
    document.title, document.body = title[:300], body
    document.source_version, document.indexed_at = version, now()
    db.session.flush()
    if _sqlite():
        db.session.execute(text(f"DELETE FROM {FTS_TABLE} WHERE rowid = :id"), {"id": document.id})
        db.session.execute(
            text(f"INSERT INTO {FTS_TABLE}(rowid, title, body) VALUES (:id, :title, :body)"),
            {"id": document.id, "title": document.title, "body": body},
        )


@commits_itself
def refresh_index() -> None:
    """Read again every runbook and incident changed since it was indexed."""
    if _sqlite():
        db.session.execute(
            text(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body)")
        )
        db.session.commit()  # kept even if the indexing below gives way to another search
    try:
        for runbook in _outdated("runbook", Runbook, Runbook.version):
            body = f"{runbook.service.name}\n{runbook.owner}\n{runbook.body}"
            _put("runbook", runbook.id, runbook.title, body, runbook.version)
        for incident in _outdated("incident", Incident, Incident.last_seq):
            title = f"{incident.reference}: {incident.title}"
            _put("incident", incident.id, title, _incident_text(incident), incident.last_seq)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another search indexed the same documents at once


def _matching_ids(words: list[str]) -> list[int]:
    if _sqlite():
        phrase = " ".join(f'"{word}"' for word in words)  # every word, none as syntax
        rows = db.session.execute(
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :q ORDER BY rank"),
            {"q": phrase},
        )
        return [row[0] for row in rows]
    config = literal_column(f"'{POSTGRES_TEXT_SEARCH}'::regconfig")
    vector = func.to_tsvector(config, SearchDocument.title + " " + SearchDocument.body)
    query = func.plainto_tsquery(config, " ".join(words))
    return list(
        db.session.scalars(
            select(SearchDocument.id)
            .where(vector.op("@@")(query))
            .order_by(func.ts_rank(vector, query).desc(), SearchDocument.id)
        )
    )


def _snippet(body: str, words: list[str]) -> str:
    lowered = body.lower()
    found = [at for word in words if (at := lowered.find(word.lower())) >= 0]
    start = max(min(found, default=0) - SNIPPET_CHARS // 2, 0)
    part = " ".join(body[start : start + SNIPPET_CHARS * 2].split())
    return ("…" if start else "") + part + ("…" if start + SNIPPET_CHARS * 2 < len(body) else "")


def _visible(document: SearchDocument, user: User) -> bool:
    if document.kind != "incident":
        return True
    incident = db.session.get(Incident, document.ref_id)
    return incident is not None and can_view(user, incident)


def search(user: User, query: str) -> list[SearchHit]:
    """Runbooks and incidents holding every word of `query`, best first, that `user` may see."""
    words = _words(query)
    if not words:
        return []
    refresh_index()
    hits = []
    for document_id in _matching_ids(words):
        document = db.session.get(SearchDocument, document_id)
        if document is None or not _visible(document, user):
            continue
        url = f"/{'runbooks' if document.kind == 'runbook' else 'incidents'}/{document.ref_id}"
        hits.append(
            SearchHit(
                document.kind, document.ref_id, document.title, url, _snippet(document.body, words)
            )
        )
        if len(hits) == MAX_SEARCH_RESULTS:
            break
    return hits
