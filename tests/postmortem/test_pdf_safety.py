"""The PDF renderer fetches nothing a user can name, and its time and size are bounded."""

import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from incident_room.clock import iso, now
from incident_room.exports.fetcher import MAX_IMAGE_BYTES, LockedURLFetcher, RefusedURL
from incident_room.exports.pdf import render_pdf
from incident_room.exports.print_images import print_jpeg
from incident_room.exports.render_job import PrintJob
from incident_room.exports.timeline_svg import MAX_TICKS, tick_step, timeline_svg
from incident_room.extensions import db
from incident_room.models import Incident, User
from incident_room.services.timeline import NewEntry, write_entry
from tests.conftest import add_user, declare, dispose, make_app
from tests.postmortem.exports import document_of, download, pdf_text
from tests.socket.helpers import alone, change, join_all
from tests.support.receiver import webhook_receiver

STATIC = Path(__file__).resolve().parents[2] / "static"


def hostile_text(url: str) -> str:
    return (
        f'<img src="{url}/img.png"> <link rel="stylesheet" href="{url}/style.css"> '
        f"<style>@import url({url}/import.css); body {{ background: url({url}/bg.png) }}</style> "
        f'<div style="background-image: url({url}/inline.png)">x</div> '
        f'<iframe src="{url}/frame"></iframe> file:///etc/passwd '
        '<img src="file:///etc/passwd">'
    )


def test_hostile_entry_and_section_render_as_text_and_fetch_nothing(app, dana, clock) -> None:
    incident = declare(app, "dana", severity="SEV2")
    [client] = join_all(app, incident, "dana")
    with webhook_receiver() as receiver:
        text = hostile_text(receiver.url)
        ack = change(
            client, "timeline.add", {"incident_id": incident, "kind": "note", "text": text}
        )
        assert ack["ok"], ack
        assert change(client, "incident.all_clear", alone(incident))["ok"]
        payload = {"incident_id": incident, "section": "summary", "base_version": 1, "text": text}
        assert change(client, "postmortem.edit_section", payload)["ok"]
        response = download(app, incident, "postmortem.pdf")
        assert response.status_code == 200
        assert receiver.requests == []
    shown = pdf_text(response.data)
    assert shown.count(f'<img src="{receiver.url}/img.png">') == 2  # the entry and the summary
    assert shown.count("@import url(") == 2 and "root:x:0:0" not in shown


def test_the_locked_fetcher_refuses_raw_html_too(app) -> None:
    """Even HTML that escaping never lets through would fetch nothing."""
    with webhook_receiver() as receiver, app.app_context():
        pdf = render_pdf(PrintJob(f"<!doctype html><p>Raw</p>{hostile_text(receiver.url)}"))
        assert receiver.requests == []
    assert pdf.startswith(b"%PDF") and "root:x:0:0" not in pdf_text(pdf)


def test_the_fetcher_serves_bundled_assets_and_small_data_only(tmp_path) -> None:
    fetcher = LockedURLFetcher(STATIC, max_data_uri_bytes=100)
    stylesheet = fetcher.fetch((STATIC / "css" / "postmortem-print.css").as_uri())
    assert b"@page" in stylesheet.read()
    assert fetcher.fetch("data:text/plain,small").read() == b"small"
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    escape = (STATIC / ".." / ".." / secret.relative_to("/")).as_uri()
    for url in (
        "data:text/plain," + "x" * 200,
        secret.as_uri(),
        "file:///etc/passwd",
        escape,
        "http://127.0.0.1:9/x.png",
        "https://example.com/x.css",
        "ftp://example.com/x",
        f"file://evil.example{STATIC}/css/app.css",
    ):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def add_entries(app, incident_id: int, count: int) -> None:
    with app.app_context():
        incident = db.session.get(Incident, incident_id)
        author = db.session.scalar(db.select(User).filter_by(username="dana"))
        start = now()
        for number in range(count):
            text = f"Entry {number:04d}: checked shard {number % 17}, error rate {number % 9}%"
            when = start + timedelta(seconds=number)
            write_entry(incident, author, NewEntry("note", text, occurred_at=when))
        db.session.commit()


@pytest.mark.slow
def test_a_2000_entry_incident_renders_within_the_bound(app, dana, clock) -> None:
    incident = declare(app, "dana", severity="SEV2")
    add_entries(app, incident, 2000)
    started = time.monotonic()
    response = download(app, incident, "postmortem.pdf")
    seconds = time.monotonic() - started
    assert response.status_code == 200
    assert seconds < app.config["PDF_RENDER_TIMEOUT_SECONDS"], seconds
    text = pdf_text(response.data)
    assert "Entry 0000:" in text and "Entry 1999:" in text
    print(f"2,000 entries: {seconds:.1f} s, {len(response.data) / 1024:.0f} KiB")


