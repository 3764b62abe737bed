"""``carepress new <slug>``: a topic skeleton with every required front-matter field and
the sections a patient needs (who it is for, the main message first, what to do, when
to call). "TODO" marks each place to fill in; `make check` fails until none is left.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from ..errors import CarepressError

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*$")

TEMPLATE = """\
---
title: {title}
summary: "TODO: one line saying what the patient learns."
reviewed: {today}  # TODO: the date a clinician reviewed this topic
reviewer: "TODO: who reviewed it, such as Clinical lead, dermatology"
version: "0.1"
sources:
  - title: "TODO: the title of a source a clinician trusts"
    publisher: "TODO: who published it"
    url: https://example.org/TODO
---

This sheet is for TODO: who the topic is for.

:::{{key-points}}
- TODO: the main message, in one short sentence.
- TODO: what the patient should do.
:::

## What is {lower}?

TODO: say what it is in plain words. Keep sentences short.

## Before your visit

- TODO: what to do before the visit.

## During your visit

1. TODO: the first step.
2. TODO: the next step.

## After your visit

- [ ] TODO: a step the patient can tick.

:::{{call-us}}
Call us right away if you have:

- TODO: a warning sign.
:::
"""


def new_topic(slug: str, source: Path, today: dt.date | None = None) -> list[str]:
    """Write ``<source>/<slug>.md``, add it to index.md; return what to tell the writer."""
    if not SLUG.match(slug):
        raise CarepressError(f"'{slug}' is not a topic name: use lower-case words joined by "
                             "hyphens, such as chemical-peel.")
    path = source / f"{slug}.md"
    if path.exists():
        raise CarepressError(f"{path} already exists; pick another name or edit that file.")
    if not source.is_dir():
        raise CarepressError(f"{source} is not a folder; run this in the project folder.")
    title = slug.replace("-", " ").capitalize()
    today = today or dt.date.today()
    path.write_text(TEMPLATE.format(title=title, lower=title.lower(), today=today),
                    encoding="utf-8")
    said = [f"wrote {path}: fill in every TODO, then run `make check`."]
    said.append(_add_to_index(source / "index.md", slug))
    return said


def _add_to_index(index: Path, slug: str) -> str:
    """Append the topic to the first toctree of index.md."""
    if not index.is_file():
        return f"add '{slug}' to the list of topics in your catalogue page."
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"(`{3,}|:{3,})\{toctree\}", line)),
                 None)
    if start is None:
        return f"{index} has no toctree: add '{slug}' to its list of topics."
    fence = re.match(r"[`:]+", lines[start]).group(0)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == fence), None)
    if end is None:
        return f"{index}: the toctree is not closed; add '{slug}' to its list of topics."
    lines.insert(end, f"{slug}\n")
    index.write_text("".join(lines), encoding="utf-8")
    return f"listed it in {index}."
