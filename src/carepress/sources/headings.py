"""One rule for a topic's headings: the title comes from the front matter, so the body has
no level-1 (``#``) heading; sections start at ``##``.

A ``#`` heading in the body would start a second top-level section: its text would print
as a second title and the Sources list (added to the first section) would print before
it. It is an error with its line and the fix, and the topic is not printed.
"""

from __future__ import annotations

from docutils import nodes
from docutils.utils import get_source_line

from .guard import refuse
from .topic import topics


def one_title(app, doctree) -> None:
    topic = topics(app.env).get(app.env.docname)
    if topic is None:
        return
    sections = [child for child in doctree.children if isinstance(child, nodes.section)]
    for section in sections[1:]:
        title = section.next_node(nodes.title)
        text = " ".join(title.astext().split()) if title is not None else ""
        where = (app.env.docname, get_source_line(title)[1] if title is not None else None)
        if text.casefold() == " ".join(topic.title.split()).casefold():
            refuse(app.env, where, f"the heading '# {text}' repeats the title, which is printed "
                   "from the front matter. Delete this line; start sections at ##.")
        else:
            refuse(app.env, where, f"the heading '{text}' is a level-1 (#) heading, a second "
                   "title. Start sections at ##; the title comes from the front matter "
                   f"(write '## {text}', and ### for the headings under it).")
