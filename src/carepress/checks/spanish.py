"""Reading level of Spanish text: Fernández-Huerta and Szigriszt-Pazos (INFLESZ).

- Fernández-Huerta (1959), as corrected by Law (2011) and as textstat computes it:
  ``206.84 − 0.60·P − 1.02·(words / sentences)``, P = syllables per 100 words. (The
  formula as first printed has "sentences per 100 words" for the last term, which rewards
  long sentences; every current implementation uses words per sentence.) 70 and above
  reads fairly easily.
- Szigriszt-Pazos perspicuity (1993): ``206.835 − 62.3·(syllables / words) −
  (words / sentences)``; INFLESZ (Barrio-Cantalejo et al., Anales Sis San Navarra 2008)
  reads it on a health-information scale: under 40 muy difícil, 40–55 algo difícil,
  55–65 normal, 65–80 bastante fácil, 80 and above muy fácil.

Syllables come from :func:`syllables`, rules of Spanish syllabification rather than
hyphenation points (pyphen's ``es`` dictionary puts none between the vowels of a hiatus,
"dí-a" is one break point short; tests/test_spanish.py compares both with a hand count).
"""

from __future__ import annotations

import re

VOWELS = set("aeiouáéíóúü")
# a, e, o, and an accented i or u (día, reúne), start a syllable of their own after
# another of them (a hiatus); i, u and ü join their neighbour (a diphthong: agua, ciudad).
OPEN = set("aeoáéóíú")

LEVELS = ((80, "muy fácil"), (65, "bastante fácil"), (55, "normal"), (40, "algo difícil"),
          (0, "muy difícil"))


def syllables(word: str) -> int:
    """Syllables of one Spanish word, by vowel nuclei: diphthongs and triphthongs
    are one, a hiatus two; the u of que/qui/gue/gui is silent, a final y a vowel."""
    w = word.lower()
    if re.fullmatch(r"[\d.,]+", w):
        return 1  # a numeral, as the English count
    w = re.sub(r"([qg])u(?=[eiéí])", r"\1", w)
    w = re.sub(r"(?<=[aeiouáéíóú])y$", "i", w)
    if w == "y":
        return 1
    count, previous = 0, ""
    for ch in w:
        if ch not in VOWELS:
            previous = ""
            continue
        if not previous or (previous in OPEN and ch in OPEN):
            count += 1
        previous = ch
    return max(count, 1)


def fernandez_huerta(r) -> float:
    """``r``: a readability.Readability (words, sentences, syllables)."""
    if not r.words or not r.sentences:
        return 0.0
    return 206.84 - 60 * r.syllables / r.words - 1.02 * r.words / r.sentences


def szigriszt_pazos(r) -> float:
    """The INFLESZ score."""
    if not r.words or not r.sentences:
        return 0.0
    return 206.835 - 62.3 * r.syllables / r.words - r.words / r.sentences


def inflesz_level(score: float) -> str:
    return next(name for floor, name in LEVELS if score >= floor)
