"""The one-glance timeline: severity and status bands over time, key entries as numbered
markers. Drawn here as SVG (no user text but the escaped band and axis labels), so the
PDF needs no script and no fetch."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup, escape

from ..policy import KEY_TIMELINE_KINDS, STATUS_LABELS
from ..wire.postmortem import PostmortemDocument
from .formatting import parse_time

WIDTH, HEIGHT = 1000, 150
PLOT_LEFT, PLOT_RIGHT = 110, 990
SEVERITY_ROW, STATUS_ROW, MARKER_ROW, AXIS_ROW = 14, 50, 98, 136
BAND_HEIGHT = 28
MAX_MARKERS = 30
TICK_STEPS_MINUTES = (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080)
# However long the incident (entries may start weeks before it), at most this many ticks.
MAX_TICKS = 8
SEVERITY_COLOURS = {
    "SEV1": "#c62828",
    "SEV2": "#ef6c00",
    "SEV3": "#f9a825",
    "SEV4": "#1565c0",
    None: "#9e9e9e",
}
STATUS_COLOURS = {
    "declared": "#b0bec5",
    "investigating": "#ffb74d",
    "identified": "#fff176",
    "mitigated": "#aed581",
    "resolved": "#66bb6a",
}
LIGHT_TEXT_ON = {"#c62828", "#ef6c00", "#1565c0", "#9e9e9e"}


@dataclass(frozen=True)
class Marker:
    number: int
    entry: dict[str, Any]


@dataclass(frozen=True)
class Scale:
    start: datetime
    end: datetime

    def x(self, moment: datetime) -> float:
        total = (self.end - self.start).total_seconds() or 1.0
        fraction = (moment - self.start).total_seconds() / total
        return PLOT_LEFT + max(0.0, min(1.0, fraction)) * (PLOT_RIGHT - PLOT_LEFT)


def key_markers(document: PostmortemDocument) -> list[Marker]:
    """The decisions, escalations and all-clears, numbered in time order (at most 30)."""
    key = [entry for entry in document["timeline"] if entry["kind"] in KEY_TIMELINE_KINDS]
    return [Marker(number, entry) for number, entry in enumerate(key[:MAX_MARKERS], start=1)]


def _scale(document: PostmortemDocument) -> Scale:
    metrics = document["metrics"]
    start = parse_time(metrics["impact_started_at"] or metrics["declared_at"])
    end = parse_time(metrics["resolved_at"] or document["generated_at"])
    return Scale(start, max(end, start + timedelta(minutes=1)))


def _band(scale: Scale, y: int, phase: dict[str, Any], colour: str, label: str) -> str:
    left, right = scale.x(parse_time(phase["start"])), scale.x(parse_time(phase["end"]))
    width = max(right - left, 0.5)
    parts = [
        f'<rect x="{left:.1f}" y="{y}" width="{width:.1f}" height="{BAND_HEIGHT}" fill="{colour}"/>'
    ]
    if width >= len(label) * 7 + 8:
        ink = "#ffffff" if colour in LIGHT_TEXT_ON else "#1f2328"
        parts.append(
            f'<text x="{left + 4:.1f}" y="{y + 18}" fill="{ink}" font-size="12">'
            f"{escape(label)}</text>"
        )
    return "".join(parts)


def tick_step(span_minutes: float) -> int:
    """A round step giving at most MAX_TICKS ticks, or a plain fraction of a longer span."""
    fitting = (step for step in TICK_STEPS_MINUTES if span_minutes / step <= MAX_TICKS)
    return next(fitting, math.ceil(span_minutes / MAX_TICKS))


def _ticks(scale: Scale) -> str:
    step = tick_step((scale.end - scale.start).total_seconds() / 60)
    first = scale.start.replace(second=0, microsecond=0)
    first += timedelta(minutes=(-first.minute) % step if step < 60 else -first.minute)
    parts = []
    moment = first
    while moment <= scale.end:
        if moment >= scale.start:
            x = scale.x(moment)
            label = moment.strftime(
                "%H:%M" if step < 1440 else "%m-%d %H:%M" if step <= 10080 else "%Y-%m-%d"
            )
            parts.append(
                f'<line x1="{x:.1f}" y1="{SEVERITY_ROW}" x2="{x:.1f}" y2="{AXIS_ROW - 12}" '
                f'stroke="#d0d7de" stroke-width="0.6"/>'
                f'<text x="{x:.1f}" y="{AXIS_ROW}" font-size="11" fill="#57606a" '
                f'text-anchor="middle">{label}</text>'
            )
        moment += timedelta(minutes=step)
    return "".join(parts)


def _marker(scale: Scale, marker: Marker) -> str:
    x = scale.x(parse_time(marker.entry["occurred_at"]))
    return (
        f'<circle cx="{x:.1f}" cy="{MARKER_ROW}" r="8" fill="#24292f"/>'
        f'<text x="{x:.1f}" y="{MARKER_ROW + 4}" font-size="10" fill="#ffffff" '
        f'text-anchor="middle">{marker.number}</text>'
    )


def _impact_line(scale: Scale, document: dict[str, Any]) -> str:
    started = document["metrics"]["impact_started_at"]
    if not started:
        return ""
    x = scale.x(parse_time(started))
    return (
        f'<line x1="{x:.1f}" y1="{SEVERITY_ROW - 4}" x2="{x:.1f}" y2="{MARKER_ROW}" '
        f'stroke="#c62828" stroke-dasharray="3 2"/>'
    )


def _row_label(y: int, text: str) -> str:
    return f'<text x="0" y="{y}" font-size="12" fill="#1f2328">{text}</text>'


def timeline_svg(document: PostmortemDocument) -> Markup:
    """The SVG for `document`, safe to place in the print template as is."""
    scale = _scale(document)
    phases = document["phases"]
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="glance" role="img" aria-label="Severity and status over time">',
        _ticks(scale),
        _row_label(SEVERITY_ROW + 18, "Severity"),
        _row_label(STATUS_ROW + 18, "Status"),
        _row_label(MARKER_ROW + 4, "Key entries"),
    ]
    for phase in phases["severity"]:
        label = phase["value"] or "Unclassified"
        parts.append(_band(scale, SEVERITY_ROW, phase, SEVERITY_COLOURS[phase["value"]], label))
    for phase in phases["status"]:
        label = STATUS_LABELS[phase["value"]]
        parts.append(_band(scale, STATUS_ROW, phase, STATUS_COLOURS[phase["value"]], label))
    parts.append(_impact_line(scale, document))
    parts.extend(_marker(scale, marker) for marker in key_markers(document))
    parts.append("</svg>")
    return Markup("".join(parts))
