"""Whatever reaches the socket gets an answer: unknown events, packets that cannot be read,
lone surrogates and deep nesting are `invalid` in the ack, change nothing, and leave one log
line (never a traceback) behind."""

import logging

import pytest

from tests.conftest import declare, socket_client
from tests.socket.helpers import call


@pytest.fixture
def client(app, dana):
    incident = declare(app, "dana", severity="SEV2")
    connected = socket_client(app, "dana")
    assert call(connected, "join", {"incident_id": incident})["ok"]
    return connected, incident


def raw(client, packet: str):
    """Send a Socket.IO packet exactly as written (an EVENT with ack id 7) and return the
    ack, as a client that does not use a Socket.IO library would."""
    client.socketio.server._handle_eio_message(client.eio_sid, packet)
    ack, client.acks = client.acks, None
    assert ack is not None, "no answer"
    return ack["args"][0]


@pytest.mark.parametrize(
    ("packet", "field", "says"),
    [
        ('27["incident.explode",{"incident_id":1}]', "event", "Unknown event 'incident.explode'"),
        ('27["join",{"incident_id":1', "packet", "could not read"),
        ('27["timeline.add",{"text":"\\ud800"}]', "packet", "could not read"),
        ('27{"event":"join"}', "packet", "an event needs a name"),
        ('27[42,{"incident_id":1}]', "packet", "an event needs a name"),
        ('27[["join"]]', "packet", "an event needs a name"),
        ("27" + '["join",' + '{"a":' * 1000 + "1" + "}" * 1000 + "]", "packet", "nested deeper"),
        ("27" + '["join",' + "[" * 40 + "]" * 40 + "]", "packet", "nested deeper"),
    ],
)
def test_every_bad_packet_is_answered_invalid_in_one_log_line(
    client, caplog, packet, field, says
) -> None:
    connected, incident = client
    seq = call(connected, "join", {"incident_id": incident})["seq"]
    with caplog.at_level(logging.INFO):
        ack = raw(connected, packet)
    assert (ack["ok"], ack["error"]["code"], ack["error"]["field"]) == (False, "invalid", field)
    assert says in ack["error"]["message"]
    assert not [record for record in caplog.records if record.exc_info]
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1
    assert call(connected, "join", {"incident_id": incident})["seq"] == seq


def test_the_connection_still_works_after_a_bad_packet(client) -> None:
    connected, incident = client
    raw(connected, '27["join",{"incident_id":')
    assert call(connected, "join", {"incident_id": incident})["ok"]
