"""What to do, added to the warnings a writer meets most (from MyST and Sphinx).

Their messages say what is wrong and where; a writer also needs the next step. A
filter on Sphinx's log handlers appends it, with a "did you mean" for a misspelt
directive or role.
"""

from __future__ import annotations

import difflib
import logging
import re

from .. import compat

LINKS = ("link to another topic by its file name, like [Aftercare](aftercare.md), to a "
         "heading by its label, like {ref}`my-label`; check the name and that the file is in "
         "docs/source/")


def _did_you_mean(kind: str, message: str) -> str:
    m = re.search(r"""['"]([\w:.-]+)['"]""", message)
    near = difflib.get_close_matches(m.group(1), compat.known_names(kind), n=1) if m else []
    what = f"Did you mean '{near[0]}'? " if near else ""
    return (f"{what}Check the spelling of the {kind}; the ones carepress adds are listed in "
            "README.md (For writers).")


HINTS = {
    ("myst", "directive_unknown"): lambda msg: _did_you_mean("directive", msg),
    ("myst", "role_unknown"): lambda msg: _did_you_mean("role", msg),
    ("myst", "xref_missing"): lambda msg: f"Nothing has that name: {LINKS}.",
    ("myst", "header"): lambda msg: ("Use the next level down (### under ##), so the printed "
                                     "outline and screen readers can follow it."),
    ("ref", "ref"): lambda msg: f"No heading has that label: {LINKS}.",
    ("ref", "doc"): lambda msg: f"No topic has that name: {LINKS}.",
}


class Hints(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        hint = HINTS.get((getattr(record, "type", None), getattr(record, "subtype", None)))
        if hint and not getattr(record, "carepress_hint", False):
            record.carepress_hint = True
            message = record.getMessage()
            record.msg, record.args = f"{message.rstrip('.')}. {hint(message)}", ()
        return True


def add_hints(app) -> None:
    for handler in logging.getLogger("sphinx").handlers:
        handler.filters.insert(0, Hints())
