"""Three-way merge of concurrent edits to one timeline entry.

Two people editing the same entry from the same version both keep their work when their
changes touch different fields or different words of the text; only edits that change
the same words are refused as a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


class MergeConflict(Exception):
    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


@dataclass(frozen=True)
class Hunk:
    """Base tokens [start, end) replaced by `tokens`."""

    start: int
    end: int
    tokens: tuple[str, ...]


def _tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def _hunks(base: list[str], changed: list[str]) -> list[Hunk]:
    matcher = SequenceMatcher(a=base, b=changed, autojunk=False)
    return [
        Hunk(i1, i2, tuple(changed[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def _overlap(a: Hunk, b: Hunk) -> bool:
    if a.start == a.end == b.start == b.end:
        return True  # both insert at the same place: no order is right
    return a.start < b.end and b.start < a.end


def merge_text(base: str, theirs: str, mine: str) -> str:
    """Apply both sides' changes to `base`; MergeConflict when they touch the same words."""
    if theirs in (base, mine):
        return mine
    if mine == base:
        return theirs
    base_tokens = _tokens(base)
    their_hunks = _hunks(base_tokens, _tokens(theirs))
    my_hunks = _hunks(base_tokens, _tokens(mine))
    for mine_hunk in my_hunks:
        if any(_overlap(mine_hunk, h) and mine_hunk != h for h in their_hunks):
            raise MergeConflict("text")
    hunks = sorted(set(their_hunks) | set(my_hunks), key=lambda h: (h.start, h.end))
    merged: list[str] = []
    position = 0
    for hunk in hunks:
        merged.extend(base_tokens[position : hunk.start])
        merged.extend(hunk.tokens)
        position = max(position, hunk.end)
    merged.extend(base_tokens[position:])
    return "".join(merged)


def merge_fields(
    base: dict[str, Any], current: dict[str, Any], mine: dict[str, Any]
) -> dict[str, Any]:
    """The fields after applying `mine` (only the fields the editor sent) on top of `current`."""
    merged = dict(current)
    for field, my_value in mine.items():
        base_value, current_value = base.get(field), current.get(field)
        if my_value in (base_value, current_value):
            continue
        if current_value == base_value:
            merged[field] = my_value
        elif field == "text":
            merged[field] = merge_text(base_value or "", current_value or "", my_value)
        else:
            raise MergeConflict(field)
    return merged
