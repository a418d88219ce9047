"""How much guessing is tolerated, and what it costs: the back-off rules in one place.

Each failed attempt counts against several keys; past a key's free failures every further
one doubles its wait, up to the rule's longest. Attempts made while a key waits are refused
unchecked (HTTP 429 with Retry-After) and not counted. A quiet spell of `forget_after`
starts a key's count afresh.

Lock-out: the long waits fall on the guesser's own address and on the pair (account, that
address). What falls on the account whatever the address - the only wait someone else's
guesses can put on the real user - is capped at a few minutes, and a successful login
clears the account's and the pair's counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Backoff:
    name: str
    free: int  # failures before any wait
    first_wait: timedelta
    longest_wait: timedelta
    forget_after: timedelta

    def wait_after(self, failures: int) -> timedelta:
        """The wait the `failures`-th failure earns (none while within the free ones)."""
        if failures < self.free:
            return timedelta(0)
        doubled = self.first_wait * 2 ** min(failures - self.free, 32)
        return min(doubled, self.longest_wait)


# One account guessed from one address: the guesser's own wait, allowed to grow long.
LOGIN_ACCOUNT_ADDRESS = Backoff(
    "login_account_address", 5, timedelta(seconds=1), timedelta(minutes=15), timedelta(hours=1)
)
# One account guessed from anywhere (many addresses): short, so the owner waits minutes at most.
LOGIN_ACCOUNT = Backoff(
    "login_account", 10, timedelta(seconds=1), timedelta(minutes=5), timedelta(hours=1)
)
# One address guessing many accounts (password spraying).
LOGIN_ADDRESS = Backoff(
    "login_address", 30, timedelta(seconds=1), timedelta(minutes=15), timedelta(hours=1)
)
# One address sending API tokens that do not exist. Valid tokens are never held up.
BAD_TOKEN_ADDRESS = Backoff(
    "bad_token_address", 10, timedelta(seconds=1), timedelta(minutes=15), timedelta(hours=1)
)
RULES = (LOGIN_ACCOUNT_ADDRESS, LOGIN_ACCOUNT, LOGIN_ADDRESS, BAD_TOKEN_ADDRESS)
