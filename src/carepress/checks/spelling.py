"""Spelling: Enchant with Hunspell's dictionary for ``spelling_lang`` (en_US) merged with
the extra Hunspell dictionaries of ``carepress_spelling_dictionaries`` (Debian's
hunspell-en-med), plus the project's word list.

It uses sphinxcontrib-spelling's settings (``spelling_lang``,
``spelling_word_list_filename``, ``spelling_ignore_acronyms`` ...), its tokenizer
filters and its ``{spelling:word}`` role. Two things differ on purpose:

- Enchant is pinned to Hunspell: when aspell is installed too, Enchant prefers it and
  aspell's list lacks many medical words ("apnea").
- The medical dictionary has no affix file of its own; like ``hunspell -d
  en_US,en_med_glut`` it is read with en_US's affixes, so both are merged into one
  Hunspell dictionary under ``_build/spelling/`` that Enchant is pointed at, merged
  again when what it is merged from changes (by content, not by file times).
"""

from __future__ import annotations

import os
from pathlib import Path

from .. import atomic, compat, outputs
from ..digests import Digests
from .model import Finding
from . import locate

HUNSPELL_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell/dicts"),
                 Path("/usr/share/myspell"))
INSTALL_HINT = "run `make setup` (it installs hunspell-en-us, hunspell-en-med and libenchant-2-2)"


class SpellingUnavailable(Exception):
    pass


def _find(name: str, suffix: str) -> Path | None:
    return next((d / f"{name}{suffix}" for d in HUNSPELL_DIRS if (d / f"{name}{suffix}").is_file()),
                None)


def _dic_words(path: Path) -> list[str]:
    """The entries of a Hunspell .dic: the first line is a count; indented lines are comments."""
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    return [line.rstrip() for line in lines if line.strip() and not line[0].isspace()]


def merged_dictionary(lang: str, extras: list[str], folder: Path) -> Path:
    """An Enchant config folder whose hunspell/<lang> holds lang's words plus the extras'."""
    aff, dic = _find(lang, ".aff"), _find(lang, ".dic")
    if aff is None or dic is None:
        raise SpellingUnavailable(f"the Hunspell dictionary '{lang}' is not installed; "
                                  f"{INSTALL_HINT}.")
    sources = [dic]
    for extra in extras:
        path = _find(extra, ".dic")
        if path is None:
            raise SpellingUnavailable(
                f"the Hunspell dictionary '{extra}' (carepress_spelling_dictionaries) is not "
                f"installed; {INSTALL_HINT}.")
        sources.append(path)
    target = folder / "hunspell"
    out_dic, out_aff = target / f"{lang}.dic", target / f"{lang}.aff"
    stamp = target / "sources.txt"
    # What it was merged from, by content: a fresh runner's packages (new file times,
    # same bytes) keep the merged dictionary of a restored build folder.
    digests = Digests.at(outputs.digests_path(folder.parent.parent))
    listing = "\n".join(f"{p} {digests.of(p)}" for p in [aff, *sources])
    digests.save()
    if out_dic.exists() and out_aff.exists() and stamp.exists() \
            and stamp.read_text() == listing:
        return folder
    target.mkdir(parents=True, exist_ok=True)
    words = [w for src in sources for w in _dic_words(src)]
    atomic.write_text(out_dic, f"{len(words)}\n" + "\n".join(words) + "\n")
    out_aff.write_bytes(aff.read_bytes())
    stamp.write_text(listing)
    return folder


def open_dictionary(lang: str, extras: list[str], folder: Path):
    """Enchant's dictionary for ``lang`` from Hunspell only, with the extras merged in."""
    try:
        import enchant
    except ImportError as exc:
        raise SpellingUnavailable(f"Enchant is not available ({exc}); {INSTALL_HINT}.") from None
    merged_dictionary(lang, extras, folder)
    # Enchant reads ENCHANT_CONFIG_DIR when a dictionary is requested; set it only then.
    old = os.environ.get("ENCHANT_CONFIG_DIR")
    os.environ["ENCHANT_CONFIG_DIR"] = str(folder)
    try:
        broker = enchant.Broker()
        # Pin the tag itself: Enchant 2.3 ignores a "*" ordering set this way.
        broker.set_ordering(lang, "hunspell")
        return broker.request_dict(lang)
    except enchant.errors.Error as exc:
        raise SpellingUnavailable(f"Enchant has no Hunspell dictionary for '{lang}' ({exc}); "
                                  f"{INSTALL_HINT}.") from None
    finally:
        if old is None:
            os.environ.pop("ENCHANT_CONFIG_DIR", None)
        else:
            os.environ["ENCHANT_CONFIG_DIR"] = old


