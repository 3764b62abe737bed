"""What a writer can use beyond plain MyST.

- ``{key-points}``: the tinted box with the main message, near the top.
- ``{call-us}``: the boxed "When to call us" list; the clinic's phones are added.
- ``{clinic}`name```: a clinic detail (name, phone, after-hours, website, email, emergency)
  that each brand fills in, so one topic prints for every clinic.
"""

from __future__ import annotations

import re

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.locale import get_translation
from sphinx.util.docutils import SphinxDirective, SphinxRole

from ..languages import CATALOGUE

_ = get_translation(CATALOGUE)  # in the language being read

CLINIC_FIELDS = ("name", "phone", "after-hours", "website", "email", "emergency")


class clinic_field(nodes.Inline, nodes.TextElement):
    """Placeholder for a clinic detail; replaced with the brand's value before writing."""


class _Box(SphinxDirective):
    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = {"class": directives.class_option}
    box_class = ""
    default_title = ""

    def run(self):
        title = self.arguments[0] if self.arguments else str(_(self.default_title))
        box = nodes.admonition("", classes=["carepress-box", self.box_class]
                               + self.options.get("class", []))
        self.set_source_info(box)
        textnodes, messages = self.parse_inline(title, lineno=self.lineno)
        heading = nodes.title(title, "", *textnodes)
        if self.arguments:  # the writer's title is text of the page: translated
            self.set_source_info(heading)
        else:  # carepress's own words, already in the language being read
            heading["translatable"] = False
        box += heading
        box += messages
        box += self.parse_content_to_nodes(allow_section_headings=False)
        box.extend(self.extra())
        return [box]

    def extra(self):
        return []


class KeyPoints(_Box):
    box_class = "key-points"
    default_title = "Key points"


class CallUs(_Box):
    box_class = "call-us"
    default_title = "When to call us"

    def extra(self):
        para = nodes.paragraph(classes=["call-us-phones"])
        line = str(_("Call us at {phone}. After hours, call {after_hours}."))
        for i, part in enumerate(re.split(r"\{(phone|after_hours)\}", line)):
            if i % 2:
                field = part.replace("_", "-")
                para += nodes.strong("", "", clinic_field("", "", field=field))
            elif part:
                para += nodes.Text(part)
        return [para]


class ClinicRole(SphinxRole):
    def run(self):
        name = self.text.strip().lower()
        if name not in CLINIC_FIELDS:
            msg = self.inliner.reporter.error(
                f"unknown clinic detail '{self.text}'; use one of {', '.join(CLINIC_FIELDS)}.",
                line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, msg)], [msg]
        node = clinic_field(self.rawtext, "", field=name)
        if name == "phone":
            node = nodes.strong("", "", node)
        return [node], []


def fill_clinic_fields(doctree, brand) -> None:
    for node in list(doctree.findall(clinic_field)):
        node.replace_self(nodes.Text(brand.field(node["field"])))


def _no_visit(self, node):
    raise nodes.SkipNode  # never reached: fields are filled before any writer runs


def add_directives(app) -> None:
    app.add_node(clinic_field, html=(_no_visit, None), text=(_no_visit, None))
    app.add_directive("key-points", KeyPoints)
    app.add_directive("call-us", CallUs)
    app.add_role("clinic", ClinicRole())
