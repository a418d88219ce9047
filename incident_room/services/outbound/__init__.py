"""Guarded outbound HTTP: the one way the server sends requests to addresses users give it.

Webhooks today; chat integrations, trackers and on-call hooks next. Every request goes to
an address checked when it is sent (`destinations.py`): loopback, private, link-local,
multicast and unspecified addresses are refused unless the operator lists their network in
`OUTBOUND_ALLOW_INTERNAL`; the connection is made to the very address that was checked
(a second DNS answer cannot swap it), and redirects are never followed.
"""

from .client import JSON_HEADERS, Outcome, json_body, post
from .destinations import DestinationRefused, check_url

__all__ = ["JSON_HEADERS", "DestinationRefused", "Outcome", "check_url", "json_body", "post"]
