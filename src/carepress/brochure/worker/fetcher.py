"""The only URL fetcher any render uses: files inside the allowed folders, nothing else.

WeasyPrint's default fetcher reads any ``file://`` path and any web address.
Topics come from pull requests, so a render may read only the project's files,
the build folder, carepress's own package data and the fonts it was given; a web
address only when ``carepress_allowed_urls`` lists it (redirects are never
followed, so an allowed address cannot lead elsewhere: CVE-2025-68616); a
``data:`` address only when it holds a small image.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ...sources import svgcheck
from ...sources.addresses import IMAGE_TYPES, decode_data_uri

WEB_MAX_BYTES = 20 * 1024 * 1024


class Refused(ValueError):
    """WeasyPrint logs it as a failed load; the renderer turns it into an error."""


class SandboxedFetcher(URLFetcher):
    def __init__(self, roots: list[Path], allowed_urls=(), data_max_kb: int = 256):
        super().__init__(allow_redirects=False, timeout=10)
        self.roots = [Path(r).resolve() for r in roots]
        self.allowed_urls = tuple(allowed_urls)
        self.data_max_bytes = data_max_kb * 1024
        self.refused: list[tuple[str, str]] = []  # (address, why)

    def refuse(self, url: str, why: str):
        self.refused.append((url, why))
        raise Refused(f"carepress refused to load {url}: {why}")

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return self._data(url)
        if scheme in ("http", "https"):
            return self._web(url, headers)
        if scheme != "file":
            self.refuse(url, "only files inside the project may be used")
        path = Path(unquote(urlsplit(url).path)).resolve()  # follows symlinks, then checks
        if not any(path.is_relative_to(root) for root in self.roots):
            self.refuse(url, "the file is outside the project")
        if not path.is_file():
            self.refuse(url, "the file does not exist")
        data = path.read_bytes()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._check_svg(url, mime, data)
        return URLFetcherResponse(url, data, {"Content-Type": mime})

    def _data(self, url: str):
        try:
            mime, data = decode_data_uri(url)
        except ValueError as exc:
            self.refuse(url[:60] + "…", str(exc))
        if mime not in IMAGE_TYPES:
            self.refuse(url[:60] + "…", f"a data: address may only hold an image, not {mime}")
        if len(data) > self.data_max_bytes:
            self.refuse(url[:60] + "…", f"the image is larger than {self.data_max_bytes // 1024} KB")
        self._check_svg(url[:60] + "…", mime, data)
        return URLFetcherResponse(url, data, {"Content-Type": mime})

    def _web(self, url: str, headers):
        if not any(url.startswith(prefix) for prefix in self.allowed_urls):
            self.refuse(url, "web addresses are loaded only when carepress_allowed_urls "
                        "in conf.py lists them")
        try:
            response = super().fetch(url, headers)
        except HTTPError as exc:
            if 300 <= exc.code < 400:
                self.refuse(url, f"it redirects to {exc.headers.get('Location')}; "
                            "redirects are not followed")
            self.refuse(url, f"the server answered {exc.code} {exc.reason}")
        data = response.read(WEB_MAX_BYTES + 1)
        response.close()
        if len(data) > WEB_MAX_BYTES:
            self.refuse(url, f"it is larger than {WEB_MAX_BYTES // 1024 // 1024} MB")
        mime = response.headers.get_content_type()
        self._check_svg(url, mime, data)
        return URLFetcherResponse(url, data, {"Content-Type": mime})

    def _check_svg(self, url: str, mime: str, data: bytes) -> None:
        if mime == "image/svg+xml" and (why := svgcheck.problem(data)):
            self.refuse(url, f"the SVG image is unsafe: {why}")
