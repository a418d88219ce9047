"""Taking an account's access away everywhere at once: its sessions, and the observer links
it made (accounts.py cannot do the second itself: the links' module needs accounts)."""

from __future__ import annotations

from ..models import User
from .accounts import set_disabled
from .observers.links import revoke_everywhere


def disable_account(user: User) -> int:
    """Disable `user`; returns how many live observer links of theirs were revoked."""
    set_disabled(user, True)
    return revoke_everywhere(user)
