"""Trusting what chat sends: Slack's signature (HMAC-SHA256 of `v0:<timestamp>:<raw body>`
with the signing secret, at most SIGNATURE_MAX_AGE old) or Mattermost's slash-command
token. Anything else is refused as unauthenticated (401) before it is read."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from ...clock import now
from ...errors import DomainError
from ...models import ChatSettings
from .policy import SIGNATURE_MAX_AGE

SLACK = "slack"
MATTERMOST = "mattermost"


@dataclass(frozen=True)
class Presented:
    """How a request says who sent it: Slack's two headers, or a Mattermost token (the
    `Authorization: Token ...` header or the `token` form field)."""

    slack_timestamp: str | None
    slack_signature: str | None
    mattermost_token: str | None


def _refused() -> DomainError:
    return DomainError("unauthenticated", "This request is not signed by the configured chat.")


def slack_signature(secret: str, timestamp: str, raw: bytes) -> str:
    """What Slack sends in X-Slack-Signature for this body at this time."""
    base = b"v0:" + timestamp.encode() + b":" + raw
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def _check_slack(settings: ChatSettings, timestamp: str, signature: str, raw: bytes) -> None:
    if not settings.signing_secret or not timestamp.isdigit():
        raise _refused()
    age = abs(now().timestamp() - int(timestamp))
    if age > SIGNATURE_MAX_AGE.total_seconds():
        raise _refused()
    expected = slack_signature(settings.signing_secret, timestamp, raw)
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise _refused()


def verified_sender(settings: ChatSettings | None, presented: Presented, raw: bytes) -> str:
    """SLACK or MATTERMOST when the request proves it came from the configured chat."""
    if settings is None:
        raise _refused()
    if presented.slack_signature is not None or presented.slack_timestamp is not None:
        _check_slack(
            settings, presented.slack_timestamp or "", presented.slack_signature or "", raw
        )
        return SLACK
    token = presented.mattermost_token or ""
    expected = settings.mattermost_token or ""
    if expected and hmac.compare_digest(token.encode(), expected.encode()):
        return MATTERMOST
    raise _refused()
