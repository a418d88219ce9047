"""Who connects: the seeded accounts, logged in once each through the login form; or
nobody in particular for the bare server, which has no accounts."""

from __future__ import annotations

import aiohttp

from .clients import gather_limited, login_cookie
from .seed import PASSWORD, Seeded


class People:
    def __init__(self, participants: list[str | None], scribes: list[str | None]) -> None:
        self._participants = participants
        self._scribes = scribes

    @classmethod
    def anonymous(cls) -> People:
        return cls([None], [None] * 32)

    @classmethod
    async def logged_in(cls, base_url: str, seeded: Seeded, participants: int) -> People:
        """Log in the first `participants` accounts and every scribe; connections beyond
        that reuse accounts (one person with several tabs)."""
        names = [*seeded.scribes, *seeded.participants[:participants]]
        async with aiohttp.ClientSession(cookie_jar=aiohttp.DummyCookieJar()) as http:
            cookies = await gather_limited(
                [login_cookie(http, base_url, name, PASSWORD) for name in names], limit=8
            )
        count = len(seeded.scribes)
        return cls(cookies[count:], cookies[:count])

    def participant_cookie(self, i: int) -> str | None:
        return self._participants[i % len(self._participants)]

    def scribe_cookies(self, count: int) -> list[str | None]:
        """Cookies for `count` scribe connections; beyond the seeded scribes they repeat."""
        return [self._scribes[i % len(self._scribes)] for i in range(count)]
