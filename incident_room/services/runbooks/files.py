"""Runbooks as files, for review in pull requests: one Markdown file per runbook with front
matter (service, alert key, owner, last updated), written by export and read by import."""

from __future__ import annotations

import re
from pathlib import Path

from ...errors import DomainError
from ...models import Runbook, User
from .authoring import RunbookDraft, all_runbooks, import_runbooks
from .policy import MAX_BODY_CHARS

FENCE = "---"
# Front matter keys import reads; last_updated and version are for readers, set by saving.
FIELDS = ("service", "alert_key", "owner")
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
# A file this many bytes or more cannot hold a runbook the size cap allows.
MAX_FILE_BYTES = MAX_BODY_CHARS * 4 + 4096


def file_text(runbook: Runbook) -> str:
    """The runbook as one Markdown file with front matter."""
    head = [
        FENCE,
        f"service: {runbook.service.name}",
        f"alert_key: {runbook.alert_key}",
        f"owner: {runbook.owner}",
        f"last_updated: {runbook.updated_at.isoformat()}",
        f"version: {runbook.version}",
        FENCE,
    ]
    return "\n".join(head) + "\n\n" + runbook.body + "\n"


def draft_from_text(text: str, name: str) -> RunbookDraft:
    """A file's front matter and Markdown as a draft, or `invalid` saying what is missing."""
    lines = text.replace("\r\n", "\n").split("\n")
    if not lines or lines[0].strip() != FENCE or FENCE not in (x.strip() for x in lines[1:]):
        raise DomainError("invalid", f"{name}: no front matter (a '---' block) at the top.")
    end = next(i for i, line in enumerate(lines[1:], start=1) if line.strip() == FENCE)
    fields = {}
    for line in lines[1:end]:
        key, colon, value = line.partition(":")
        if colon:
            fields[key.strip()] = value.strip()
    missing = [field for field in FIELDS if not fields.get(field)]
    if missing:
        raise DomainError("invalid", f"{name}: the front matter has no {', '.join(missing)}.")
    return RunbookDraft(
        fields["service"], fields["alert_key"], fields["owner"], "\n".join(lines[end + 1 :])
    )


def _file_name(runbook: Runbook, taken: set[str]) -> str:
    name = UNSAFE_NAME.sub("-", runbook.alert_key).strip("-.") or "runbook"
    if name.lower() in taken:
        name = f"{name}-{runbook.id}"
    taken.add(name.lower())
    return f"{name}.md"


def export_directory(directory: Path) -> list[Path]:
    """Write every runbook into `directory` (made if missing); returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    taken: set[str] = set()
    written = []
    for runbook in all_runbooks():
        path = directory / _file_name(runbook, taken)
        path.write_text(file_text(runbook), encoding="utf-8")
        written.append(path)
    return written


def _read(path: Path) -> str:
    if path.is_symlink() or not path.is_file():
        raise DomainError("invalid", f"{path.name}: not a regular file (links are not followed).")
    if path.stat().st_size >= MAX_FILE_BYTES:
        raise DomainError("too_large", f"{path.name}: too large for a runbook.")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DomainError("invalid", f"{path.name}: not UTF-8 text.") from None


def import_directory(actor: User, directory: Path) -> dict[str, str]:
    """Import every *.md file of `directory`, all or nothing: file name -> what happened."""
    if not directory.is_dir():
        raise DomainError("not_found", f"No directory {directory}.")
    paths = sorted(directory.glob("*.md"))
    drafts = {path.name: draft_from_text(_read(path), path.name) for path in paths}
    return import_runbooks(actor, drafts)
