"""The room most socket tests start from: Dana (declarer, Incident Commander) and Fox, both
joined to a fresh incident on a frozen clock. A module sets `room_severity` to change it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import declare
from tests.socket.helpers import join_all


@pytest.fixture
def room_severity() -> str:
    return "SEV2"


@pytest.fixture
def room(app, clock, dana, fox, room_severity) -> tuple[int, Any, Any]:
    """(incident id, Dana's socket, Fox's socket)."""
    incident = declare(app, "dana", severity=room_severity)
    return incident, *join_all(app, incident, "dana", "fox")
