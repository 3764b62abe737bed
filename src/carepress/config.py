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


LANGUAGE = re.compile(r"[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


def _by_language(check: Callable[[Any], bool]) -> Callable[[Any], bool]:
    """A dict keyed by language code, each value passing ``check``."""
    return lambda v: isinstance(v, dict) and all(
        isinstance(k, str) and LANGUAGE.match(k) and check(x) for k, x in v.items())


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
    # "html", not "env": each brand's own site is a build with another site brand, and must
    # not make Sphinx read every topic again (pipeline.py; the doctrees are shared).
    Setting("carepress_primary_brand", "",
            lambda v: isinstance(v, str),
            "the brand of the main site (_build/html/); empty means the first brand built",
            "html"),
    Setting("carepress_site_brand", "",
            lambda v: isinstance(v, str),
            "the brand whose own site this build writes (`carepress build` sets it for each "
            "brand with web = true, under _build/sites/<brand>/); empty means the main site",
            "html"),
    Setting("carepress_packets_dir", "../packets",
            lambda v: isinstance(v, str) and v != "",
            "folder of the print packets (<packet>.yml), relative to docs/source", ""),
    Setting("carepress_packet_double_sided", False,
            lambda v: isinstance(v, bool),
            "True: packets are printed on both sides, so each topic starts on a right-hand "
            "page (a packet's double_sided: key overrides it)", ""),
    Setting("carepress_print_shop", False,
            lambda v: isinstance(v, bool),
            "True: also write the print-shop edition (PDF/X-4, bleed, crop marks) of the "
            "handout and trifold under _build/pdf/<brand>/print-shop/ (or `carepress build "
            "--print-shop`)", ""),
    Setting("carepress_print_shop_bleed", "0.125in",
            lambda v: isinstance(v, str) and LENGTH.match(v) is not None and 0 < points(v) <= 36,
            'bleed of the print-shop edition on every outer edge, such as "0.125in" or "3mm"', ""),
    Setting("carepress_brands_dir", "docs/_static/brands",
            lambda v: isinstance(v, str) and v != "",
            "folder holding one sub-folder per brand, relative to the folder of conf.py"),
    Setting("carepress_languages", [],
            lambda v: _list_of_str(v) and all(LANGUAGE.match(x) for x in v)
            and len(set(v)) == len(v),
            'languages the clinic publishes in, the default (conf.py\'s `language`) first, '
            'such as ["en", "es"]; empty means `language` only'),
    Setting("carepress_language_tags", {},
            _by_language(lambda x: isinstance(x, str) and LANGUAGE.match(x)),
            'the language tag of each language\'s PDFs and pages, such as {"es": "es-US"} '
            '(the default for es); others use their code'),
    Setting("carepress_formats", ["handout"],
            lambda v: _list_of_str(v) and len(v) > 0,
            "print formats a topic gets when its front matter names none"),
    Setting("carepress_paper", "",
            lambda v: v in ("",) + PAPER_SIZES,
            'paper size for every brand ("letter" or "a4"); empty means each brand\'s own'),
    Setting("carepress_review_interval_months", 12,
            lambda v: isinstance(v, int) and 1 <= v <= 60,
            "months from `reviewed` to the next review when a topic gives no `next_review`"),
    Setting("carepress_sidebar_entries", 100,
            lambda v: isinstance(v, int) and v >= 0,
            "most entries one list of the site's sidebar shows (0: all); a longer list "
            "shows this many around the page, then a link to the page that lists them all",
            "html"),
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
                                  and 0 <= int(v.split("/")[0]) <= int(v.split("/")[1])),
            'render only the i-th of n slices of the topics\' brochures, as "i/n" (a CI '
            'matrix); "0/n" reads the topics and renders none (the doctrees the slices '
            "start from); empty renders all", ""),
    Setting("carepress_progress", "auto",
            lambda v: v in ("auto", "always", "never"),
            'a progress line while printing: "auto" (on a terminal), "always" or "never"', ""),
    Setting("carepress_pdf_cache", "",
            lambda v: isinstance(v, str),
            "a folder of PDFs by the key of their inputs, reused whatever the files' times "
            "(brochure/keys.py); empty means $CAREPRESS_PDF_CACHE, else _build/cache/pdf", ""),
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
    Setting("carepress_min_inflesz", 65,
            lambda v: isinstance(v, (int, float)) and 0 <= v <= 100,
            "lowest INFLESZ (Szigriszt-Pazos) score Spanish text may have; 65 is "
            '"bastante fácil" (fairly easy)', ""),
    Setting("carepress_min_fernandez_huerta", 70,
            lambda v: isinstance(v, (int, float)) and 0 <= v <= 120,
            "lowest Fernández-Huerta score Spanish text may have; 70 is fairly easy", ""),
    Setting("carepress_banned_phrases",
            ["FDA approved", "guaranteed", "no downtime", "painless", "risk-free",
             "permanent results"],
            lambda v: _list_of_str(v) or _by_language(_list_of_str)(v),
            "phrases that must not appear in patient text (any case; hyphens count as "
            "spaces): a list for the default language, or a dict of lists keyed by "
            "language (Spanish has a built-in list)", ""),
    Setting("carepress_spelling_dictionaries", ["en_med_glut"],
            _list_of_str,
            "extra Hunspell dictionaries merged into spelling_lang (en_med_glut: hunspell-en-med)", ""),
    Setting("carepress_spelling_languages", {},
            _by_language(lambda x: isinstance(x, str)),
            'the Hunspell dictionary of each language other than the default, such as '
            '{"es": "es_US"} (the default for es; others try <lang>_<LANG>); "" means that '
            "language's spelling is not checked (the report says so)", ""),
    Setting("carepress_spelling_word_lists", {},
            _by_language(lambda x: isinstance(x, str)),
            "the clinic's word list of each language other than the default, relative to "
            'docs/source, such as {"es": "../spelling_wordlist-es.txt"} (that file is the '
            "default)", ""),
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
        if isinstance(value, str) and isinstance(s.default, list) and value != "all" \
                and s.name != "carepress_banned_phrases":
            # `sphinx-build -D carepress_brands=a,b` passes a string
            value = [v.strip() for v in value.split(",") if v.strip()]
            setattr(config, s.name, value)
        if not s.check(value):
            raise CarepressError(
                f"conf.py: setting {s.name} = {value!r} is not valid: it should be {s.help}."
            )
    languages = config.carepress_languages
    if languages and (config.language or "en") not in languages:
        raise CarepressError(
            f"conf.py: language = {config.language!r} is not in carepress_languages = "
            f"{languages!r}: list the default language first, such as "
            f'carepress_languages = ["{config.language or "en"}", ...].')


