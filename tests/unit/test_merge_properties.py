"""The text merge, for any text and any pair of edits (Hypothesis): edits to different words
both survive; edits to the same words conflict and merge nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from incident_room.services.merge import MergeConflict, merge_text


def words(prefix: str, count: int) -> list[str]:
    """Distinct words no other side uses, so the diff finds exactly the edit made."""
    return [f"{prefix}{n}" for n in range(count)]


def edited(base: list[str], start: int, end: int, replacement: list[str]) -> list[str]:
    return base[:start] + replacement + base[end:]


@st.composite
def apart(draw):
    """A text and two edits of word ranges with at least one untouched word between."""
    size = draw(st.integers(min_value=3, max_value=40))
    base = words("w", size)
    a_start = draw(st.integers(0, size - 3))
    a_end = draw(st.integers(a_start + 1, size - 2))
    b_start = draw(st.integers(a_end + 1, size - 1))
    b_end = draw(st.integers(b_start + 1, size))
    a_words = words("a", draw(st.integers(1, 5)))
    b_words = words("b", draw(st.integers(1, 5)))
    return base, (a_start, a_end, a_words), (b_start, b_end, b_words)


@st.composite
def overlapping(draw):
    """A text and two different edits that both change at least one same word."""
    size = draw(st.integers(min_value=1, max_value=40))
    base = words("w", size)
    shared = draw(st.integers(0, size - 1))
    a = (draw(st.integers(0, shared)), draw(st.integers(shared + 1, size)))
    b = (draw(st.integers(0, shared)), draw(st.integers(shared + 1, size)))
    return (
        base,
        (*a, words("a", draw(st.integers(1, 5)))),
        (*b, words("b", draw(st.integers(1, 5)))),
    )


@settings(max_examples=300, deadline=None)
@given(apart(), st.booleans())
def test_edits_to_different_words_both_survive(case, mine_first) -> None:
    base, a, b = case
    expected = " ".join(edited(edited(base, b[0], b[1], b[2]), a[0], a[1], a[2]))
    theirs, mine = " ".join(edited(base, *a)), " ".join(edited(base, *b))
    if mine_first:
        theirs, mine = mine, theirs
    assert merge_text(" ".join(base), theirs, mine) == expected


@settings(max_examples=300, deadline=None)
@given(overlapping())
def test_edits_to_the_same_words_conflict(case) -> None:
    base, a, b = case
    with pytest.raises(MergeConflict):
        merge_text(" ".join(base), " ".join(edited(base, *a)), " ".join(edited(base, *b)))
