"""Three-way merge: both people keep their work unless they changed the same words."""

import pytest

from incident_room.services.merge import MergeConflict, merge_fields, merge_text

BASE = "Rolled back deploy 42 at 02:10; errors still rising on checkout."


def test_edits_to_different_words_both_survive() -> None:
    theirs = BASE.replace("deploy 42", "deploy 4211")
    mine = BASE.replace("rising", "falling")
    assert merge_text(BASE, theirs, mine) == (
        "Rolled back deploy 4211 at 02:10; errors still falling on checkout."
    )


def test_appending_while_another_fixes_a_typo_merges() -> None:
    theirs = BASE + " Paging vendor."
    mine = BASE.replace("Rolled", "We rolled")
    merged = merge_text(BASE, theirs, mine)
    assert (
        merged
        == "We rolled back deploy 42 at 02:10; errors still rising on checkout. Paging vendor."
    )


def test_changing_the_same_words_is_a_conflict() -> None:
    with pytest.raises(MergeConflict):
        merge_text(BASE, BASE.replace("02:10", "02:11"), BASE.replace("02:10", "02:12"))


def test_both_inserting_at_the_same_place_is_a_conflict() -> None:
    with pytest.raises(MergeConflict):
        merge_text("a c", "a b c", "a x c")


def test_the_same_change_on_both_sides_is_not_a_conflict() -> None:
    same = BASE.replace("42", "43")
    assert merge_text(BASE, same, same) == same


def test_one_side_unchanged_takes_the_other() -> None:
    assert merge_text(BASE, BASE, "new") == "new"
    assert merge_text(BASE, "theirs", BASE) == "theirs"


def test_different_fields_merge_and_same_field_conflicts() -> None:
    base = {"kind": "note", "text": "t", "occurred_at": "2026-03-14T02:00:00Z"}
    current = {**base, "kind": "decision"}
    assert merge_fields(base, current, {"text": "t2"}) == {**current, "text": "t2"}
    with pytest.raises(MergeConflict) as clash:
        merge_fields(base, current, {"kind": "action"})
    assert clash.value.field == "kind"
