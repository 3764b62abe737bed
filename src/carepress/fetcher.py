"""The only URL fetcher any render uses: files inside the allowed folders, nothing else.

WeasyPrint's default fetcher reads any ``file://`` path and any web address.
Topics come from pull requests, so a render may read only the project's files,
the build folder, carepress's own package data and the fonts it was given.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse


class Refused(ValueError):
    """WeasyPrint logs it as a failed load; the renderer turns it into an error."""


class LockedFetcher(URLFetcher):
    def __init__(self, roots: list[Path]):
        super().__init__(allow_redirects=False)
        self.roots = [Path(r).resolve() for r in roots]
        self.refused: list[str] = []

    def refuse(self, url: str, why: str):
        self.refused.append(f"{url} ({why})")
        raise Refused(f"carepress refused to load {url}: {why}")

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file":
            self.refuse(url, "only files inside the project may be used")
        path = Path(unquote(parts.path)).resolve()  # follows symlinks, then checks
        if not any(path.is_relative_to(root) for root in self.roots):
            self.refuse(url, "the file is outside the project")
        if not path.is_file():
            self.refuse(url, "the file does not exist")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
