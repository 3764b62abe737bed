"""A topic's Markdown, read with MyST: whatever fails while it is read is that topic's error.

A directive of another extension, a role or MyST itself can raise on input its authors
did not expect. Sphinx would then stop the whole build with a traceback; this parser
(MyST's, registered in its place) reports the failure as the topic's error with its
line (carepress/isolation.py) and keeps only the topic's title, so the build goes on
and every other topic still prints.
"""

from __future__ import annotations

from docutils.utils import new_document
from myst_parser.parsers.sphinx_ import MystParser

from .. import compat
from ..isolation import failed

KEPT_DOCTREES = 100  # doctrees read and held for writing; beyond, read back from disk


class TopicParser(MystParser):
    def parse(self, inputstring: str, document) -> None:
        try:
            super().parse(inputstring, document)
        except Exception as exc:  # noqa: BLE001 - it becomes the topic's error
            env = document.settings.env
            failed(env, env.docname, "reading this topic", exc)
            _empty(document)
            first = inputstring.split("\n", 1)[0]
            # The title line that carepress put where the front matter was (topic.py).
            super().parse(first if first.startswith("# ") else "", document)

    def get_transforms(self):
        return [_guarded(transform) for transform in super().get_transforms()]


def _empty(document) -> None:
    """``document`` as docutils made it: no nodes, and no names or ids of nodes that the
    failed reading had registered."""
    fresh = new_document(document.get("source", ""), document.settings)
    for name, value in vars(fresh).items():
        if isinstance(value, (dict, list)):
            setattr(document, name, value)


def _guarded(transform):
    """MyST's own transforms (footnotes, anchors) on this topic, failing as its error."""
    def apply(self, **kwargs):
        try:
            transform.apply(self, **kwargs)
        except Exception as exc:  # noqa: BLE001 - it becomes the topic's error
            env = self.document.settings.env
            failed(env, env.docname, "reading this topic", exc)
    return type(transform.__name__, (transform,), {"apply": apply})


def add_parser(app) -> None:
    app.setup_extension("myst_parser")  # MyST registers its parser first; ours replaces it
    app.add_source_parser(TopicParser, override=True)


def few_doctrees_in_memory(app, doctree, docname: str | None = None) -> None:
    """Memory that does not grow with the library: at most KEPT_DOCTREES doctrees wait in
    memory for the writing phase, or stay there once written (benchmarks/README.md,
    memory). On doctree-read and on doctree-resolved."""
    compat.forget_doctrees(app.env, KEPT_DOCTREES)
