"""The codes a topic may list in its front matter, so an EHR can find it by diagnosis or
procedure (site/fhir.py): ICD-10-CM, SNOMED CT, CPT and HCPCS, each checked for shape.

    codes:
      - {system: icd-10-cm, code: L90.5, display: Scar conditions and fibrosis of skin}
      - {system: snomed-ct, code: "275322007"}

Shapes (not whether the code exists: that needs the licensed code sets):

- ICD-10-CM: a letter (not U), a digit, a digit or letter, then optionally a dot and one
  to four more (``L90.5``, ``S61.411A``);
- SNOMED CT: a concept id, 6 to 18 digits whose last is a Verhoeff check digit and whose
  partition (the two digits before it) says "concept" (``00`` or ``10``);
- CPT: four digits and a digit, or F (category II), T (category III) or U (lab tests);
- HCPCS Level II: a letter A-V (not D, F, I, N or O) and four digits (``G0105``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class System:
    name: str   # as people say it
    uri: str    # FHIR's system URI (terminology.hl7.org)
    oid: str    # HL7's OID: Infobutton's mainSearchCriteria.v.cs
    example: str


SYSTEMS = {
    "icd-10-cm": System("ICD-10-CM", "http://hl7.org/fhir/sid/icd-10-cm",
                        "2.16.840.1.113883.6.90", "L90.5"),
    "snomed-ct": System("SNOMED CT", "http://snomed.info/sct", "2.16.840.1.113883.6.96",
                        "275322007"),
    "cpt": System("CPT", "http://www.ama-assn.org/go/cpt", "2.16.840.1.113883.6.12", "12001"),
    "hcpcs": System("HCPCS Level II", "http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets",
                    "2.16.840.1.113883.6.285", "G0105"),
}
ICD10CM = re.compile(r"[A-TV-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?")
CPT = re.compile(r"[0-9]{4}[0-9FTU]")
HCPCS = re.compile(r"[A-CEGHJ-MP-V][0-9]{4}")
SNOMED = re.compile(r"[1-9][0-9]{5,17}")
CODE_KEYS = ("system", "code", "display")


@dataclass(frozen=True)
class Code:
    system: str  # a key of SYSTEMS
    code: str
    display: str = ""

    @property
    def info(self) -> System:
        return SYSTEMS[self.system]


class CodeError(ValueError):
    """A code of the front matter that is not well formed; the message says why."""


# Verhoeff's check digit (the one SNOMED CT identifiers end with).
_D = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
      [2, 3, 4, 0, 1, 7, 8, 9, 5, 6], [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
      [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
      [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
      [8, 7, 6, 5, 9, 3, 2, 1, 0, 4], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]]
_P = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4]]
for _ in range(6):
    _P.append([_P[1][d] for d in _P[-1]])


def verhoeff_ok(digits: str) -> bool:
    check = 0
    for i, d in enumerate(reversed(digits)):
        check = _D[check][_P[i % 8][int(d)]]
    return check == 0


def shape_problem(system: str, code: str) -> str:
    """Why ``code`` is not shaped like a code of ``system``; "" when it is."""
    name, example = SYSTEMS[system].name, SYSTEMS[system].example
    if system == "icd-10-cm" and not ICD10CM.fullmatch(code):
        return (f"'{code}' is not shaped like an ICD-10-CM code: a letter, two characters, "
                f"then a dot and up to four more, such as {example}")
    if system == "cpt" and not CPT.fullmatch(code):
        return f"'{code}' is not shaped like a CPT code: five characters, such as {example} or 0479T"
    if system == "hcpcs" and not HCPCS.fullmatch(code):
        return (f"'{code}' is not shaped like an HCPCS Level II code: a letter and four digits, "
                f"such as {example}")
    if system == "snomed-ct":
        if not SNOMED.fullmatch(code):
            return (f"'{code}' is not shaped like a SNOMED CT concept id: 6 to 18 digits, such "
                    f"as {example}")
        if not verhoeff_ok(code):
            return f"'{code}' is not a {name} id: its check digit is wrong (a typing slip?)"
        if code[-3:-1] not in ("00", "10"):
            return f"'{code}' is a {name} id, but not of a concept (a description or relationship?)"
    return ""


def parse_codes(value) -> list[Code]:
    """The front matter's ``codes`` list, checked; raises :class:`CodeError`."""
    if value in (None, []):
        return []
    if not isinstance(value, list):
        raise CodeError("'codes' should be a list; start each code with '- system:'.")
    out = []
    for n, item in enumerate(value, start=1):
        if not isinstance(item, dict) or not item.get("system") or item.get("code") in (None, ""):
            raise CodeError(f"code {n} needs a system and a code, such as "
                            "{system: icd-10-cm, code: L90.5}.")
        extra = [str(k) for k in item if k not in CODE_KEYS]
        if extra:
            raise CodeError(f"code {n} has unknown key {', '.join(extra)}: each code has system, "
                            "code and an optional display.")
        system = str(item["system"]).strip().lower()
        if system not in SYSTEMS:
            raise CodeError(f"code {n} has system '{item['system']}'; use one of "
                            f"{', '.join(SYSTEMS)}.")
        code = str(item["code"]).strip().upper()
        if problem := shape_problem(system, code):
            raise CodeError(f"code {n}: {problem}.")
        out.append(Code(system, code, str(item.get("display") or "").strip()))
    return out