def translation_defaults(app, config) -> None:
    """One catalogue per topic (``gettext_compact = False``), and never a translation
    marked fuzzy: one made for an older English text is not printed."""
    config.gettext_compact = False
    config.gettext_allow_fuzzy_translations = False


# The MyST extensions topics may use (README, For writers, says why each is on or off):
# ::: fences, - [ ] checklists, definition lists and field lists.
MYST_EXTENSIONS = {"colon_fence", "tasklist", "deflist", "fieldlist"}


def myst_defaults(app, config) -> None:
    """The MyST syntax topics use, and tel: links (the guard allows them; MyST would
    otherwise read [Call us](tel:…) as a reference to a topic named tel)."""
    if hasattr(config, "myst_enable_extensions"):
        config.myst_enable_extensions = sorted(
            set(config.myst_enable_extensions) | MYST_EXTENSIONS)
    schemes = getattr(config, "myst_url_schemes", None)
    if isinstance(schemes, dict) and "tel" not in schemes:
        config.myst_url_schemes = {**schemes, "tel": None}
    elif isinstance(schemes, (list, tuple)) and "tel" not in schemes:
        config.myst_url_schemes = [*schemes, "tel"]


# sphinxcontrib-spelling's filters for code documentation (checks/spelling.py spells topics).
CODE_FILTERS = ("spelling_ignore_pypi_package_names", "spelling_ignore_importable_modules",
                "spelling_ignore_contributor_names", "spelling_ignore_python_builtins")


def code_filters_off(app, config) -> None:
    """Also for ``sphinx-build -b spelling``: filters meant for code documentation
    would pass misspellings that happen to be module, package or contributor names.
    (Here, not in checks/spelling.py: every build runs it, and only `make check` spells.)"""
    for name in CODE_FILTERS:
        setattr(config, name, False)
