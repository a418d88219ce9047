"""Back-off for guessing: failed logins and unknown API tokens (rules in policy.py)."""

from .attempts import log_in, user_for_presented_token
from .backoff import forget_quiet_keys

__all__ = ["forget_quiet_keys", "log_in", "user_for_presented_token"]
