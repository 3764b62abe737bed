"""A page that lists a topic in its toctree (the catalogue) is written again only when
the topic's entry there could have changed, not whenever the topic's text did.

Sphinx writes every page whose toctree includes a topic it writes (``files_to_rebuild``):
in a library of thousands of topics, the catalogue's page (a toctree of every topic) and
its sidebar were written after every one-word edit, a cost that grows with the library.
A toctree shows a topic's title and sections (its TOC), and the ``{topic-catalogue}``
(site/catalogue.py) its summary, category, formats and review date, so carepress keeps,
for each topic, a digest of those and the time that digest last changed (in the
environment, saved with it). When a site build starts writing (``write-started``), a
page that includes a topic whose digest has not changed since the page was written no
longer counts that topic as a reason to write it. Its own changes (its source, another
topic's title) still count: Sphinx decides those as before.
"""

from __future__ import annotations

import hashlib
import os
import time

from ..sources.topic import topics
from . import HTML_BUILDERS


def _digests(env) -> dict:
    if not hasattr(env, "carepress_tocs"):
        env.carepress_tocs = {}
    return env.carepress_tocs


def on_doctree_read(app, doctree) -> None:
    """After Sphinx's collectors: the digest of the topic's title, TOC and catalogue
    entry, and when it last changed."""
    env, docname = app.env, app.env.docname
    toc, title = env.tocs.get(docname), env.titles.get(docname)
    text = (toc.pformat() if toc is not None else "") + (title.astext() if title else "")
    topic = topics(env).get(docname)
    if topic is not None:  # what the catalogue shows of it
        t = topic.translation
        text += repr((topic.title, topic.summary, topic.category, topic.reviewed,
                      topic.formats, t is None or t.up_to_date))
    digest = hashlib.sha256(text.encode()).hexdigest()
    known = _digests(env).get(docname)
    if known is None or known[0] != digest:
        _digests(env)[docname] = (digest, time.time_ns())


def on_env_merge_info(app, env, docnames, other) -> None:
    mine, theirs = _digests(env), _digests(other)
    for docname in docnames:
        if docname in theirs:
            mine[docname] = theirs[docname]


def on_write_started(app, builder) -> None:
    """Leave out of ``files_to_rebuild`` each page already written after the TOC of the
    topic it includes last changed (for this build only: the environment is saved
    before writing)."""
    if builder.name not in HTML_BUILDERS:
        return
    env, digests = builder.env, _digests(builder.env)
    written: dict[str, int] = {}

    def written_at(page: str) -> int:
        if page not in written:
            try:
                written[page] = os.stat(builder.get_outfilename(page)).st_mtime_ns
            except OSError:
                written[page] = -1
        return written[page]

    env.files_to_rebuild = {
        docname: {page for page in pages
                  if docname not in digests or written_at(page) < digests[docname][1]}
        for docname, pages in env.files_to_rebuild.items()}
