"""The only way the PDF renderer may load anything: the app's own bundled assets (the print
stylesheet, fonts), small data: URIs, and the evidence images the server handed over with
the page (`evidence:<n>`, held in memory). http, https, ftp, and file:// outside the assets
folder are refused, so nothing in an incident can make the server fetch a URL or read a
file."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .print_images import SCHEME, print_jpeg

MAX_DATA_URI_BYTES = 256 * 1024
MAX_IMAGE_BYTES = 256 * 1024


class RefusedURL(ValueError):
    pass


class LockedURLFetcher(URLFetcher):
    def __init__(
        self,
        assets: Path,
        images: dict[str, bytes] | None = None,
        max_data_uri_bytes: int = MAX_DATA_URI_BYTES,
        max_image_bytes: int = MAX_IMAGE_BYTES,
    ) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.assets = assets.resolve()
        self.images = images or {}
        self.max_data_uri_bytes = max_data_uri_bytes
        self.max_image_bytes = max_image_bytes
        self.refused: list[str] = []

    def _asset(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        path = Path(url2pathname(parts.path)).resolve()
        return path if path.is_relative_to(self.assets) and path.is_file() else None

    def _image(self, url: str) -> bytes | None:
        blob = self.images.get(url)
        return print_jpeg(blob, self.max_image_bytes) if blob is not None else None

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data" and len(url) <= self.max_data_uri_bytes:
            return super().fetch(url, headers)
        if scheme == "file" and (path := self._asset(url)) is not None:
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime_type})
        if scheme == SCHEME and (jpeg := self._image(url)) is not None:
            return URLFetcherResponse(url, jpeg, {"Content-Type": "image/jpeg"})
        self.refused.append(url)
        raise RefusedURL(f"refused to fetch {url[:200]}")
