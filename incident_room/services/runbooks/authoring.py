"""Writing runbooks: every save checked (service, unique alert key, size, safe Markdown, the
six sections) and kept as a version with its author and time; versions compared by diff."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select

from ...clock import now
from ...errors import DomainError, invalid, not_found
from ...extensions import db
from ...models import Runbook, RunbookVersion, Service, User
from ...unit_of_work import commits_itself
from ..catalog.services import require_service
from .markdown import render, unsafe_parts
from .policy import MAX_ALERT_KEY_CHARS, MAX_BODY_CHARS, MAX_OWNER_CHARS, STALE_AFTER_DAYS
from .structure import check_structure, require_text, sections_of

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class RunbookDraft:
    """What an author (a form, an imported file) says a runbook is."""

    service: str
    alert_key: str
    owner: str
    body: str


@dataclass(frozen=True)
class Checked:
    service: Service
    alert_key: str
    owner: str
    body: str
    warnings: list[str]


def normalised_body(body: object) -> str:
    if not isinstance(body, str):
        raise invalid("body", "Give the runbook's Markdown.")
    return body.replace("\r\n", "\n").replace("\r", "\n").strip()


def check_body(body: str) -> list[str]:
    """Refuse an oversized, unsafe or badly structured document; return its warnings."""
    if len(body) > MAX_BODY_CHARS:
        raise DomainError(
            "too_large", f"A runbook is at most {MAX_BODY_CHARS} characters.", field="body"
        )
    unsafe = unsafe_parts(body)
    if unsafe:
        raise invalid(
            "body",
            f"Runbooks are plain Markdown: remove {', '.join(unsafe[:3])}"
            " (links may be http, https or mailto).",
        )
    return check_structure(body)


def check_draft(draft: RunbookDraft, runbook: Runbook | None = None) -> Checked:
    """The draft as it would be saved, or the refusal naming what is wrong."""
    service = require_service(draft.service)
    alert_key = require_text(draft.alert_key, "alert_key", MAX_ALERT_KEY_CHARS)
    if CONTROL.search(alert_key):
        raise invalid("alert_key", "The alert key is one line of text.")
    taken = db.session.scalar(select(Runbook).where(Runbook.alert_key == alert_key))
    if taken is not None and taken is not runbook:
        raise DomainError(
            "conflict", f"Alert {alert_key!r} already has a runbook.", field="alert_key"
        )
    owner = require_text(draft.owner, "owner", MAX_OWNER_CHARS)
    if CONTROL.search(owner):
        raise invalid("owner", "The owner is one line of text.")
    body = normalised_body(draft.body)
    warnings = check_body(body)
    return Checked(service, alert_key, owner, body, warnings)


def _unchanged(runbook: Runbook, checked: Checked) -> bool:
    return (runbook.service_id, runbook.alert_key, runbook.owner, runbook.body) == (
        checked.service.id,
        checked.alert_key,
        checked.owner,
        checked.body,
    )


def _write(actor: User | None, checked: Checked, runbook: Runbook | None) -> Runbook:
    """Apply a checked draft as the next version (no commit)."""
    at = now()
    if runbook is None:
        runbook = Runbook(version=0, created_at=at)
        db.session.add(runbook)
    runbook.service_id, runbook.service = checked.service.id, checked.service
    runbook.alert_key, runbook.owner, runbook.body = (
        checked.alert_key,
        checked.owner,
        checked.body,
    )
    runbook.version += 1
    runbook.updated_at = at
    runbook.updated_by_id = actor.id if actor else None
    db.session.flush()
    db.session.add(
        RunbookVersion(
            runbook_id=runbook.id,
            number=runbook.version,
            service_id=checked.service.id,
            owner=checked.owner,
            body=checked.body,
            author_id=actor.id if actor else None,
            saved_at=at,
        )
    )
    return runbook


@commits_itself
def save_runbook(
    actor: User, draft: RunbookDraft, runbook_id: int | None = None
) -> tuple[Runbook, list[str]]:
    """Create (no id) or change a runbook as a new version; returns it with its warnings."""
    runbook = require_runbook(runbook_id) if runbook_id is not None else None
    checked = check_draft(draft, runbook)
    if runbook is None or not _unchanged(runbook, checked):
        runbook = _write(actor, checked, runbook)
    db.session.commit()
    return runbook, checked.warnings


@commits_itself
def import_runbooks(actor: User, drafts: dict[str, RunbookDraft]) -> dict[str, str]:
    """Save every draft (name -> draft) or none: name -> "created", "updated" or "unchanged".
    A refusal names the draft it came from in its `source` detail."""
    existing = {runbook.alert_key: runbook for runbook in all_runbooks()}
    checked = {}
    for name, draft in drafts.items():
        try:
            checked[name] = check_draft(draft, existing.get(draft.alert_key.strip()))
        except DomainError as error:
            db.session.rollback()
            raise DomainError(error.code, f"{name}: {error.message}", source=name) from None
    keys = [item.alert_key for item in checked.values()]
    duplicate = next((key for key in keys if keys.count(key) > 1), None)
    if duplicate is not None:
        raise DomainError("conflict", f"Two files are for alert {duplicate!r}.", field="alert_key")
    outcome = {}
    for name, item in checked.items():
        runbook = existing.get(item.alert_key)
        if runbook is not None and _unchanged(runbook, item):
            outcome[name] = "unchanged"
            continue
        _write(actor, item, runbook)
        outcome[name] = "updated" if runbook is not None else "created"
    db.session.commit()
    return outcome


def require_runbook(runbook_id: object) -> Runbook:
    runbook = db.session.get(Runbook, runbook_id) if isinstance(runbook_id, int) else None
    if runbook is None:
        raise not_found("runbook")
    return runbook


def all_runbooks() -> list[Runbook]:
    return list(
        db.session.scalars(select(Runbook).join(Service).order_by(Service.name, Runbook.alert_key))
    )


def runbook_for_alert(alert_key: str) -> Runbook | None:
    return db.session.scalar(select(Runbook).where(Runbook.alert_key == alert_key))


def versions_of(runbook: Runbook) -> list[RunbookVersion]:
    return list(
        db.session.scalars(
            select(RunbookVersion)
            .where(RunbookVersion.runbook_id == runbook.id)
            .order_by(RunbookVersion.number.desc())
        )
    )


def version_of(runbook: Runbook, number: object, field: str) -> RunbookVersion:
    found = None
    if isinstance(number, int):
        found = db.session.scalar(
            select(RunbookVersion).where(
                RunbookVersion.runbook_id == runbook.id, RunbookVersion.number == number
            )
        )
    if found is None:
        raise DomainError("not_found", "No such version of this runbook.", field=field)
    return found


def _as_text(version: RunbookVersion) -> list[str]:
    return [f"Owner: {version.owner}", "", *version.body.splitlines()]


def diff_lines(older: RunbookVersion, newer: RunbookVersion) -> list[str]:
    """A unified diff of two versions (owner line, then the Markdown)."""
    return list(
        difflib.unified_diff(
            _as_text(older),
            _as_text(newer),
            f"version {older.number}",
            f"version {newer.number}",
            lineterm="",
        )
    )


def stale_after() -> timedelta:
    return timedelta(days=current_app.config.get("RUNBOOK_STALE_DAYS") or STALE_AFTER_DAYS)


def note_alert_condition(runbook: Runbook, condition: str) -> None:
    """Remember the condition its alert last arrived with (inside the alert's change)."""
    runbook.alert_condition = condition


def _quotes(symptom: str, condition: str) -> bool:
    return " ".join(condition.split()) in " ".join(symptom.split())


def stale_reason(runbook: Runbook, at: datetime) -> str | None:
    """Why the runbook may no longer match its service, or None."""
    if runbook.updated_at <= at - stale_after():
        return f"not updated for {stale_after().days} days"
    condition = runbook.alert_condition
    if condition and not _quotes(sections_of(runbook.body).get("symptom", ""), condition):
        return f"the alert now fires on {condition!r}, which its Symptom does not quote"
    return None


def stale_runbooks(at: datetime) -> list[tuple[Runbook, str]]:
    """Stale runbooks with the reason, the longest-unchanged first."""
    reasons = ((runbook, stale_reason(runbook, at)) for runbook in all_runbooks())
    found = [(runbook, reason) for runbook, reason in reasons if reason]
    return sorted(found, key=lambda pair: pair[0].updated_at)


def preview(body: object) -> dict[str, object]:
    """What the editor shows while typing: the HTML, warnings, and the refusal a save would
    meet (None when it would save)."""
    text = normalised_body(body)
    html = render(text[:MAX_BODY_CHARS])
    try:
        warnings, problem = check_body(text), None
    except DomainError as error:
        warnings, problem = [], error.to_dict()
    return {"html": html, "warnings": warnings, "problem": problem}


def find_runbooks(words: str, limit: int = 10) -> list[Runbook]:
    """Runbooks whose alert key, service or text holds every word given."""
    query = select(Runbook).join(Service)
    for word in words.split()[:8]:
        word = word.lower()
        query = query.where(
            db.or_(
                db.func.lower(Runbook.alert_key).contains(word, autoescape=True),
                Service.name.contains(word, autoescape=True),
                db.func.lower(Runbook.body).contains(word, autoescape=True),
            )
        )
    return list(db.session.scalars(query.order_by(Runbook.alert_key).limit(limit)))
