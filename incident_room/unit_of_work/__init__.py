"""The write path: the unit of work every change to an incident goes through.

    handler -> run_change(incident_id, actor, change, op_id)
                 lock the incident (locks.py: in-process lock + PostgreSQL advisory lock)
                 read it fresh, check the actor may see it, skip a repeated op_id
                 change(incident): service functions change rows and record_event(...)
                   each event gets the next seq and is hash-chained (chain.py)
                   new rows and the events wait in the transaction's one queue (pending.py)
                 commit (the queued rows are inserted just before it)
                 publish the events to this app's publishers (publish.py): room, observers
               <- the ack, stored with its op_id so a retry gets the same one

Which service functions commit, and which must run inside `run_change`:
- A service function whose first parameter is the locked `incident: Incident` changes it
  inside `run_change`: it records events and never commits. `record_event` refuses to run
  anywhere else, so forgetting the unit of work fails loudly instead of losing a broadcast.
- A function decorated `@commits_itself` opens and commits its own transaction: accounts,
  instance-wide settings (webhook endpoints, templates), and bookkeeping that is no
  incident's record (observer connections). Calling one inside `run_change` is refused.
- Declaring creates the incident, so there is nothing to lock yet: it goes through
  `run_declaration`, which commits and publishes the same way (its docstring says why it
  needs no lock).
"""

from ..wire.events import Event
from .change import Change, commits_itself, record_event, run_change, run_declaration
from .events import EventType

__all__ = [
    "Change",
    "Event",
    "EventType",
    "commits_itself",
    "record_event",
    "run_change",
    "run_declaration",
]
