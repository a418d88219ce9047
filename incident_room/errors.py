"""The one error type for domain refusals, turned into socket acks and API responses."""

from __future__ import annotations

from typing import Any

HTTP_STATUS = {
    "unauthenticated": 401,
    "forbidden": 403,
    "not_found": 404,
    "invalid": 400,
    "conflict": 409,
    "gone": 410,
    "too_large": 413,
    "rate_limited": 429,
    "internal": 500,
    "upstream": 502,
}


class DomainError(Exception):
    """A refusal the user should see: a protocol error code, a message, and details."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        assert code in HTTP_STATUS, code
        self.code = code
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.details}

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]


def invalid(field: str, message: str) -> DomainError:
    return DomainError("invalid", message, field=field)


def not_found(what: str = "incident") -> DomainError:
    return DomainError("not_found", f"No such {what}.")
