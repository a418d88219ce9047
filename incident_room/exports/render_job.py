"""What the server sends the PDF worker on stdin: the page and the evidence images it shows.

One JSON line names each part and its length, then the parts follow as raw bytes, so the
images travel as they are stored (no base64 on the server's event loop)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PrintJob:
    html: str
    images: dict[str, bytes] = field(default_factory=dict)  # by the URL the page uses

    def pack(self) -> bytes:
        page = self.html.encode("utf-8")
        header = {
            "html": len(page),
            "images": [[name, len(blob)] for name, blob in self.images.items()],
        }
        return b"".join([json.dumps(header).encode("ascii"), b"\n", page, *self.images.values()])

    @classmethod
    def unpack(cls, job: bytes) -> PrintJob:
        line, _, body = job.partition(b"\n")
        header = json.loads(line)
        images, offset = {}, header["html"]
        for name, length in header["images"]:
            images[name] = body[offset : offset + length]
            offset += length
        return cls(body[: header["html"]].decode("utf-8"), images)
