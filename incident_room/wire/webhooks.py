"""An outbound webhook endpoint as it is listed: everything but its secret."""

from __future__ import annotations

from typing import TypedDict

from ..clock import iso
from ..models import WebhookEndpoint
from .people import UserRef, user_ref


class EndpointView(TypedDict):
    id: int
    name: str
    url: str
    severities: list[str]
    body_format: str
    created_by: UserRef | None
    created_at: str


def endpoint_dict(endpoint: WebhookEndpoint) -> EndpointView:
    """Everything about an endpoint except its secret."""
    return {
        "id": endpoint.id,
        "name": endpoint.name,
        "url": endpoint.url,
        "severities": endpoint.severities,
        "body_format": endpoint.body_format,
        "created_by": user_ref(endpoint.created_by),
        "created_at": iso(endpoint.created_at),
    }
