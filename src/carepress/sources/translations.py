"""A topic in a language other than the default: its catalogue checked, and what the
translation covers.

Translations are gettext catalogues, one per topic (``docs/locales/<lang>/LC_MESSAGES/
<topic>.po``), applied by Sphinx's own Locale transform as the topic is read. Then:

- **Catalogue** (source-read): the PO file is parsed (a syntax error names its line) and
  each translation is held against its English message: a MyST role, a directive fence
  or a link target the English has must be in the translation too. Either problem is an
  error naming the PO file and line; that topic's edition in the language is not
  printed, and its previous PDFs are kept.
- **Coverage** (doctree-read, after the Locale transform): every translatable node that
  did not get a translation is untranslated or stale (its English changed since it was
  translated: the catalogue has no message for the new text, or only a fuzzy one,
  which Sphinx does not apply). Their lines are the English source's. Such an edition
  is out of date: it is not printed and what was printed before is withdrawn
  (brochure/builder.py, site/pdfs.py), since it can carry outdated safety advice.
- **Review**: the catalogue's header records who reviewed the translation, when, and
  which English version it matches (``X-Translation-Reviewer``, ``X-Translation-
  Reviewed``, ``X-Source-Version``); the edition's review line prints it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.transforms import SphinxTransform

from .. import compat, languages, outputs
from ..errors import report
from .topic import topics

REVIEWER, REVIEWED, SOURCE_VERSION = "X-Translation-Reviewer", "X-Translation-Reviewed", \
    "X-Source-Version"
# What a translation must keep of its English message: MyST roles, directive fences,
# link targets (``](target)``) and substitutions.
KEPT = (("role", re.compile(r"\{[\w:-]+\}`[^`]*`")),
        ("directive fence", re.compile(r"^\s*(?::{3,}|`{3,})", re.M)),
        ("link target", re.compile(r"\]\([^)\s]*\)")),
        ("substitution", re.compile(r"\{\{[^}]*\}\}")))


@dataclass
class Stale:
    line: int | None  # in the English source
    text: str         # the English text as it is now


@dataclass
class Translation:
    """One topic in one language other than the default."""
    lang: str
    catalogue: Path
    exists: bool = False
    problem: str = ""                # a catalogue that cannot be used: why (file:line)
    translated: int = 0
    total: int = 0
    stale: list[Stale] = field(default_factory=list)
    reviewer: str = ""
    reviewed: dt.date | None = None
    source_version: str = ""

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 0.0

    @property
    def up_to_date(self) -> bool:
        return self.exists and not self.problem and not self.stale and self.total > 0

    def why_not(self, source: Path) -> str:
        """Why this edition is not printed, for the build's log and the report."""
        name = languages.name(self.lang, "en")
        if self.problem:
            return f"its catalogue {self.problem}"
        if not self.exists:
            return (f"it has no {name} catalogue yet ({_rel(self.catalogue)}); run "
                    "`make translations` and translate it")
        first = self.stale[0]
        return (f"{len(self.stale)} of {self.total} message(s) are untranslated or changed "
                f"in English since they were translated ({self.percent:.0f}% translated; "
                f"first: {_rel(source)}:{first.line} \"{_short(first.text)}\")")


def _rel(path: Path) -> str:
    from ..checks.model import relpath
    return relpath(path)


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 3] + "..."


def catalogue_of(app, lang: str, docname: str) -> Path:
    """The topic's PO file: in the first of ``locale_dirs`` that has it."""
    dirs = [Path(app.srcdir, d) for d in (app.config.locale_dirs or ["locales"])]
    paths = [outputs.catalogue_path(d, lang, docname) for d in dirs]
    return next((p for p in paths if p.is_file()), paths[0])


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


def kept_parts(text: str) -> list[tuple[str, str]]:
    return sorted((what, m.group(0).strip()) for what, rx in KEPT for m in rx.finditer(text))


