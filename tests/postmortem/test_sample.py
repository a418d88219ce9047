"""The sample post-mortem kept in docs/: a scripted incident with every part filled in.

Regenerate with `pytest tests/postmortem/test_sample.py`, then copy
test-artifacts/sample-postmortem.pdf to docs/ and render page 1 with
`pdftoppm -png -r 60 -f 1 -l 1 docs/sample-postmortem.pdf docs/sample-postmortem`.
"""

from io import BytesIO

from PIL import Image, ImageDraw
from pypdf import PdfReader

from tests.postmortem.exports import download, pdf_image_sizes
from tests.postmortem.scripted import record_structured_entries, write_postmortem
from tests.support.evidence import attach
from tests.support.live import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "test-artifacts" / "sample-postmortem.pdf"


def error_rate_graph() -> bytes:
    """A screenshot-like graph: the error rate climbing after the deploy, then falling."""
    image = Image.new("RGB", (800, 300), "white")
    draw = ImageDraw.Draw(image)
    for y in range(40, 300, 50):
        draw.line([(40, y), (790, y)], fill="#e1e4e8")
    rates = [2, 2, 3, 2, 30, 34, 36, 33, 35, 31, 12, 4, 2, 2, 3, 2]
    points = [(40 + i * 50, 280 - rate * 6) for i, rate in enumerate(rates)]
    draw.line(points, fill="#c62828", width=4)
    draw.text((48, 12), "checkout 5xx rate (%)", fill="#1f2328")
    out = BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_a_full_sample_post_mortem_renders(scripted, app) -> None:
    write_postmortem(scripted)
    record = record_structured_entries(scripted)
    attach(app, scripted.incident_id, record.evidence_entry["id"], error_rate_graph(), "dana")
    pdf = download(app, scripted.incident_id, "postmortem.pdf").data
    SAMPLE.parent.mkdir(exist_ok=True)
    SAMPLE.write_bytes(pdf)
    assert len(PdfReader(BytesIO(pdf)).pages) >= 5
    assert pdf_image_sizes(pdf) == [(800, 300)]
