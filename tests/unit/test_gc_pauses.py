"""Full collections skip what survived the last one, and memory is still given back."""

import gc
import weakref

import pytest

from incident_room.gc_pauses import collect_everything, keep_pauses_short


class Node:
    other: "Node"


@pytest.fixture
def short_pauses():
    callbacks, thresholds = list(gc.callbacks), gc.get_threshold()
    keep_pauses_short()
    yield
    gc.callbacks[:] = callbacks
    gc.set_threshold(*thresholds)
    gc.unfreeze()


def test_a_cycle_frozen_by_a_full_collection_is_reclaimed_by_collect_everything(
    short_pauses,
) -> None:
    first, second = Node(), Node()
    first.other, second.other = second, first
    probe = weakref.ref(first)
    gc.collect()  # the pair survives this full collection and is frozen
    del first, second
    gc.collect()  # a later full collection does not walk frozen objects
    assert probe() is not None
    collect_everything()
    assert probe() is None
