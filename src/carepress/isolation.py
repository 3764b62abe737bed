"""A topic that breaks something breaks only itself.

Whatever fails while carepress reads, prepares, prints or checks a topic (a directive of
another extension, a Sphinx transform, WeasyPrint, a bug in carepress) becomes that
topic's error: its file, the line where it is known, what failed and what to do. The
topic is not printed (its previous PDF stays), the other topics still print, and the
build exits 1. The traceback is shown only with ``-v``.

Where it is caught: :class:`carepress.sources.reading.TopicParser` (MyST and the
directives it runs), :func:`guarded` (carepress's own event handlers, in the table of
``__init__.py``), :func:`write_each` (resolving and writing each topic in the brochure
and check builders), the site's topic page (site/topic_page.py) and each brochure's
printing (brochure/worker/render.py, reported by brochure/printer.py). What escapes all
of them stops the build in one line (pipeline.py).
"""

from __future__ import annotations

import sys
import traceback
from contextlib import contextmanager
from dataclasses import dataclass

from docutils import nodes
from docutils.parsers.rst import Directive
from docutils.utils import get_source_line
from sphinx.util import logging
from sphinx.util.docutils import SphinxRole

from .errors import report
from .sources.guard import blocked

logger = logging.getLogger(__name__)

# Top-level packages whose code a topic's content runs, as writers know them; any other
# is named as it is ("the package 'x'"). The standard library is never the culprit.
PROJECTS = {"carepress": "carepress", "sphinx_design": "sphinx-design", "myst_parser": "MyST",
            "markdown_it": "MyST", "mdit_py_plugins": "MyST", "docutils": "docutils",
            "sphinx": "Sphinx", "sphinxcontrib": "Sphinx", "weasyprint": "WeasyPrint",
            "furo": "furo"}
# The node tree everyone uses: a failure inside it is the caller's.
SHARED = ("docutils.nodes", "docutils.utils")
PLEASE_REPORT = ("please report it to the carepress maintainers with this topic attached "
                 "(`carepress build -v` prints the details to include)")
KEPT = "The topic is not printed (its previous PDF is kept); the other topics still print."


@dataclass
class Failure:
    """Where an exception came from, as far as its traceback tells."""
    project: str = ""  # whose code raised it
    line: int | None = None
    markup: str = ""  # "the {card} directive" or "the {bdg} role", when one was running
    error: str = ""  # "ValueError: ..."


def diagnose(exc: BaseException) -> Failure:
    while exc.__cause__ is not None:  # Sphinx wraps a handler's exception in its own
        exc = exc.__cause__
    failure = Failure(error=f"{type(exc).__name__}: {exc}".rstrip(": ")[:300])
    frames = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    owner = ""  # the package of the directive or role that was running
    for frame in reversed(frames):  # innermost first
        module = str(frame.f_globals.get("__name__", ""))
        top = module.split(".")[0]
        if not failure.project and top not in sys.stdlib_module_names | {"", "__main__"} \
                and not module.startswith(SHARED):
            failure.project = _name(top)
        here = frame.f_locals
        me = here.get("self")
        if not failure.markup and isinstance(me, (Directive, SphinxRole)):
            kind = "directive" if isinstance(me, Directive) else "role"
            failure.markup, failure.line = f"the {{{me.name}}} {kind}", me.lineno
            owner = type(me).__module__.split(".")[0]
        if failure.line is None and isinstance(here.get("node"), nodes.Node):
            failure.line = get_source_line(here["node"])[1]
    if owner:
        failure.project = _name(owner)
    return failure


def _name(package: str) -> str:
    return PROJECTS.get(package, f"the package '{package}'")


def message(failure: Failure, doing: str) -> str:
    """What the writer reads: what failed, whose bug it may be, what to do."""
    if failure.project == "carepress":
        return (f"carepress failed while {doing} ({failure.error}). This is a bug "
                f"in carepress, not in the topic: {PLEASE_REPORT}. {KEPT}")
    who = failure.project or "Python"
    if failure.markup:
        return (f"{failure.markup} failed in {who} ({failure.error}). Check it against the "
                f"documentation of {who}, or write this part another way; if it is written "
                f"as documented, {PLEASE_REPORT}. {KEPT}")
    return (f"{who} failed while {doing} ({failure.error}). Look for unusual "
            f"markup near this line; if the topic looks right, {PLEASE_REPORT}. {KEPT}")


def failed(env, docname: str, doing: str, exc: BaseException) -> None:
    """Report ``exc`` as ``docname``'s error and keep the topic from printing."""
    failure = diagnose(exc)
    report(message(failure, doing), location=(docname, failure.line))
    logger.verbose("".join(traceback.format_exception(exc)))
    blocked(env).add(docname)
    env.reread_always.add(docname)  # reported again at every build until it is fixed


@contextmanager
def one_topic(env, docname: str, doing: str):
    """Any exception inside becomes ``docname``'s error (see :func:`failed`)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - whatever it is, it is this topic's
        failed(env, docname, doing, exc)


def guarded(handler, doing: str):
    """An event handler whose failure on one document is that document's error.

    For events whose first argument after ``app`` is the document's name or its doctree
    (source-read, doctree-read, html-page-context)."""
    def run(app, *args):
        first = args[0] if args else None
        docname = first if isinstance(first, str) else app.env.docname
        if docname not in app.env.found_docs:
            return handler(app, *args)  # a page of Sphinx's own (search, genindex)
        with one_topic(app.env, docname, doing):
            return handler(app, *args)
    run.__name__ = run.__qualname__ = handler.__name__
    return run


def write_each(builder, docnames, doing: str) -> None:
    """Sphinx's serial writing (resolve, then write, each document), one topic at a time:
    a failure while one topic is resolved or written is that topic's error."""
    from sphinx.util.build_phase import BuildPhase
    from sphinx.util.display import status_iterator

    from . import compat
    with logging.pending_warnings():
        for docname in status_iterator(sorted(docnames), "writing output... ", "darkgreen",
                                       len(docnames), builder.config.verbosity):
            with one_topic(builder.env, docname, doing):
                builder.phase = BuildPhase.RESOLVING
                doctree = compat.resolved_doctree(builder, docname)
                builder.phase = BuildPhase.WRITING
                builder.write_doc_serialized(docname, doctree)
                builder.write_doc(docname, doctree)
