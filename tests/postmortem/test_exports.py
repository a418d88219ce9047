"""The post-mortem's downloads as a reader sees them: PDF text, Markdown, the JSON archive."""

import json

import pytest

from tests.conftest import add_user, declare
from tests.postmortem.exports import document_of, download, in_order, markdown_table, pdf_text
from tests.postmortem.scripted import SECTION_TEXTS, write_postmortem
from tests.socket.helpers import add_entry, change, join_all


@pytest.fixture
def written(scripted):
    write_postmortem(scripted)
    return scripted


def timeline_texts(app, incident_id):
    return [entry["text"] for entry in document_of(app, incident_id)["timeline"]]


def test_pdf_has_the_sections_the_timeline_in_order_and_the_action_items(written, app) -> None:
    response = download(app, written.incident_id, "postmortem.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for section_text in SECTION_TEXTS.values():
        assert section_text in text
    timeline_start = text.index("Each entry: time (UTC) · kind · written by")
    entries = timeline_texts(app, written.incident_id)
    assert len(entries) >= 6 and in_order(text, entries, timeline_start)
    assert in_order(text, ["Canary every deploy", "Fox Mulder", "2026-04-01", "OPS-12"])
    assert "Alert on config key drift No owner yet" in text
    assert "Time to mitigate 40 min 30 s" in text and "Time to resolve 1 h 00 min 30 s" in text
    checklist = text.index("Checklist record")
    assert in_order(text, ["Establish the war room and confirm participants"], checklist)


def test_markdown_has_the_same_content(written, app) -> None:
    response = download(app, written.incident_id, "postmortem.md")
    assert response.status_code == 200
    markdown = response.get_data(as_text=True)
    for section_text in SECTION_TEXTS.values():
        assert section_text in markdown.replace("\\", "")
    rows = markdown_table(markdown, "## Action items")
    assert rows[0][1:5] == [
        "Canary every deploy",
        "Fox Mulder",
        "2026-04-01",
        "https://tracker.example/OPS-12",
    ]
    assert rows[1][5] == "No owner yet: who will see this through?; No due date yet: by when?"


TRICKY_TEXTS = [
    "*not bold* _not italic_ [not a link](http://example.com) ![no image](x.png)",
    "# not a heading\n- not a list\n1. not numbered\n+ plus\n= underline",
    "a | pipe, `code`, ~strike~, back\\slash, & ampersand, <b>tag</b> and <br> typed",
    "trailing backslash \\",
    "first line\nsecond line\n\nafter a blank line",
]


def test_markdown_round_trips_every_entry(app, dana, clock) -> None:
    incident = declare(app, "dana", severity="SEV3")
    [client] = join_all(app, incident, "dana")
    for text in TRICKY_TEXTS:
        add_entry(client, incident, text)
    markdown = download(app, incident, "postmortem.md").get_data(as_text=True)
    rows = markdown_table(markdown, "## Timeline")
    assert [row[2] for row in rows] == timeline_texts(app, incident)
    assert set(TRICKY_TEXTS) <= {row[2] for row in rows}


def test_json_archive_has_the_event_log_and_every_revision(written, app) -> None:
    response = download(app, written.incident_id, "export.json")
    assert response.status_code == 200
    archive = json.loads(response.data)
    assert [event["seq"] for event in archive["events"]] == list(
        range(1, archive["incident"]["seq"] + 1)
    )
    assert archive["postmortem"]["sections"][0]["text"] == SECTION_TEXTS["summary"]
    assert all(entry["history"] for entry in archive["timeline"])


@pytest.mark.parametrize("name", ["postmortem.pdf", "postmortem.md", "export.json"])
def test_downloads_have_the_rooms_access(app, dana, name) -> None:
    add_user(app, "eve", "Eve Outsider")
    incident = declare(app, "dana", severity="SEV2", private=True)
    assert download(app, incident, name, "eve").status_code == 404
    anonymous = app.test_client().get(f"/incidents/{incident}/{name}")
    assert anonymous.status_code == 302 and "/login" in anonymous.location


def test_a_published_post_mortem_exports_as_it_was_published(written, app) -> None:
    incident = written.incident_id
    for status in ("in_review", "published"):
        payload = {
            "incident_id": incident,
            "status": status,
            "reason": "Reviewed together in the meeting",
        }
        ack = change(written.ic, "postmortem.set_status", payload)
        assert ack["ok"], ack
    add_entry(written.ic, incident, "A note written after publishing")
    text = pdf_text(download(app, incident, "postmortem.pdf").data)
    assert "Post-mortem Published, revision 1" in text
    assert "A note written after publishing" not in text
    markdown = download(app, incident, "postmortem.md").get_data(as_text=True)
    assert "Published, revision 1" in markdown and "after publishing" not in markdown
    archive = json.loads(download(app, incident, "export.json").data)
    assert "A note written after publishing" in [entry["text"] for entry in archive["timeline"]]


def test_role_handovers_are_in_the_pdf_and_the_markdown(scripted, app) -> None:
    handover = {"incident_id": scripted.incident_id, "role": "incident_commander", "user": "fox"}
    assert change(scripted.ic, "role.claim", handover)["ok"]
    text = pdf_text(download(app, scripted.incident_id, "postmortem.pdf").data)
    people = text.index("People and roles")
    assert in_order(
        text,
        [
            "Incident Commander Dana Scully",
            "2026-03-14 02:00:00",
            "2026-03-14 05:00:30",
            "declared",
        ],
        people,
    )
    assert in_order(text, ["Incident Commander Fox Mulder", "05:00:30 — handover"], people)
    markdown = download(app, scripted.incident_id, "postmortem.md").get_data(as_text=True)
    roles = markdown_table(markdown, "## People and roles")
    commanders = [row for row in roles if row[0] == "Incident Commander"]
    assert [(row[1], row[4]) for row in commanders] == [
        ("Dana Scully", "declared"),
        ("Fox Mulder", "handover"),
    ]


def test_the_timeline_copy_is_checked_for_blame_and_printed_as_written(scripted, app) -> None:
    text = "Because John pushed a bad deploy without testing it"
    entry = add_entry(scripted.ic, scripted.incident_id, text)
    document = document_of(app, scripted.incident_id)
    [flag] = [f for f in document["blameless"] if f["where"] == f"entry:{entry['id']}"]
    assert flag["phrase"] == "John pushed" and "rather than" in flag["suggestion"]
    assert text in pdf_text(download(app, scripted.incident_id, "postmortem.pdf").data)
