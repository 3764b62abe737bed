"""Every ``carepress_*`` setting of ``conf.py``: its default, its check and its help."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from .errors import CarepressError

PAPER_SIZES = ("letter", "a4")
LENGTH = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(in|mm|pt)\s*$")
POINTS = {"in": 72.0, "mm": 72 / 25.4, "pt": 1.0}


def points(length: str) -> float:
    """A length such as "0.125in", "3mm" or "9pt" in PDF points; "" is 0."""
    if not length:
        return 0.0
    number, unit = LENGTH.match(length).groups()
    return float(number) * POINTS[unit]


CHECK_NAMES = ("spelling", "internal-links", "external-links", "reading-level", "review",
               "accessibility", "claims", "placeholders", "pdf-accessibility")


def _is_date(value: str) -> bool:
    import datetime as dt
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _list_of_str(value: Any) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value)


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    check: Callable[[Any], bool]
    help: str
    rebuild: str = "env"


SETTINGS = (
    Setting("carepress_brands", ["default"],
            lambda v: v == "all" or (_list_of_str(v) and len(v) > 0),
            'brand ids to print for (folders under carepress_brands_dir), or "all"'),
    Setting("carepress_primary_brand", "",
            lambda v: isinstance(v, str),
            "the brand the HTML site is coloured with; empty means the first brand built"),
    Setting("carepress_brands_dir", "docs/_static/brands",
            lambda v: isinstance(v, str) and v != "",
            "folder holding one sub-folder per brand, relative to the folder of conf.py"),
    Setting("carepress_formats", ["handout"],
            lambda v: _list_of_str(v) and len(v) > 0,
            "print formats a topic gets when its front matter names none"),
    Setting("carepress_paper", "",
            lambda v: v in ("",) + PAPER_SIZES,
            'paper size for every brand ("letter" or "a4"); empty means each brand\'s own'),
    Setting("carepress_review_interval_months", 12,
            lambda v: isinstance(v, int) and 1 <= v <= 60,
            "months from `reviewed` to the next review when a topic gives no `next_review`"),
    Setting("carepress_non_topics", [],
            _list_of_str,
            "documents (besides the root document) that are plain pages, not printable topics"),
    Setting("carepress_bleed", "",
            lambda v: v == "" or (isinstance(v, str) and LENGTH.match(v) and points(v) <= 36),
            'bleed round a folded sheet (trifold) for a print shop, such as "0.125in" or "3mm" '
            '(at most 0.5in); empty for office printers'),
    Setting("carepress_crop_marks", False,
            lambda v: isinstance(v, bool),
            "True to draw crop marks outside the trim of a folded sheet (trifold) for a print shop"),
    Setting("carepress_shard", "",
            lambda v: v == "" or (re.fullmatch(r"\d+/\d+", v) is not None
                                  and 1 <= int(v.split("/")[0]) <= int(v.split("/")[1])),
            'render only the i-th of n slices of the brochures, as "i/n" (a CI matrix); '
            "empty renders all", ""),
    Setting("carepress_progress", "auto",
            lambda v: v in ("auto", "always", "never"),
            'a progress line while printing: "auto" (on a terminal), "always" or "never"', ""),
    Setting("carepress_jobs", 0,
            lambda v: isinstance(v, int) and v >= 0,
            "worker processes for PDF rendering; 0 means one per CPU core"),
    # -- the writers' quality gate (`make check`); changing these never re-reads topics
    Setting("carepress_checks", list(CHECK_NAMES),
            lambda v: _list_of_str(v) and set(v) <= set(CHECK_NAMES),
            f"the checks `carepress check` runs, any of {', '.join(CHECK_NAMES)}", ""),
    Setting("carepress_max_grade", 8,
            lambda v: isinstance(v, (int, float)) and v > 0,
            "highest Flesch-Kincaid reading grade a topic may have", ""),
    Setting("carepress_max_smog", 9,
            lambda v: isinstance(v, (int, float)) and v > 0,
            "highest SMOG grade a topic may have", ""),
    Setting("carepress_longest_sentences", 3,
            lambda v: isinstance(v, int) and v >= 0,
            "how many of a topic's longest sentences the report lists", ""),
    Setting("carepress_review_warning_days", 60,
            lambda v: isinstance(v, int) and v >= 0,
            "days before `next_review` when the check starts to warn", ""),
    Setting("carepress_changed_files", ["*"],
            _list_of_str,
            "the files a pull request changes (`carepress check --changed-since`): an overdue "
            'review is an error only in the topics they touch, a warning elsewhere; ["*"] '
            "(outside a pull request) makes it an error in every topic", ""),
    Setting("carepress_due_report", "",
            lambda v: isinstance(v, str),
            "a file to list the topics due or overdue for review in (`carepress check "
            "--due-report FILE`); empty writes none", ""),
    Setting("carepress_today", "",
            lambda v: isinstance(v, str) and (v == "" or _is_date(v)),
            "the date review dates are checked against (YYYY-MM-DD); empty means today", ""),
    Setting("carepress_banned_phrases",
            ["FDA approved", "guaranteed", "no downtime", "painless", "risk-free",
             "permanent results"],
            _list_of_str,
            "phrases that must not appear in patient text (any case; hyphens count as spaces)", ""),
    Setting("carepress_spelling_dictionaries", ["en_med_glut"],
            _list_of_str,
            "extra Hunspell dictionaries merged into spelling_lang (en_med_glut: hunspell-en-med)", ""),
    Setting("carepress_linkcheck_cache_days", 7,
            lambda v: isinstance(v, (int, float)) and v >= 0,
            "days a good external link stays in _build/linkcheck/cache.json before it is "
            "checked again; 0 checks every link every time", ""),
    Setting("carepress_linkcheck_strict", False,
            lambda v: isinstance(v, bool),
            "treat an unreachable site as an error, not a warning (`make linkcheck`)", ""),
    Setting("carepress_allowed_urls", [],
            lambda v: _list_of_str(v) and all(re.match(r"https?://[^/]+/", u) for u in v),
            "web addresses a brochure may load images from: each a prefix such as "
            '"https://cdn.example.org/images/" (scheme, host and a slash); empty means none'),
    Setting("carepress_raw_html", False,
            lambda v: isinstance(v, bool),
            "True lets topics use a safe subset of HTML (no scripts, frames, styles or "
            "event handlers); False refuses any HTML in a topic"),
    Setting("carepress_data_uri_max_kb", 256,
            lambda v: isinstance(v, int) and 0 <= v <= 10_000,
            "largest image, in KB, a topic may embed as a data: address"),
    Setting("carepress_render_timeout", 120,
            lambda v: isinstance(v, (int, float)) and v > 0,
            "seconds one brochure may take to print before it is stopped"),
    Setting("carepress_render_memory_mb", 2048,
            lambda v: isinstance(v, int) and v >= 256,
            "memory, in MB, one brochure's printing process may use before it is stopped"),
)


def add_settings(app) -> None:
    for s in SETTINGS:
        app.add_config_value(s.name, s.default, s.rebuild, description=s.help)


def validate(app, config) -> None:
    """Every setting checked as the build starts; the first bad one stops it."""
    for s in SETTINGS:
        value = getattr(config, s.name)
        if isinstance(value, str) and isinstance(s.default, list) and value != "all":
            # `sphinx-build -D carepress_brands=a,b` passes a string
            value = [v.strip() for v in value.split(",") if v.strip()]
            setattr(config, s.name, value)
        if not s.check(value):
            raise CarepressError(
                f"conf.py: setting {s.name} = {value!r} is not valid: it should be {s.help}."
            )


def myst_defaults(app, config) -> None:
    """The MyST syntax topics use: ::: fences, - [ ] checklists, definition lists."""
    if hasattr(config, "myst_enable_extensions"):
        config.myst_enable_extensions = sorted(
            set(config.myst_enable_extensions) | {"colon_fence", "tasklist", "deflist"})
