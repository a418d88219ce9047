"""Percentiles and the little formatting the tables need."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds: float) -> str:
    return "-" if math.isnan(seconds) else f"{seconds * 1000:.1f}"


def ratio(ours: float, bare: float) -> str:
    if math.isnan(ours) or math.isnan(bare) or bare <= 0:
        return "-"
    return f"{ours / bare:.2f}x"


def percent(part: float, whole: float) -> str:
    return "-" if whole <= 0 else f"{100 * part / whole:.0f}%"


def mib(size: float) -> str:
    return f"{size / 2**20:.1f} MiB"


def kib(size: float) -> str:
    return f"{size / 1024:.1f} KiB"


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table, columns padded so it also reads well in a terminal."""
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
