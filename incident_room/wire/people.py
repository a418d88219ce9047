"""A person as others see them (never the password hash)."""

from __future__ import annotations

from typing import TypedDict

from ..models import User


class UserRef(TypedDict):
    id: int
    username: str
    display_name: str


def user_ref(user: User | None) -> UserRef | None:
    return user.to_public() if user else None
