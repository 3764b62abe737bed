"""Placeholders: ``carepress new`` writes "TODO" where the writer still has work to do;
a topic with one left is not ready for patients."""

from __future__ import annotations

import re

from .model import Finding

TODO = re.compile(r"\bTODO\b")


def check(ctx, doc):
    if doc.topic is None and doc.body_start == 0:
        return
    for n, line in enumerate(doc.lines, start=1):
        if TODO.search(line):
            yield Finding("placeholders", "error", doc.path, n,
                          f"placeholder: '{line.strip()}' still says TODO. Replace it with "
                          "the real text.", doc.docname)
