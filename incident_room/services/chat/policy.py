"""The chat integration's numbers and fixed words."""

from __future__ import annotations

from datetime import timedelta

# Slack refuses to trust a request older than this (replays); so do we.
SIGNATURE_MAX_AGE = timedelta(minutes=5)
# A link invitation is a bearer of the chat identity: short-lived.
LINK_MAX_AGE = timedelta(hours=1)
MAX_BODY_BYTES = 64 * 1024
# A reply becomes a note of at most this many characters (the rest is cut).
NOTE_MAX_CHARS = 4000
# How many active incidents `/incident status` lists.
STATUS_LIST_LIMIT = 10
# A thread message waiting for its thread's first message is looked at again after this.
THREAD_WAIT = timedelta(seconds=5)

HELP = (
    "/incident SEV-2: checkout 502s - declare (you become Incident Commander)\n"
    "/incident status - the active incidents\n"
    "/incident ack - acknowledge your open page\n"
    "/incident all-clear INC-3 - the Incident Commander calls the all-clear\n"
    "/incident help - this text\n"
    "Replies in an incident's thread become notes in its timeline."
)
NO_OPEN_PAGE = "You have no open page to acknowledge."
