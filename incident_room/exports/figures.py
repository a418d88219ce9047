"""The evidence images a PDF shows: numbered E1, E2, ... as the timeline cites them, and
their stored bytes, read on the server and handed to the worker with the page (the
worker's fetcher serves them as `evidence:<n>`, exports/print_images.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..extensions import db
from ..models import Evidence
from ..services.evidence import evidence_bytes
from .print_images import SCHEME


@dataclass(frozen=True)
class Figure:
    number: int
    evidence: dict[str, Any]

    @property
    def src(self) -> str:
        return f"{SCHEME}:{self.number}"


def evidence_figures(evidence: list[dict[str, Any]], max_images: int) -> list[Figure]:
    """The first `max_images` evidence images of a document."""
    return [Figure(number, shown) for number, shown in enumerate(evidence[:max_images], start=1)]


def figure_images(figures: list[Figure]) -> dict[str, bytes]:
    """The stored bytes of each figure, by the URL the page asks for it under."""
    images = {}
    for figure in figures:
        stored = db.session.get(Evidence, figure.evidence["id"])
        if stored is not None:
            images[figure.src] = evidence_bytes(stored)
    return images