@pytest.fixture
def app_with(sqlite_url, clock):
    """An app with some of its PDF bounds changed, and Dana."""
    apps = []

    def make(**config):
        apps.append(make_app(sqlite_url, **config))
        add_user(apps[-1], "dana", "Dana Scully")
        return apps[-1]

    yield make
    for made in apps:
        dispose(made)


def test_a_render_over_its_time_is_stopped_with_a_clear_message(app_with) -> None:
    app = app_with(PDF_RENDER_TIMEOUT_SECONDS=0.2)
    incident = declare(app, "dana", severity="SEV2")
    response = download(app, incident, "postmortem.pdf")
    assert response.status_code == 413
    assert "longer than 0.2 seconds" in response.get_data(as_text=True)


def test_print_stops_at_the_entry_bound_and_says_so(app_with) -> None:
    app = app_with(PDF_MAX_TIMELINE_ENTRIES=40)
    incident = declare(app, "dana", severity="SEV2")
    add_entries(app, incident, 50)
    text = pdf_text(download(app, incident, "postmortem.pdf").data)
    assert "Entry 0030:" in text and "Entry 0049:" not in text
    assert "later entries are not printed; the Markdown and JSON exports have every entry" in text


def noisy_png(width: int, height: int) -> bytes:
    out = BytesIO()
    Image.effect_noise((width, height), 90).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def test_a_big_screenshot_is_scaled_down_to_the_image_bound() -> None:
    jpeg = print_jpeg(noisy_png(2400, 1800), MAX_IMAGE_BYTES)
    assert jpeg is not None and len(jpeg) <= MAX_IMAGE_BYTES
    with Image.open(BytesIO(jpeg)) as printed:
        assert printed.format == "JPEG" and max(printed.size) < 2400


def test_an_image_that_cannot_fit_the_bound_is_refused() -> None:
    fetcher = LockedURLFetcher(STATIC, {"evidence:1": noisy_png(200, 100)}, max_image_bytes=100)
    with pytest.raises(RefusedURL):
        fetcher.fetch("evidence:1")


def test_evidence_is_served_only_from_what_the_server_handed_over() -> None:
    fetcher = LockedURLFetcher(STATIC, {"evidence:1": noisy_png(40, 20)})
    assert fetcher.fetch("evidence:1").read().startswith(b"\xff\xd8")  # a JPEG
    for url in ("evidence:2", "evidence:../../etc/passwd", "evidence:"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


@pytest.mark.parametrize("span_minutes", [1, 59, 600, 60 * 24 * 31, 60 * 24 * 365 * 9998])
def test_the_timeline_picture_has_a_few_ticks_whatever_the_span(span_minutes) -> None:
    assert span_minutes / tick_step(span_minutes) <= MAX_TICKS


def test_entries_at_both_edges_of_the_window_export_whole(app, dana, clock) -> None:
    incident = declare(app, "dana", severity="SEV2")
    [client] = join_all(app, incident, "dana")
    declared = clock.current
    for text, at in (
        ("Disk began filling", declared - timedelta(days=30)),
        ("Clock ahead by an hour", declared + timedelta(minutes=59)),
    ):
        payload = {"incident_id": incident, "kind": "note", "text": text, "occurred_at": iso(at)}
        assert change(client, "timeline.add", payload)["ok"]
    assert change(client, "incident.all_clear", alone(incident))["ok"]
    response = download(app, incident, "postmortem.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    shown = pdf_text(response.data)
    assert "Disk began filling" in shown and "Clock ahead by an hour" in shown
    ticks = timeline_svg(document_of(app, incident)).count('stroke="#d0d7de"')
    assert 1 <= ticks <= MAX_TICKS + 1
    for name in ("postmortem.md", "export.json"):
        assert download(app, incident, name).status_code == 200


def test_a_render_that_fails_answers_the_documented_error_page(sqlite_url, clock) -> None:
    # A worker that may not have the memory WeasyPrint needs dies: a real failure.
    app = make_app(sqlite_url, PDF_MEMORY_LIMIT_BYTES=40 * 1024 * 1024)
    try:
        add_user(app, "dana")
        incident = declare(app, "dana", severity="SEV2")
        [client] = join_all(app, incident, "dana")
        assert change(client, "incident.all_clear", alone(incident))["ok"]
        response = download(app, incident, "postmortem.pdf")
        page = response.get_data(as_text=True)
        assert response.status_code == 500 and response.mimetype == "text/html"
        assert "could not be rendered" in page and "Incident Room" in page
        assert "Internal Server Error" not in page
    finally:
        dispose(app)
