"""Nothing is broadcast before it is committed: when the commit itself fails (a real
PostgreSQL error raised at COMMIT by a deferred constraint trigger), nobody hears of the
change, its sender is told `internal`, and resending it with the same op_id applies it once.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from incident_room.extensions import db
from tests.conftest import add_user, declare, dispose, make_app
from tests.socket.helpers import call, change, join_all, received

# Fails the first commit that wrote a timeline entry reading "explode", then never again (a
# sequence counts the attempts: it is not rolled back with the failed transaction).
FAIL_ONCE_AT_COMMIT = """
CREATE SEQUENCE explode_attempts;
CREATE FUNCTION fail_once() RETURNS trigger AS $$
BEGIN
  IF NEW.text = 'explode' AND nextval('explode_attempts') = 1 THEN
    RAISE EXCEPTION 'injected failure at commit';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON timeline_entries
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION fail_once();
"""


@pytest.fixture
def app(postgres_url):
    application = make_app(postgres_url)
    with application.app_context():
        db.session.execute(text(FAIL_ONCE_AT_COMMIT))
        db.session.commit()
    yield application
    dispose(application)


def entries_reading(client, incident: int, wanted: str) -> int:
    timeline = call(client, "join", {"incident_id": incident})["timeline"]
    return sum(entry["text"] == wanted for entry in timeline)


def test_a_failed_commit_is_heard_by_nobody_and_its_resend_applies_once(app) -> None:
    add_user(app, "dana")
    add_user(app, "fox")
    incident = declare(app, "dana", severity="SEV2")
    writer, listener = join_all(app, incident, "dana", "fox")
    seq = call(writer, "join", {"incident_id": incident})["seq"]
    writer.get_received()
    edit = {"incident_id": incident, "op_id": str(uuid.uuid4()), "kind": "note", "text": "explode"}

    failed = call(writer, "timeline.add", edit)
    assert (failed["ok"], failed["error"]["code"]) == (False, "internal")
    assert received(listener) == [] and received(writer) == []
    assert entries_reading(listener, incident, "explode") == 0
    assert call(listener, "join", {"incident_id": incident})["seq"] == seq

    resent = call(writer, "timeline.add", edit)
    assert resent["ok"], resent
    assert resent["seq"] == seq + 1
    assert [event["seq"] for event in received(listener)] == [seq + 1]
    again = call(writer, "timeline.add", edit)
    assert again == {**resent, "server_now": again["server_now"]}
    assert entries_reading(listener, incident, "explode") == 1
    assert change(writer, "timeline.add", {**edit, "op_id": str(uuid.uuid4()), "text": "ok"})["ok"]
