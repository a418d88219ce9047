"""Reading the post-mortem back: the document, and the exports as a person would read them
(the PDF's text, the Markdown's tables)."""

from __future__ import annotations

import re
from io import BytesIO

from flask import Flask
from pypdf import PdfReader

from incident_room.extensions import db
from incident_room.models import User
from incident_room.services.access import visible_incident
from incident_room.services.postmortem.draft import postmortem_document
from tests.conftest import logged_in_client

MARKDOWN_UNESCAPE = re.compile(r"\\(.)|<br>")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def document_of(app: Flask, incident_id: int, username: str = "dana") -> dict:
    with app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username=username))
        return postmortem_document(visible_incident(user, incident_id))


def download(app: Flask, incident_id: int, name: str, username: str = "dana"):
    return logged_in_client(app, username).get(f"/incidents/{incident_id}/{name}")


def pdf_text(pdf: bytes) -> str:
    """Every page's text with runs of white space (line breaks in table cells) as one space."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_image_sizes(pdf: bytes) -> list[tuple[int, int]]:
    """The size of each distinct image (WeasyPrint shares one resource list across pages)."""
    images = {image.name: image for page in PdfReader(BytesIO(pdf)).pages for image in page.images}
    return [image.image.size for image in images.values()]


def in_order(text: str, parts: list[str], start: int = 0) -> bool:
    """Whether each of `parts` appears in `text` after the one before it."""
    position = start
    for part in parts:
        position = text.find(part, position)
        if position < 0:
            return False
        position += len(part)
    return True


def unescape_markdown(cell: str) -> str:
    return MARKDOWN_UNESCAPE.sub(lambda m: "\n" if m.group(1) is None else m.group(1), cell)


def markdown_table(markdown: str, heading: str) -> list[list[str]]:
    """The rows of the first table under `heading`, each cell unescaped to its plain text."""
    lines = markdown.splitlines()
    start = lines.index(heading)
    while not lines[start].startswith("|"):
        start += 1
    rows = []
    for line in lines[start + 2 :]:  # after the table's heading row and its rule
        if not line.startswith("|"):
            break
        cells = UNESCAPED_PIPE.split(line.strip())[1:-1]
        rows.append([unescape_markdown(cell.strip()) for cell in cells])
    return rows
