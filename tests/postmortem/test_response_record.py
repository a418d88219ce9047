"""What the scribe recorded as structured entries, evidence images and the tamper-evident
log reach the post-mortem: decision log, hypotheses, actions, images, appendix, chain."""

import base64
import hashlib
import json

import pytest

from incident_room.unit_of_work.chain import GENESIS
from tests.postmortem.exports import (
    download,
    in_order,
    markdown_table,
    pdf_image_sizes,
    pdf_text,
)
from tests.postmortem.scripted import record_structured_entries, write_postmortem
from tests.socket.helpers import call, change
from tests.support.evidence import attach, image_bytes


@pytest.fixture
def recorded(scripted, app):
    record = record_structured_entries(scripted)
    picture = image_bytes("PNG", size=(640, 360))
    evidence = attach(app, scripted.incident_id, record.evidence_entry["id"], picture, "dana")
    return scripted.incident_id, record, evidence


def test_a_hypothesis_confirmed_by_evidence_appears_so_in_the_pdf(recorded, app) -> None:
    incident, _, _ = recorded
    text = pdf_text(download(app, incident, "postmortem.pdf").data)
    hypotheses = text.index("Hypotheses Each hypothesis: time (UTC) · status")
    assert in_order(
        text,
        [
            "Ruled out",
            "Database overload",
            "Confirmed",
            "Build 4211 reads a config key that was never deployed",
            "Settled by 2026-03-14 02:22:00 Pod logs: missing key checkout.timeout_ms",
        ],
        hypotheses,
    )


def test_the_decision_log_and_actions_taken_are_in_the_pdf(recorded, app) -> None:
    incident, _, _ = recorded
    text = pdf_text(download(app, incident, "postmortem.pdf").data)
    log = text.index("Decision log")
    assert in_order(text, ["Fail over the payments database", "Replica lag alarm"], log)
    assert in_order(text, ["Wait it out", "Dana Scully"], log)
    actions = text.index("Actions taken")
    assert in_order(text, ["Done · Fox Mulder", "Roll back to build 4210"], actions)


def test_the_markdown_has_the_same_record(recorded, app) -> None:
    incident, _, evidence = recorded
    markdown = download(app, incident, "postmortem.md").get_data(as_text=True)
    decision = markdown_table(markdown, "## Decision log")[1]
    assert decision[1:] == [
        "Fail over the payments database",
        "Replica lag alarm",
        "Wait it out",
        "Dana Scully",
    ]
    ruled_out, confirmed = markdown_table(markdown, "## Hypotheses")
    assert confirmed[2] == "Confirmed" and confirmed[3].endswith("checkout.timeout_ms")
    assert ruled_out[1:4] == ["Database overload", "Ruled out", "—"]
    [action] = markdown_table(markdown, "## Actions taken")
    assert action[1:4] == ["Roll back to build 4210", "Fox Mulder", "Done"]
    [image] = markdown_table(markdown, "## Evidence")
    assert image[0] == "E1" and evidence["sha256"] in image[4]


def test_the_evidence_image_is_in_the_pdf_and_the_json(recorded, app) -> None:
    incident, record, evidence = recorded
    pdf = download(app, incident, "postmortem.pdf").data
    assert pdf_image_sizes(pdf) == [(640, 360)]
    text = pdf_text(pdf)
    assert evidence["sha256"] in text.replace(" ", "")  # the hash may wrap
    assert "checkout.timeout_ms Evidence E1" in text
    archive = json.loads(download(app, incident, "export.json").data)
    [stored] = archive["evidence"]
    assert stored["entry_id"] == record.evidence_entry["id"]
    assert hashlib.sha256(base64.b64decode(stored["data_base64"])).hexdigest() == evidence["sha256"]


def test_the_pdf_appendix_has_the_chain_head_and_the_edit_history(recorded, app) -> None:
    incident, _, _ = recorded
    archive = json.loads(download(app, incident, "export.json").data)
    text = pdf_text(download(app, incident, "postmortem.pdf").data)
    appendix = text[text.index("Appendix: the record") :]
    assert f"event log of {archive['chain']['events']} events" in appendix
    assert archive["chain"]["head"] in appendix.replace(" ", "")
    assert in_order(
        appendix,
        [
            "Edit history",
            "Pod logs: missing key checkout.timeout_ms",
            "Fox Mulder edit text",
            "Pod logs: missing key checkout.timeout",
            "Pod logs: missing key checkout.timeout_ms",
        ],
    )


def test_the_json_carries_a_hash_chain_anyone_can_check(recorded, app) -> None:
    incident, _, _ = recorded
    archive = json.loads(download(app, incident, "export.json").data)
    previous = GENESIS
    for event in archive["events"]:
        content = {
            "incident_id": event["incident_id"],
            "seq": event["seq"],
            "type": event["type"],
            "actor_id": event["actor"]["id"] if event["actor"] else None,
            "at": event["at"],
            "data": event["data"],
        }
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert event["prev_hash"] == previous
        previous = hashlib.sha256(previous.encode() + b"\n" + canonical.encode()).hexdigest()
        assert event["hash"] == previous
    assert archive["chain"]["head"] == previous and archive["chain"]["intact"] is True
    assert archive["chain"]["events"] == len(archive["events"])


def test_a_whole_incident_with_its_post_mortem_verifies(app, scripted) -> None:
    """Every kind of change the room makes keeps the tables equal to the replayed log."""
    write_postmortem(scripted)
    record = record_structured_entries(scripted)
    ic, ref = scripted.ic, {"incident_id": scripted.incident_id}
    entry = {**ref, "entry_id": record.evidence_entry["id"]}
    assert change(ic, "timeline.share", {**entry, "shareable": True})["ok"]
    version = change(ic, "timeline.delete", {**entry, "base_version": 2})["entry"]["version"]
    assert change(ic, "timeline.restore", {**entry, "base_version": version})["ok"]
    first_item = call(ic, "join", ref)["checklist"][0]["id"]
    assert change(ic, "checklist.toggle", {**ref, "item_id": first_item, "done": True})["ok"]
    result = app.test_cli_runner().invoke(args=["incidents", "verify", str(scripted.incident_id)])
    assert result.exit_code == 0, result.output
    assert "timeline, roles and checklist match the log" in result.output
