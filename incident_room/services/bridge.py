"""The war-room call: the playbook auto-creates a video bridge for SEV1 and SEV2. With
BRIDGE_URL_TEMPLATE set (a self-hosted Jitsi room per incident, say), an incident gets its
address the moment it is declared at, or raised to, one of those severities; it is pinned in
the room and sent with the outbound messages, never to observers."""

from __future__ import annotations

import secrets

from flask import current_app

from ..models import Incident
from ..policy import BRIDGE_SEVERITIES


def open_bridge(incident: Incident) -> None:
    """Give the incident its call once it needs one (inside the change that made it so)."""
    template = current_app.config.get("BRIDGE_URL_TEMPLATE") or ""
    if not template or incident.bridge_url or incident.severity not in BRIDGE_SEVERITIES:
        return
    incident.bridge_url = template.format(
        reference=incident.reference, number=incident.number, token=secrets.token_hex(6)
    )


def bridge_details(incident: Incident) -> dict[str, str]:
    """What an outbound message adds about the call: its address, when there is one."""
    return {"bridge_url": incident.bridge_url} if incident.bridge_url else {}
