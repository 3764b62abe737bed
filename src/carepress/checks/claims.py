"""Safe claims: phrases that must not appear in patient text (``carepress_banned_phrases``),
in any case, with hyphens or line breaks counting as spaces ("FDA-approved")."""

from __future__ import annotations

import re

from .model import Finding
from . import locate
from .review import key_lines


def pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    return re.compile(r"(?<![\w-])" + r"[\s\-]+".join(words) + r"(?![\w-])", re.I)


def check(ctx, doc):
    phrases = [(p, pattern(p)) for p in ctx.config.carepress_banned_phrases if p.strip()]
    if not phrases:
        return
    found = []
    for node, text in locate.patient_blocks(doc.doctree):
        for phrase, rx in phrases:
            for m in rx.finditer(text):
                line = locate.line_of(node, text, m.start(), doc, needle=m.group(0).split()[0])
                found.append((line, phrase, m.group(0)))
    if doc.topic is not None:
        for phrase, rx in phrases:
            m = rx.search(doc.topic.summary)
            if m:
                found.append((key_lines(doc).get("summary"), phrase, m.group(0)))
    for line, phrase, said in sorted(set(found), key=lambda f: (f[0] or 0, f[1])):
        yield Finding("claims", "error", doc.path, line,
                      f"safe claims: '{' '.join(said.split())}' must not be said to patients "
                      f"(carepress_banned_phrases: '{phrase}'). Say what is true for most "
                      f"patients instead, for example 'most people feel mild discomfort'.",
                      doc.docname)
