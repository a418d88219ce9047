"""The post-mortem as Markdown: the same content as the PDF, for wikis and pull requests.

User text is plain text: every character Markdown or HTML would act on is backslash-
escaped, so a renderer shows it literally (no links, images or raw HTML from users).
"""

from __future__ import annotations

import re
from typing import Any

from ..wire.postmortem import PostmortemDocument
from .formatting import format_duration, format_field_value, format_stamp, format_time
from .outline import (
    document_title,
    evidence_labels,
    metric_rows,
    outline,
    person,
    postmortem_status,
    role_label,
    status_label,
)

SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&])")
# A line starting "- ", "+ ", "= " or "1. " would become a list or a heading underline.
LINE_START_MARKER = re.compile(r"^(\s*\d*)([-+=.)])", re.MULTILINE)
NOT_WRITTEN = "_Not written yet._"


def escape_text(text: str) -> str:
    """Plain text that Markdown renders literally."""
    escaped = SPECIAL.sub(r"\\\1", text)
    return LINE_START_MARKER.sub(r"\1\\\2", escaped)


def escape_cell(text: str) -> str:
    """Plain text for one table cell; line breaks become <br>."""
    return escape_text(text).replace("\r\n", "\n").replace("\n", "<br>")


def _table(headings: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _paragraphs(text: str) -> list[str]:
    if not text.strip():
        return [NOT_WRITTEN, ""]
    return [escape_text(text).replace("\n", "  \n"), ""]


def _section(section: dict[str, Any], level: str = "##") -> list[str]:
    return [f"{level} {section['label']}", "", *_paragraphs(section["text"])]


def _head(document: PostmortemDocument) -> list[str]:
    incident, metrics = document["incident"], document["metrics"]
    return [
        f"# {escape_text(document_title(document))}",
        "",
        f"**Severity** {incident['severity'] or 'Unclassified'} · "
        f"**Status** {status_label(incident['status'])} · "
        f"**Post-mortem** {postmortem_status(document)} · "
        f"**Owner** {escape_text(person(incident['postmortem_owner'], 'not named'))}",
        "",
        f"**Declared** {format_time(metrics['declared_at'])} · "
        f"**Resolved** {format_time(metrics['resolved_at'])} · "
        f"**Duration** {format_duration(metrics['duration'])}",
        "",
    ]


def _history(title: str, history: list[dict[str, Any]], label: Any) -> list[str]:
    rows = [
        [format_stamp(h["at"]), label(h["from"]), label(h["to"]), escape_cell(person(h["actor"]))]
        for h in history
    ]
    return [f"### {title}", "", *_table(["Time (UTC)", "From", "To", "By"], rows)]


def _glance(document: PostmortemDocument) -> list[str]:
    metrics = document["metrics"]
    status_rows = [[d["label"], format_duration(d["seconds"])] for d in metrics["status_durations"]]
    severity_rows = [
        [d["label"], format_duration(d["seconds"])] for d in metrics["severity_durations"]
    ]
    return [
        "## At a glance",
        "",
        *_table(["Metric", "Value"], [list(row) for row in metric_rows(document)]),
        "### Time in each status",
        "",
        *_table(["Status", "Time"], status_rows),
        "### Time in each severity",
        "",
        *_table(["Severity", "Time"], severity_rows),
        *_history("Severity history", document["severity_history"], lambda s: s or "—"),
        *_history("Status history", document["status_history"], status_label),
    ]


def _timeline(document: PostmortemDocument) -> list[str]:
    labels = evidence_labels(document)
    rows = [
        [
            format_stamp(entry["occurred_at"]),
            entry["kind"],
            escape_cell(entry["text"]),
            escape_cell(person(entry["author"], "Incident Room")),
            ", ".join(labels.get(entry["id"], [])) or "—",
        ]
        for entry in document["timeline"]
    ]
    return ["## Timeline", "", *_table(["Time (UTC)", "Kind", "Entry", "By", "Evidence"], rows)]


def _stamp_or_dash(value: str | None) -> str:
    return format_stamp(value) if value else "—"


def _record(document: PostmortemDocument) -> list[str]:
    """The decision log, hypotheses and actions taken; a table only where there are any."""
    lines: list[str] = []
    if decisions := document.get("decisions"):
        rows = [
            [
                format_stamp(d["at"]),
                escape_cell(d["decision"]),
                escape_cell(d["rationale"]) or "—",
                escape_cell(d["alternatives"]) or "—",
                escape_cell(person(d["decided_by"])),
            ]
            for d in decisions
        ]
        headings = ["Time (UTC)", "Decision", "Why", "Alternatives weighed", "Decided by"]
        lines += ["## Decision log", "", *_table(headings, rows)]
    if hypotheses := document.get("hypotheses"):
        rows = [
            [
                format_stamp(h["at"]),
                escape_cell(h["statement"]),
                h["status_label"],
                f"{format_stamp(h['evidence']['at'])} {escape_cell(h['evidence']['text'])}"
                if h["evidence"]
                else "—",
            ]
            for h in hypotheses
        ]
        headings = ["Time (UTC)", "Hypothesis", "Status", "Settled by"]
        lines += ["## Hypotheses", "", *_table(headings, rows)]
    if actions := document.get("actions"):
        rows = [
            [
                format_stamp(a["at"]),
                escape_cell(a["action"]),
                escape_cell(person(a["owner"])),
                a["status_label"],
                _stamp_or_dash(a["eta"]),
            ]
            for a in actions
        ]
        headings = ["Time (UTC)", "Action", "Owner", "Status", "ETA (UTC)"]
        lines += ["## Actions taken", "", *_table(headings, rows)]
    return lines


def _evidence(document: PostmortemDocument) -> list[str]:
    """Each image by number, with its entry and hash; the pixels are in the JSON export."""
    rows = [
        [
            f"E{number}",
            format_stamp(e["entry_at"]),
            escape_cell(e["entry_text"]),
            f"{e['width']} x {e['height']} {e['content_type']}",
            f"`{e['sha256']}`",
        ]
        for number, e in enumerate(document.get("evidence", []), start=1)
    ]
    if not rows:
        return []
    headings = ["#", "Entry time (UTC)", "Entry", "Image", "SHA-256"]
    return ["## Evidence", "", *_table(headings, rows)]


def _appendix(document: PostmortemDocument) -> list[str]:
    appendix = document.get("appendix")
    if not appendix:
        return []
    chain = appendix["chain"]
    lines = [
        "## Appendix: the record",
        "",
        f"Made from an event log of {chain['events']} events whose hash chain ends in "
        f"`{chain['head']}`.",
        "",
        "### Edit history",
        "",
    ]
    for edited in appendix["edits"]:
        rows = [
            [
                format_stamp(change["at"]),
                escape_cell(person(change["actor"], "Incident Room")),
                f"{change['action']} {field['field']}",
                escape_cell(format_field_value(field["before"])),
                escape_cell(format_field_value(field["after"])),
            ]
            for change in edited["changes"]
            for field in change["fields"]
        ]
        lines += [
            f"**Entry written {format_time(edited['recorded_at'])}:** "
            f"{escape_text(edited['text'])}",
            "",
            *_table(["When (UTC)", "Who", "Change", "Before", "After"], rows),
        ]
    return (
        lines if appendix["edits"] else [*lines, "No entry was changed after it was written.", ""]
    )


def _five_whys(whys: list[dict[str, Any]]) -> list[str]:
    lines = ["## Root cause: five whys", ""]
    for why in whys:
        text = escape_text(why["text"]).replace("\n", "  \n") if why["text"].strip() else "—"
        lines += [f"**{why['label']}.** {text}", ""]
    return lines


def _action_items(items: list[dict[str, Any]]) -> list[str]:
    rows = [
        [
            str(number),
            escape_cell(item["text"]),
            escape_cell(person(item["owner"])),
            item["due_on"] or "—",
            escape_cell(item["tracker_url"] or "—"),
            "; ".join(flag["message"] for flag in item["flags"]) or "—",
        ]
        for number, item in enumerate(items, start=1)
    ]
    headings = ["#", "Action", "Owner", "Due", "Tracker", "Needs"]
    return ["## Action items", "", *(_table(headings, rows) if rows else [NOT_WRITTEN, ""])]


def _people(document: PostmortemDocument) -> list[str]:
    names = ", ".join(escape_text(person(p)) for p in document["participants"])
    rows = [
        [
            role_label(held["role"]),
            escape_cell(person(held["user"])),
            format_stamp(held["started_at"]),
            format_stamp(held["ended_at"]) if held["ended_at"] else "—",
            held["how"],
        ]
        for held in document["roles"]
    ]
    return [
        "## People and roles",
        "",
        f"**Participants:** {names or '—'}",
        "",
        *_table(["Role", "Held by", "From (UTC)", "Until (UTC)", "How"], rows),
    ]


def _checklist(document: PostmortemDocument) -> list[str]:
    rows = [
        [
            escape_cell(item["text"]),
            "yes" if item["done"] else "no",
            escape_cell(person(item["done_by"])),
            format_stamp(item["done_at"]) if item["done_at"] else "—",
        ]
        for item in document["checklist"]
    ]
    return ["## Checklist record", "", *_table(["Item", "Done", "By", "At (UTC)"], rows)]


def _runbooks(document: PostmortemDocument) -> list[str]:
    """The runbooks used and their steps done; a runbook to write when the alert had none.
    (Documents published before runbooks existed have no such part.)"""
    record = document.get("runbooks") or {"used": [], "question": None, "missing": None}
    if not record["used"] and not record["missing"]:
        return []
    lines = ["## Runbooks", ""]
    for used in record["used"]:
        rows = [
            [
                escape_cell(step["text"]),
                "yes" if step["done"] else "no",
                escape_cell(person(step["done_by"])),
                format_stamp(step["done_at"]) if step["done_at"] else "—",
            ]
            for step in used["steps"]
        ]
        lines += [
            f"**{escape_text(used['title'])}** (version {used['version']}):"
            f" {used['steps_done']} of {len(used['steps'])} steps done.",
            "",
            *_table(["Step", "Done", "By", "At (UTC)"], rows),
        ]
    if record["question"]:
        lines += [f"_{escape_text(record['question'])}_", ""]
    if record["missing"]:
        lines += [f"**Suggested action item:** {escape_text(record['missing']['suggestion'])}", ""]
    return lines


def render_markdown(document: PostmortemDocument) -> str:
    parts = outline(document)
    lines = [*_head(document), *_glance(document)]
    for section in parts.opening:
        lines += _section(section)
    lines += _timeline(document)
    lines += _record(document)
    lines += _evidence(document)
    lines += _five_whys(parts.five_whys)
    for section in parts.analysis:
        lines += _section(section)
    lines += _action_items(document["action_items"])
    for section in parts.closing:
        lines += _section(section)
    lines += _people(document)
    lines += _checklist(document)
    lines += _runbooks(document)
    lines += _appendix(document)
    lines += [
        "---",
        "",
        f"_Generated by Incident Room at {format_time(document['generated_at'])}._",
    ]
    return "\n".join(lines) + "\n"
