"""conf.py settings: every carepress_* setting's bad value stops the build with a message
naming the setting, its value and what it should be; the defaults and good values pass."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from carepress.config import SETTINGS, points, validate
from carepress.errors import CarepressError

# A wrong value for every setting: the wrong type, or the right type out of range.
BAD = {
    "carepress_brands": [],
    "carepress_primary_brand": ["lakeside"],
    "carepress_brands_dir": "",
    "carepress_formats": ["handout", 3],
    "carepress_paper": "legal",
    "carepress_review_interval_months": 0,
    "carepress_non_topics": 5,
    "carepress_sidebar_entries": -1,
    "carepress_bleed": "0.6in",
    "carepress_crop_marks": "yes",
    "carepress_shard": "3/2",
    "carepress_progress": "sometimes",
    "carepress_jobs": -1,
    "carepress_checks": ["spelling", "grammar"],
    "carepress_max_grade": 0,
    "carepress_max_smog": "nine",
    "carepress_longest_sentences": 2.5,
    "carepress_review_warning_days": -30,
    "carepress_today": "24/11/2026",
    "carepress_banned_phrases": ("painless", None),
    "carepress_spelling_dictionaries": [b"en_med_glut"],
    "carepress_linkcheck_cache_days": -1,
    "carepress_linkcheck_strict": 1,
    "carepress_allowed_urls": ["cdn.example.org/images/"],
    "carepress_raw_html": "False",
    "carepress_data_uri_max_kb": 20_000,
    "carepress_render_timeout": 0,
    "carepress_render_memory_mb": 100,
    "carepress_site_brand": None,
    "carepress_packets_dir": "",
    "carepress_packet_double_sided": "yes",
    "carepress_print_shop": 1,
    "carepress_print_shop_bleed": "2in",
    "carepress_languages": ["en", "es", "en"],
    "carepress_language_tags": {"es": "Spanish (US)"},
    "carepress_changed_files": ["basic.md", 3],
    "carepress_due_report": ["due.md"],
    "carepress_min_inflesz": 101,
    "carepress_min_fernandez_huerta": -5,
    "carepress_spelling_languages": {"Spanish": "es_US"},
    "carepress_spelling_word_lists": {"es": 3},
    "carepress_pdf_cache": 42,
}

GOOD = {  # values at the edges of what is allowed
    "carepress_brands": "all",
    "carepress_paper": "a4",
    "carepress_review_interval_months": 60,
    "carepress_bleed": "0.5in",
    "carepress_shard": "2/2",
    "carepress_jobs": 0,
    "carepress_checks": [],
    "carepress_max_grade": 6.5,
    "carepress_today": "2026-11-24",
    "carepress_linkcheck_cache_days": 0,
    "carepress_allowed_urls": ["https://cdn.example.org/images/"],
    "carepress_data_uri_max_kb": 0,
    "carepress_render_timeout": 0.5,
    "carepress_render_memory_mb": 256,
    "carepress_print_shop_bleed": "3mm",
    "carepress_languages": ["en", "es", "zh_CN"],
    "carepress_language_tags": {"es": "es-US"},
    "carepress_min_inflesz": 100,
    "carepress_spelling_languages": {"es": ""},
}


def config(**values) -> SimpleNamespace:
    """conf.py as Sphinx hands it over: every setting at its default, then ``values``."""
    defaults = {"language": "en"} | {s.name: s.default for s in SETTINGS}
    return SimpleNamespace(**(defaults | values))


def test_every_setting_has_a_bad_value_here():
    assert set(BAD) == {s.name for s in SETTINGS}


def test_the_defaults_pass():
    validate(None, config())


@pytest.mark.parametrize("name", GOOD)
def test_good_values_pass(name):
    validate(None, config(**{name: GOOD[name]}))


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_a_bad_value_names_the_setting(setting):
    with pytest.raises(CarepressError) as caught:
        validate(None, config(**{setting.name: BAD[setting.name]}))
    assert str(caught.value) == (f"conf.py: setting {setting.name} = "
                                 f"{BAD[setting.name]!r} is not valid: it should be "
                                 f"{setting.help}.")


def test_the_default_language_comes_first():
    with pytest.raises(CarepressError, match=r"language = 'en' is not in carepress_languages"):
        validate(None, config(carepress_languages=["es", "zh_CN"]))


def test_a_list_given_with_d_is_split_at_commas():
    """`sphinx-build -D carepress_brands=a,b` passes one string."""
    conf = config(carepress_brands="lakeside, northgate", carepress_formats="handout,trifold")
    validate(None, conf)
    assert conf.carepress_brands == ["lakeside", "northgate"]
    assert conf.carepress_formats == ["handout", "trifold"]
    with pytest.raises(CarepressError, match=r"setting carepress_checks = \['spelling', "
                                             r"'grammar'\] is not valid"):
        validate(None, config(carepress_checks="spelling,grammar"))


@pytest.mark.parametrize("length, pt", [("", 0.0), ("0.125in", 9.0), ("3mm", 8.5039),
                                        (" 9pt ", 9.0)])
def test_bleed_lengths_in_points(length, pt):
    assert points(length) == pytest.approx(pt, abs=1e-4)
