"""External links, checked by Sphinx's own link checker (retries, time-outs, rate-limit
back-off and request headers come from the ``linkcheck_*`` settings in conf.py).

A definite answer (404, 410, a missing anchor) is an error. A site that cannot be
asked (no network, DNS failure, time-out, refused connection) or that will not answer
(401, 403, 429, 5xx) is a warning that says so, or an error with
``carepress_linkcheck_strict`` (`make linkcheck`). Good results are kept in
``_build/linkcheck/cache.json`` for ``carepress_linkcheck_cache_days``, so a pull
request asks only about new or stale addresses.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes

from .. import atomic
from .model import Finding
from . import locate

GOOD = ("working", "redirected")
GONE = {404: "404 Not Found", 410: "410 Gone"}


@dataclass
class LinkStats:
    links: int = 0
    cached: int = 0
    checked: int = 0
    broken: int = 0
    unreachable: int = 0
    places: dict = field(default_factory=dict)  # uri -> [(doc, line)]


def collect(docs) -> dict[str, list]:
    """uri -> [(doc, line)] for every web address the topics link to or show."""
    places: dict[str, list] = {}
    for doc in docs:
        seen = set()
        for node in doc.doctree.findall(lambda n: isinstance(n, (nodes.reference, nodes.image))):
            uri = node.get("refuri") if isinstance(node, nodes.reference) else node.get("uri")
            if not uri or not re.match(r"https?://", uri):
                continue
            line = locate.find_line(doc, uri.split("#")[0], locate.node_line(node))
            if (uri, line) not in seen:
                seen.add((uri, line))
                places.setdefault(uri, []).append((doc, line))
    return places


class Cache:
    """Addresses that answered well, and when: ``{"version": 1, "good": {uri: epoch}}``."""

    def __init__(self, path: Path, max_age_days: float):
        self.path = path
        self.max_age = max_age_days * 86400
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            self.good = {str(k): float(v) for k, v in data["good"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.good = {}  # no cache yet, or one we cannot read: check everything

    def fresh(self, uri: str, now: float) -> bool:
        return uri in self.good and now - self.good[uri] < self.max_age

    def save(self) -> None:
        atomic.write_text(self.path, json.dumps({"version": 1, "good": self.good}, indent=1,
                                                sort_keys=True))


def classify(status: str, message: str, timeout) -> tuple[str, str] | None:
    """None when the link is fine; else ("gone" | "unreachable", why)."""
    status = str(status)
    if status in GOOD or status == "unchecked":
        return None
    if status == "ignored":
        if "service unavailable" in message:
            return "unreachable", "the site answered 503 Service Unavailable"
        return None  # linkcheck_ignore in conf.py
    if status == "timeout":
        return "unreachable", f"no answer within {timeout} s"
    if message.startswith("Anchor"):
        anchor = re.search(r"'(.*)'", message)
        return "gone", f"the page has no anchor '{anchor.group(1) if anchor else message}'"
    code = re.match(r"(\d{3}) (?:Client|Server) Error", message)
    if code:
        number = int(code.group(1))
        if number in GONE:
            return "gone", f"the site answered {GONE[number]}"
        reason = re.match(r"\d{3} (?:Client|Server) Error: (.*?) for url", message)
        return "unreachable", f"the site answered {number} {reason.group(1) if reason else ''}".strip()
    if message == "unauthorized":
        return "unreachable", "the site answered 401 Unauthorized"
    if "Failed to resolve" in message or "NameResolutionError" in message \
            or "Name or service not known" in message:
        return "unreachable", "the site's name could not be resolved (no network or DNS failure)"
    if "Connection refused" in message:
        return "unreachable", "the connection was refused"
    if "timed out" in message.lower() or "timeout" in message.lower():
        return "unreachable", f"no answer within {timeout} s"
    if "SSL" in message or "CERTIFICATE" in message:
        return "unreachable", "a secure connection could not be made"
    return "unreachable", message.splitlines()[0][:160] if message else "no answer"


def check(ctx, docs, cache_path: Path):
    """Findings for every place a bad address is used, plus the figures for the report."""
    from sphinx.builders.linkcheck import Hyperlink, HyperlinkAvailabilityChecker

    config = ctx.config
    stats = LinkStats()
    places = collect(docs)
    stats.links, stats.places = len(places), places
    cache = Cache(cache_path, config.carepress_linkcheck_cache_days)
    now = time.time()
    todo = {}
    for uri, where in places.items():
        if cache.fresh(uri, now):
            stats.cached += 1
            continue
        doc, line = where[0]
        todo[uri] = Hyperlink(uri, doc.docname, doc.path, line or 0)
    stats.checked = len(todo)
    findings = []
    if todo:
        for result in HyperlinkAvailabilityChecker(config).check(todo):
            problem = classify(result.status, result.message, config.linkcheck_timeout)
            if problem is None:
                if str(result.status) in GOOD:
                    cache.good[result.uri] = now
                continue
            cache.good.pop(result.uri, None)
            kind, why = problem
            if kind == "gone":
                stats.broken += 1
                severity, text = "error", (f"external link: {result.uri} is broken: {why}. "
                                           "Fix the address or remove the link.")
            else:
                stats.unreachable += 1
                severity = "error" if config.carepress_linkcheck_strict else "warning"
                text = (f"external link: {result.uri} could not be reached ({why}), so it was "
                        "not checked. `make linkcheck` checks it again strictly.")
            for doc, line in places[result.uri]:
                findings.append(Finding("external-links", severity, doc.path, line, text,
                                        doc.docname))
        cache.save()
    return findings, stats
