"""Short garbage-collection pauses in a server holding thousands of connections.

CPython's full (generation 2) collection walks every object it tracks. With 2,000
participants connected that is ~450,000 objects and 200-300 ms in which the gevent loop
sends nothing; while a crowd was joining such pauses came every few seconds (measured with
`python -m bench --only capacity`). So the serving process freezes what survives each full
collection (`gc.freeze`: the imports, the connections already open), and the next full
collection walks only what came after. Those then come ten times less often than CPython's
default: freezing alone made them so frequent that a room of 200 cost 15% more CPU per
entry. Garbage among frozen objects - cycles of closed connections - waits for
`collect_everything`, run every FULL_COLLECTION_SECONDS: one long pause every ten minutes.
"""

from __future__ import annotations

import gc
from typing import Any

FULL_COLLECTION_SECONDS = 600
FULL_COLLECTION_EVERY = 100  # collections of the middle generation; CPython's default is 10


def _freeze_survivors(phase: str, info: dict[str, Any]) -> None:
    if phase == "stop" and info["generation"] == 2:
        gc.freeze()


def keep_pauses_short() -> None:
    """From now on, freeze what each full collection leaves (and what is alive now), and
    collect in full ten times less often than CPython would."""
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    gc.freeze()
    if _freeze_survivors not in gc.callbacks:
        gc.callbacks.append(_freeze_survivors)


def collect_everything() -> None:
    """A full collection over frozen objects too; what survives is frozen again."""
    gc.unfreeze()
    gc.collect()
