"""What the server sends reads back, with the reference Socket.IO parser, as what was meant."""

import json

from socketio import packet

from incident_room.realtime.packets import JsonPacket

MESSAGE = {
    "entry": {"text": "Rollback 🚑 done; p99 < 200 ms", "details": {}, "version": 2},
    "by_status": {1: "investigating"},
    "seq": 41,
    "ok": True,
    "note": None,
}


def test_an_event_reads_back_as_the_standard_library_would_have_sent_it() -> None:
    encoded = JsonPacket(packet.EVENT, data=["incident.event", MESSAGE]).encode()
    assert isinstance(encoded, str)  # one text frame, no binary attachments
    decoded = packet.Packet(encoded_packet=encoded)
    assert decoded.packet_type == packet.EVENT
    assert decoded.data == ["incident.event", json.loads(json.dumps(MESSAGE))]


def test_an_ack_keeps_its_id() -> None:
    decoded = packet.Packet(encoded_packet=JsonPacket(packet.ACK, data=[MESSAGE], id=7).encode())
    assert (decoded.packet_type, decoded.id) == (packet.ACK, 7)
