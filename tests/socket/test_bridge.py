"""The war-room call: with BRIDGE_URL_TEMPLATE set, a SEV1 or SEV2 gets its call address at
declaration or when raised to it, the room and the outbound messages carry it."""

from __future__ import annotations

import json
import re

import pytest

from incident_room.config import ConfigError
from tests.conftest import add_user, declare, dispose, make_app
from tests.http.test_webhooks import add_endpoint, send
from tests.socket.helpers import call, change, join_all
from tests.support.receiver import webhook_receiver

TEMPLATE = "https://meet.example/ir-{reference}-{token}"


@pytest.fixture
def app(sqlite_url):
    application = make_app(sqlite_url, BRIDGE_URL_TEMPLATE=TEMPLATE)
    add_user(application, "dana", "Dana Scully")
    yield application
    dispose(application)


def incident_of(client, incident: int) -> dict:
    return call(client, "join", {"incident_id": incident})["incident"]


def test_a_sev2_is_declared_with_its_call_and_a_sev3_without(app) -> None:
    sev2 = declare(app, "dana", severity="SEV2")
    sev3 = declare(app, "dana", severity="SEV3")
    [room] = join_all(app, sev2, "dana")
    assert re.fullmatch(
        r"https://meet\.example/ir-INC-1-[0-9a-f]{12}", incident_of(room, sev2)["bridge_url"]
    )
    assert incident_of(room, sev3)["bridge_url"] is None


def test_raising_to_sev1_opens_the_call_once(app) -> None:
    incident = declare(app, "dana", severity="SEV3")
    [room] = join_all(app, incident, "dana")
    ack = change(room, "incident.update", {"incident_id": incident, "severity": "SEV2"})
    first = ack["incident"]["bridge_url"]
    assert first and first.startswith("https://meet.example/ir-INC-1-")
    ack = change(room, "incident.update", {"incident_id": incident, "severity": "SEV1"})
    assert ack["incident"]["bridge_url"] == first  # the same room, not a new one


@pytest.mark.parametrize("template", ["https://meet.example/{room}", "ftp://meet.example/{token}"])
def test_a_template_that_cannot_work_stops_the_app_naming_the_setting(sqlite_url, template):
    with pytest.raises(ConfigError, match="BRIDGE_URL_TEMPLATE"):
        make_app(sqlite_url, BRIDGE_URL_TEMPLATE=template)


def test_the_call_goes_out_with_the_declaration(sqlite_url) -> None:
    allowed = make_app(
        sqlite_url, BRIDGE_URL_TEMPLATE=TEMPLATE, OUTBOUND_ALLOW_INTERNAL="127.0.0.1"
    )
    try:
        add_user(allowed, "dana", "Dana Scully")
        with webhook_receiver() as receiver:
            add_endpoint(allowed, receiver.url, body_format="slack")
            declare(allowed, "dana", severity="SEV1")
            assert send(allowed) == 1
            text = json.loads(receiver.requests[0]["body"])["text"]
        assert re.search(r"War room: https://meet\.example/ir-INC-1-[0-9a-f]{12}$", text)
    finally:
        dispose(allowed)