def check_catalogue(path: Path, translation: Translation) -> None:
    """Parse ``path`` (polib) and hold each translation against its English message."""
    import polib
    try:
        po = polib.pofile(str(path), wrapwidth=0)
    except (OSError, ValueError) as error:
        m = re.search(r"\(line (\d+)\)", str(error))
        line = m.group(1) if m else "1"
        translation.problem = (f"{_rel(path)}:{line} is not a valid PO file ({error}). Fix "
                               "the quotes on that line, or open it in a PO editor")
        report(f"the {languages.name(translation.lang, 'en')} translation cannot be read: it "
               f"is not a valid PO file ({error}). Fix the quotes on that line, or open it in "
               "a PO editor. This topic is not printed in that language; its previous PDFs "
               "are kept.", location=f"{path}:{line}")
        return
    meta = po.metadata
    translation.reviewer = meta.get(REVIEWER, "").strip()
    translation.reviewed = _date(meta.get(REVIEWED, ""))
    translation.source_version = meta.get(SOURCE_VERSION, "").strip()
    for entry in po:
        if not entry.msgstr or entry.obsolete or "fuzzy" in entry.flags:
            continue
        lost = [part for part in kept_parts(entry.msgid) if part not in kept_parts(entry.msgstr)]
        added = [part for part in kept_parts(entry.msgstr) if part not in kept_parts(entry.msgid)]
        if lost or added:
            what, text = (lost or added)[0]
            verb = "loses" if lost else "adds"
            translation.problem = (f"{_rel(path)}:{entry.linenum} {verb} the {what} `{text}`")
            report(f"this translation {verb} the {what} `{text}` of its English message, so "
                   "the page would lose its structure. Keep roles such as {clinic}`phone`, "
                   "directive fences (:::) and link targets exactly as in the English "
                   "(msgid). This topic is not printed in that language; its previous PDFs "
                   "are kept.", location=f"{path}:{entry.linenum}")
            return


def read_catalogue(app, docname: str, source: list[str]) -> None:
    """source-read, outside the default language: the topic's catalogue checked."""
    topic = topics(app.env).get(docname)
    if topic is None or languages.is_default(app.config):
        return
    lang = languages.current(app.config)
    path = catalogue_of(app, lang, docname)
    topic.translation = Translation(lang, path, exists=path.is_file())
    if topic.translation.exists:
        check_catalogue(path, topic.translation)


ENGLISH_ALT = "carepress-english-alt"


class RememberEnglishAlt(SphinxTransform):
    """Before Sphinx's Locale transform (priority 20): each image's English alt text.
    Locale replaces a translated alt without marking the image translated."""
    default_priority = 15

    def apply(self, **kwargs) -> None:
        if languages.is_default(self.config):
            return
        for image in self.document.findall(nodes.image):
            if image.get("alt"):
                image[ENGLISH_ALT] = image["alt"]


def find_untranslated(app, doctree) -> None:
    """doctree-read, after Sphinx's Locale transform: what it did not translate."""
    topic = topics(app.env).get(app.env.docname)
    if topic is None or topic.translation is None:
        return
    t = topic.translation
    t.total, t.translated, t.stale = 0, 0, []
    for node, message, translated in compat.translation_states(doctree):
        if isinstance(node, nodes.image) and ENGLISH_ALT in node:
            translated = translated or node["alt"] != node[ENGLISH_ALT]
            message = node[ENGLISH_ALT]
        t.total += 1
        if translated:
            t.translated += 1
        else:
            t.stale.append(Stale(node.line or get_source_line(node)[1], message))


def mark_not_available(app, doctree) -> None:
    """An out-of-date edition's page says so in its title (the site's lists show it);
    its page body is replaced by site/topic_page.py."""
    topic = topics(app.env).get(app.env.docname)
    if topic is None or topic.translation is None or topic.translation.up_to_date:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None and isinstance(section[0], nodes.title):
        _ = languages.gettext(topic.translation.lang)
        note = _("not yet available in {language}").format(
            language=languages.name(topic.translation.lang, topic.translation.lang))
        section[0].replace_self(nodes.title("", f"{topic.english_title} ({note})"))
