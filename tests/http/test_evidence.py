"""Evidence images: only real PNG/JPEG/WebP, metadata stripped, served only to insiders."""

from io import BytesIO

import pytest
from PIL import Image

from tests.conftest import add_user, declare, dispose, logged_in_client, make_app
from tests.socket.helpers import add_entry, join_all, received
from tests.support.evidence import image_bytes, upload
from tests.support.web import csrf_from


@pytest.fixture
def setup(app, clock, dana, fox):
    incident = declare(app, "dana", severity="SEV2")
    a, b = join_all(app, incident, "dana", "fox")
    entry = add_entry(a, incident, "Error-rate graph from Grafana")
    client = logged_in_client(app, "dana")
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    b.get_received()
    return incident, entry, client, token, b


@pytest.mark.parametrize(
    ("fmt", "mime"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_an_image_is_attached_and_everyone_in_the_room_hears(setup, fmt, mime) -> None:
    incident, entry, client, token, b = setup
    response = upload(client, token, incident, entry["id"], image_bytes(fmt))
    assert response.status_code == 201, response.get_json()
    evidence = response.get_json()["evidence"]
    assert (evidence["content_type"], evidence["width"], evidence["height"]) == (mime, 40, 20)
    [event] = received(b)
    assert event["type"] == "evidence.attached" and event["data"]["evidence"] == evidence
    served = client.get(evidence["url"])
    assert served.status_code == 200 and served.mimetype == mime
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(BytesIO(served.data)).format == fmt


def test_metadata_is_stripped_and_the_image_turned_upright(setup) -> None:
    incident, entry, client, token, _ = setup
    response = upload(client, token, incident, entry["id"], image_bytes("JPEG", exif=True))
    evidence = response.get_json()["evidence"]
    stored = client.get(evidence["url"]).data
    assert b"SecretCam" not in stored
    image = Image.open(BytesIO(stored))
    assert dict(image.getexif()) == {}
    assert image.size == (20, 40) == (evidence["width"], evidence["height"])


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.png"),
        (b"GIF89a" + b"\x00" * 40, "graph.png"),
        (b"%PDF-1.7 not an image", "graph.jpg"),
        (image_bytes("PNG")[:30], "truncated.png"),
        (image_bytes("GIF"), "graph.png"),
        (b"", "empty.png"),
    ],
)
def test_anything_but_a_real_png_jpeg_or_webp_is_refused(setup, data, filename) -> None:
    incident, entry, client, token, b = setup
    response = upload(client, token, incident, entry["id"], data, filename)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid"
    assert received(b) == []
    assert client.get(f"/api/incidents/{incident}").get_json()["evidence"] == []


def test_a_polyglot_is_stored_as_a_plain_image_without_its_payload(setup) -> None:
    """A real PNG with an HTML page appended (a polyglot) keeps only its picture."""
    incident, entry, client, token, _ = setup
    payload = b"<html><script>alert(document.cookie)</script></html>"
    response = upload(client, token, incident, entry["id"], image_bytes("PNG") + payload)
    assert response.status_code == 201
    served = client.get(response.get_json()["evidence"]["url"])
    assert served.mimetype == "image/png" and b"<script" not in served.data
    assert Image.open(BytesIO(served.data)).size == (40, 20)


def test_the_content_decides_the_type_not_the_name(setup) -> None:
    incident, entry, client, token, _ = setup
    response = upload(client, token, incident, entry["id"], image_bytes("JPEG"), "graph.png")
    assert response.status_code == 201
    assert response.get_json()["evidence"]["content_type"] == "image/jpeg"


def test_an_image_over_the_limit_is_too_large(app, setup) -> None:
    incident, entry, client, token, b = setup
    app.config["EVIDENCE_MAX_BYTES"] = 1000
    big = image_bytes("PNG", size=(400, 400)) + b"\x00" * 2000
    response = upload(client, token, incident, entry["id"], big)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert received(b) == []


def test_evidence_is_not_served_to_outsiders_of_a_private_incident(app, clock, dana) -> None:
    add_user(app, "krycek", "Alex Krycek")
    incident = declare(app, "dana", severity="SEV1", private=True)
    [a] = join_all(app, incident, "dana")
    entry = add_entry(a, incident, "Exfiltration graph")
    client = logged_in_client(app, "dana")
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    url = upload(client, token, incident, entry["id"], image_bytes("PNG")).get_json()["evidence"][
        "url"
    ]
    outsider = logged_in_client(app, "krycek")
    assert outsider.get(url).status_code == 404
    token = csrf_from(outsider.get("/incidents").get_data(as_text=True))
    refused = upload(outsider, token, incident, entry["id"], image_bytes("PNG"))
    assert refused.status_code == 404
    assert app.test_client().get(url).status_code == 302  # anonymous: to the login page


def test_evidence_needs_an_entry_of_that_incident(app, setup) -> None:
    incident, _, client, token, _ = setup
    other = declare(app, "dana", title="Other")
    [c] = join_all(app, other, "dana")
    foreign = add_entry(c, other, "elsewhere")
    response = upload(client, token, incident, foreign["id"], image_bytes("PNG"))
    assert response.status_code == 404


def test_filesystem_storage_keeps_the_bytes_in_the_instance_folder(sqlite_url, tmp_path, clock):
    app = make_app(sqlite_url, EVIDENCE_STORAGE="filesystem")
    app.instance_path = str(tmp_path / "instance")
    add_user(app, "dana", "Dana Scully")
    incident = declare(app, "dana")
    [a] = join_all(app, incident, "dana")
    entry = add_entry(a, incident, "graph")
    client = logged_in_client(app, "dana")
    token = csrf_from(client.get("/incidents").get_data(as_text=True))
    evidence = upload(client, token, incident, entry["id"], image_bytes("PNG")).get_json()[
        "evidence"
    ]
    stored = tmp_path / "instance" / "evidence" / str(incident) / evidence["id"]
    assert stored.read_bytes() == client.get(evidence["url"]).data
    dispose(app)
