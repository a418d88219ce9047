"""The post-mortem as PDF: HTML from templates/postmortem/print.html and the evidence images
it shows, rendered by WeasyPrint in a worker process (started ahead, exports/spare_worker.py)
with a time limit, a memory limit and a locked url_fetcher."""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from flask import current_app, render_template

from ..errors import DomainError
from ..wire.postmortem import PostmortemDocument
from .figures import evidence_figures, figure_images
from .outline import document_title, evidence_labels, metric_rows, outline, postmortem_status
from .render_job import PrintJob
from .spare_worker import spare_worker, stop
from .timeline_svg import key_markers, timeline_svg

log = logging.getLogger("incident_room.exports")

# Renders at once per server process; more wait their turn (briefly) or are told to retry.
MAX_CONCURRENT_RENDERS = 2
WAIT_FOR_A_RENDER_SLOT_SECONDS = 10
_render_slots = threading.BoundedSemaphore(MAX_CONCURRENT_RENDERS)


def printable(document: PostmortemDocument, max_entries: int) -> dict[str, Any]:
    """The document with its timeline cut to `max_entries` for print (the rest is counted)."""
    timeline = document["timeline"]
    if len(timeline) <= max_entries:
        return {**document, "omitted_entries": 0}
    return {
        **document,
        "timeline": timeline[:max_entries],
        "omitted_entries": len(timeline) - max_entries,
    }


def print_job(document: PostmortemDocument) -> PrintJob:
    """The print page for `document` and the evidence images it shows."""
    config = current_app.config
    document = printable(document, config["PDF_MAX_TIMELINE_ENTRIES"])
    figures = evidence_figures(document.get("evidence", []), config["PDF_MAX_EVIDENCE_IMAGES"])
    html = render_template(
        "postmortem/print.html",
        doc=document,
        title=document_title(document),
        postmortem_status=postmortem_status(document),
        parts=outline(document),
        metric_rows=metric_rows(document),
        glance_svg=timeline_svg(document),
        markers=key_markers(document),
        evidence_labels=evidence_labels(document),
        figures=figures,
    )
    return PrintJob(html, figure_images(figures))


def _run_worker(job: PrintJob) -> bytes:
    config = current_app.config
    assets = Path(current_app.static_folder or "")
    command = [
        sys.executable,
        "-m",
        "incident_room.exports.pdf_worker",
        str(assets),
        str(config["PDF_MEMORY_LIMIT_BYTES"]),
    ]
    timeout = config["PDF_RENDER_TIMEOUT_SECONDS"]
    worker = spare_worker.take(command)
    try:
        pdf, stderr = worker.communicate(job.pack(), timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(worker)
        raise DomainError(
            "too_large",
            f"The PDF took longer than {timeout} seconds to render; "
            "use the Markdown or JSON export instead.",
        ) from None
    if worker.returncode != 0:
        log.error("PDF worker failed: %s", stderr.decode(errors="replace")[-2000:])
        raise DomainError("internal", "The PDF could not be rendered; try the Markdown export.")
    return pdf


def render_pdf(job: PrintJob) -> bytes:
    if not _render_slots.acquire(timeout=WAIT_FOR_A_RENDER_SLOT_SECONDS):
        raise DomainError("rate_limited", "Other PDFs are being rendered; try again shortly.")
    try:
        return _run_worker(job)
    finally:
        _render_slots.release()