def fingerprint(app) -> tuple[list[Path], str | None]:
    """The word lists, and what the dictionary was merged from by content (results.py
    keys each topic's spelling results with both); None when there is no dictionary."""
    config = app.config
    folder = outputs.spelling_dir(Path(app.doctreedir).parent)
    try:
        merged_dictionary(config.spelling_lang, list(config.carepress_spelling_dictionaries),
                          folder)
        listing = (folder / "hunspell" / "sources.txt").read_text(encoding="utf-8")
    except (SpellingUnavailable, OSError):
        listing = None
    return Speller.word_lists_of(app), listing


class Speller:
    def __init__(self, app):
        try:
            from enchant.tokenize import EmailFilter, WikiWordFilter, get_tokenizer
            from sphinxcontrib.spelling import filters
        except ImportError as exc:
            raise SpellingUnavailable(f"Enchant is not available ({exc}); {INSTALL_HINT}.") \
                from None
        config = app.config
        self.dictionary = open_dictionary(
            config.spelling_lang, list(config.carepress_spelling_dictionaries),
            outputs.spelling_dir(Path(app.doctreedir).parent))
        self.word_lists = self.word_lists_of(app)
        self.listed = {w for path in self.word_lists
                       for w in path.read_text(encoding="utf-8").split()}
        chain = [filters.ContractionFilter, EmailFilter]
        if config.spelling_ignore_wiki_words:
            chain.append(WikiWordFilter)
        if config.spelling_ignore_acronyms:
            chain.append(filters.AcronymFilter)
        # The PyPI, importable-module, builtin and contributor filters are for code
        # documentation; patient text never uses them.
        self.filters = chain
        self.tokenizer_lang = config.tokenizer_lang
        self.get_tokenizer = get_tokenizer
        self.ignore_factory = filters.IgnoreWordsFilterFactory
        self._last: tuple = (None, None)  # (a topic's own words, its tokenizer)
        self._known: dict[str, bool] = {}

    @staticmethod
    def word_lists_of(app) -> list[Path]:
        names = app.config.spelling_word_list_filename or ["spelling_wordlist.txt"]
        if isinstance(names, str):
            names = names.split(",")
        paths = [Path(app.srcdir, n).resolve() for n in names]
        return [p for p in paths if p.is_file()]

    def misspelled(self, text: str, extra_words=()):
        tokenizer = self._tokenizer(tuple(extra_words))
        for word, pos in tokenizer(text.replace("\u2019", "'")):
            if not self._correct(word):
                yield word, pos

    def _tokenizer(self, extra_words: tuple):
        """One tokenizer per topic's own words (a topic's paragraphs share it; making one
        per paragraph was a tenth of a library's check)."""
        if self._last[0] != extra_words:
            chain = list(self.filters)
            if extra_words:
                chain.append(self.ignore_factory(list(extra_words)))
            self._last = (extra_words, self.get_tokenizer(self.tokenizer_lang, filters=chain))
        return self._last[1]

    def _correct(self, word: str) -> bool:
        """Listed or in the dictionary; each word asked once per run (a library repeats
        most of its words)."""
        known = self._known.get(word)
        if known is None:
            known = self._known[word] = self._listed(word) or bool(self.dictionary.check(word))
        return known

    def _listed(self, word: str) -> bool:
        """In the word list, with Hunspell's case rule: a lower-case entry also allows
        the word capitalised or in capitals; any other entry must match exactly."""
        if word in self.listed:
            return True
        lower = word.lower()
        return lower in self.listed and (word == word.capitalize() or word.isupper())

    def suggest(self, word: str) -> list[str]:
        return self.dictionary.suggest(word)[:4]


def _speller(ctx):
    try:
        return ctx.cached("speller", lambda: Speller(ctx.app)), None
    except SpellingUnavailable as exc:
        first = not ctx.cached("speller-failed", lambda: False)
        ctx.cache["speller-failed"] = True
        return None, exc if first else None


def check(ctx, doc):
    speller, problem = _speller(ctx)
    if problem is not None:
        yield Finding("spelling", "error", None, None, f"spelling: cannot check: {problem}")
    if speller is None:
        return
    words = compat.spelling_words(ctx.app.env, doc.docname)
    lists = ", ".join(ctx.relpath(p) for p in speller.word_lists) or \
        f"a word list ({ctx.app.config.spelling_word_list_filename or 'spelling_wordlist.txt'})"
    for node, text in locate.patient_texts(doc.doctree):
        for word, pos in speller.misspelled(text, words):
            line = locate.line_of(node, text, pos, doc)
            hints = speller.suggest(word)
            hint = f" Did you mean: {', '.join(hints)}?" if hints else ""
            yield Finding("spelling", "error", doc.path, line,
                          f"spelling: '{word}' is not in the dictionary.{hint} If it is right "
                          f"(a name or a term), add it to {lists}.", doc.docname)
