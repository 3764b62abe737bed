"""``{topic-catalogue}``: the home page's list of every topic, built from their front
matter, as the libraries of patient-education vendors list theirs.

The directive only marks where the catalogue goes: what it lists (every topic's title,
summary, downloads and review date, grouped by ``category:``) is known once every topic
is read, so the site's builders write it (site/catalogue.py); other builders leave it out.

    ```{topic-catalogue}
    :uncategorised: Other topics
    ```
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective


class topic_catalogue(nodes.General, nodes.Element):
    """Where the catalogue goes; replaced when the page is written."""


class TopicCatalogue(SphinxDirective):
    has_content = False
    option_spec = {"uncategorised": directives.unchanged, "a-z": directives.flag}

    def run(self):
        node = topic_catalogue(uncategorised=self.options.get("uncategorised", ""),
                               az="a-z" in self.options)
        self.set_source_info(node)
        # (the page's toctree lists every topic, so Sphinx writes it again when one changes)
        return [node]


def _skip(self, node):
    raise nodes.SkipNode  # a builder other than the site's: nothing to show


def add_catalogue_directive(app) -> None:
    app.add_node(topic_catalogue, html=(_skip, None), text=(_skip, None),
                 latex=(_skip, None), man=(_skip, None), texinfo=(_skip, None))
    app.add_directive("topic-catalogue", TopicCatalogue)
