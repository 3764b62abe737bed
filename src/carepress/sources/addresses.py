"""Addresses a topic's print HTML can hold, shared by the topic checks and the fetcher."""

from __future__ import annotations

import base64
import binascii
import os
import re
from urllib.parse import unquote, urlsplit

IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml"}


def decode_data_uri(uri: str) -> tuple[str, bytes]:
    """(media type, bytes) of a ``data:`` address; ValueError if it is broken."""
    m = re.match(r"data:([^;,]*)((?:;[^;,]*)*),(.*)", uri, re.S)
    if not m:
        raise ValueError("it is not a valid data: address")
    mime, params, payload = (m[1].strip().lower() or "text/plain"), m[2].lower(), m[3]
    if ";base64" not in params:
        return mime, unquote(payload).encode()
    try:
        return mime, base64.b64decode(unquote(payload), validate=False)
    except (binascii.Error, ValueError):
        raise ValueError("its base64 data is broken") from None


def key(url: str) -> str:
    """One spelling per address, so a refused one can be traced to its line in the topic."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return os.path.normpath(unquote(parts.path))
    return unquote(url)
