"""Which brochures a change touches, and which of their pages.

Brochures are byte-identical when nothing that goes into them changed, so two PDF folders
are compared byte for byte first; only the PDFs that differ are rendered.

For those, each page number is compared as a reviewer flips through the two versions:

- **changed**: the page looks different and a word on it was added, removed or replaced
  (a word diff over the whole brochure's text says which), or its words are the same but
  something else on it differs (an image, a colour, the spacing);
- **text moved**: the page looks different, but no word on it was edited: text moved in
  from, or out to, a neighbouring page because of an edit elsewhere. Reported apart, so
  the pages that really changed stand out, and still shown, since a reviewer wants to
  see a heading that now ends a page;
- **added** / **removed**: pages past the end of the other version;
- unchanged pages (and pages whose only difference is the "Page N of M" footer, when the
  page count changed) are not listed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import page_diff
from .pages import Page, read

PAGE_NUMBER = re.compile(r"Page \d+ of \d+")
FOOTER_BAND = 0.9  # a difference below this fraction of the page height is in the footer


@dataclass(frozen=True)
class Brochure:
    """One brochure, named by its place under the PDF folder:
    ``<brand>[/<language>]/<topic>-<format>.pdf``."""
    path: str        # relative, with forward slashes
    topic: str
    brand: str
    language: str    # "" when the folder has no language level
    fmt: str

    def label(self) -> str:
        where = ", ".join(p for p in (self.brand, self.language) if p)
        return f"{self.topic} {self.fmt} ({where})"


@dataclass
class PageChange:
    number: int
    kind: str  # "changed", "text moved", "added", "removed"
    before: Page | None = None
    after: Page | None = None
    boxes: list = field(default_factory=list)
    mask: object = None
    text_diff: list[str] = field(default_factory=list)
    edits: list[str] = field(default_factory=list)  # "old words" -> "new words", short


@dataclass
class BrochureChange:
    brochure: Brochure
    status: str  # "changed" (bytes differ), "added", "removed"
    pages_before: int = 0
    pages_after: int = 0
    pages: list[PageChange] = field(default_factory=list)

    def summary(self) -> str:
        if self.status in ("added", "removed"):
            n = self.pages_after or self.pages_before
            return f"{self.brochure.label()}: new brochure, {n} page(s)" \
                if self.status == "added" else f"{self.brochure.label()}: brochure removed"
        if not self.pages:
            return f"{self.brochure.label()}: no page looks different (the file changed)"
        parts = []
        for kind in ("changed", "text moved", "added", "removed"):
            numbers = [p.number for p in self.pages if p.kind == kind]
            if numbers:
                word = "page" if len(numbers) == 1 else "pages"
                parts.append(f"{word} {_ranges(numbers)} {kind}")
        return f"{self.brochure.label()}: {', '.join(parts)}"


def _ranges(numbers: list[int]) -> str:
    out, start = [], None
    for i, n in enumerate(numbers):
        start = n if start is None else start
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            out.append(str(n) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(out[:-1]) + " and " + out[-1] if len(out) > 1 else out[0]


def brochures(pdfs: Path, formats: tuple[str, ...]) -> dict[str, Brochure]:
    """Every brochure under ``pdfs`` (not the hidden print HTML or scratch folders)."""
    out = {}
    for pdf in sorted(Path(pdfs).glob("**/*.pdf")):
        rel = pdf.relative_to(pdfs)
        if any(part.startswith(".") for part in rel.parts) or len(rel.parts) not in (2, 3):
            continue
        fmt = next((f for f in sorted(formats, key=len, reverse=True)
                    if rel.stem.endswith(f"-{f}")), "")
        topic = rel.stem[:-len(fmt) - 1] if fmt else rel.stem
        language = rel.parts[1] if len(rel.parts) == 3 else ""
        out[rel.as_posix()] = Brochure(rel.as_posix(), topic, rel.parts[0], language, fmt)
    return out


def differing(before: Path, after: Path, formats: tuple[str, ...]):
    """(brochure, status) for each brochure added, removed or whose bytes differ, and the
    number of brochures compared."""
    old, new = brochures(before, formats), brochures(after, formats)
    out = []
    for path in sorted(old.keys() | new.keys()):
        if path not in old:
            out.append((new[path], "added"))
        elif path not in new:
            out.append((old[path], "removed"))
        elif Path(before, path).read_bytes() != Path(after, path).read_bytes():
            out.append((new[path], "changed"))
    return out, len(old.keys() | new.keys())


def compare(brochure: Brochure, status: str, before: Path, after: Path) -> BrochureChange:
    """The page-by-page change of one brochure (``before``/``after``: the PDF folders)."""
    old = read(Path(before, brochure.path)) if status != "added" else []
    new = read(Path(after, brochure.path)) if status != "removed" else []
    change = BrochureChange(brochure, status, len(old), len(new))
    if status != "changed":
        change.pages = [PageChange(p.number, status, after=p if status == "added" else None,
                                   before=p if status == "removed" else None)
                        for p in (new or old)]
        return change
    edited_old, edited_new, edits = _word_edits(old, new)
    for n in range(1, max(len(old), len(new)) + 1):
        b = old[n - 1] if n <= len(old) else None
        a = new[n - 1] if n <= len(new) else None
        if b is None or a is None:
            kind = "added" if b is None else "removed"
            change.pages.append(PageChange(n, kind, b, a, text_diff=_text_diff(b, a)))
            continue
        mask = page_diff.changed_mask(b.image, a.image)
        regions = page_diff.boxes(mask)
        if not regions:
            continue
        same_words = _words(b.text) == _words(a.text)
        if n in edited_old or n in edited_new:
            kind = "changed"
        elif same_words and b.text != a.text and _in_footer(regions, a.image.height):
            continue  # only "Page N of M" changed: the page count did
        elif same_words:
            kind = "changed"  # the same words, something else on the page differs
        else:
            kind = "text moved"
        change.pages.append(PageChange(n, kind, b, a, regions, mask, _text_diff(b, a),
                                       edits.get(n, [])))
    return change


def _words(text: str) -> list[str]:
    return PAGE_NUMBER.sub(" ", text).split()


def _in_footer(regions, height: int) -> bool:
    return all(top >= height * FOOTER_BAND for _, top, _, _ in regions)


def _word_edits(old: list[Page], new: list[Page]):
    """The pages (numbers) of each version with an edited word, and for each new page the
    edits on it, as short "before → after" strings: one word diff over the whole text,
    so text that only moved to another page is not an edit."""
    a = [(w, p.number) for p in old for w in _words(p.text)]
    b = [(w, p.number) for p in new for w in _words(p.text)]
    matcher = difflib.SequenceMatcher(None, [w for w, _ in a], [w for w, _ in b],
                                      autojunk=False)
    edited_old, edited_new, edits = set(), set(), {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        old_pages = {p for _, p in a[i1:i2]}
        new_pages = {p for _, p in b[j1:j2]}
        if not new_pages and b:  # a deletion shows where the next word now is
            new_pages = {b[min(j1, len(b) - 1)][1]}
        if not old_pages and a:
            old_pages = {a[min(i1, len(a) - 1)][1]}
        edited_old |= old_pages
        edited_new |= new_pages
        text = f"“{_short(a[i1:i2])}” → “{_short(b[j1:j2])}”"
        for page in new_pages:
            edits.setdefault(page, []).append(text)
    return edited_old, edited_new, edits


def _short(words, most: int = 12) -> str:
    text = " ".join(w for w, _ in words[:most])
    return text + (" …" if len(words) > most else "")


def _text_diff(before: Page | None, after: Page | None) -> list[str]:
    old = before.text.splitlines() if before else []
    new = after.text.splitlines() if after else []
    return list(difflib.unified_diff(old, new, "before", "after", n=1, lineterm=""))[2:]
