# The clinic's one configuration. Build with `make` (see README.md).
project = "Patient education"
author = "Lakeside Dermatology"
copyright = "2026, Lakeside Dermatology"
language = "en"
# Languages the clinic publishes in, the default (language above) first. Translations are
# gettext catalogues, one per topic: docs/locales/<lang>/LC_MESSAGES/<topic>.po
# (`make translations` refreshes them after an English edit).
carepress_languages = ["en", "es"]
locale_dirs = ["../locales"]   # relative to docs/source
gettext_compact = False        # one catalogue per topic

extensions = ["carepress", "myst_parser", "sphinx_design"]

# Topics are MyST Markdown in docs/source; brand assets live in docs/_static.
source_suffix = {".md": "markdown"}
root_doc = "index"
html_theme = "furo"
html_title = "Patient education"
html_static_path = []
# The main site's address (_build/html/, the primary brand's). Each brand's brochures print
# and encode the `site` of its own brand.toml; this is only the primary brand's fallback.
html_baseurl = "https://lakesidedermatology.example/patient-education/"

# --- carepress -----------------------------------------------------------------
# Brands to print for: folders under docs/_static/brands/ (or "all").
carepress_brands = ["lakeside", "northgate"]
# The brand of the main site (_build/html/). Every brand with `web = true` in its
# brand.toml also gets its own site, under _build/sites/<brand>/.
carepress_primary_brand = "lakeside"
# Print formats a topic gets when its front matter names none.
carepress_formats = ["handout", "large-print"]
# Months from a topic's `reviewed` date to its next review, when it gives none.
carepress_review_interval_months = 12
# Print packets (docs/packets/*.yml): printed on one side, each topic from a new page.
carepress_packet_double_sided = False
# The print-shop edition (PDF/X-4) is written with `carepress build --print-shop`; its bleed:
carepress_print_shop_bleed = "0.125in"
# Web addresses (prefixes) brochures may load images from; none: every image lives in docs/.
carepress_allowed_urls = []

# --- checks (`make check`) -------------------------------------------------------
# Reading level of a topic's body prose: Flesch-Kincaid grade and SMOG.
carepress_max_grade = 8
carepress_max_smog = 9
# Phrases patient text must never say (any case; "FDA-approved" matches too).
carepress_banned_phrases = ["FDA approved", "guaranteed", "no downtime", "painless",
                            "risk-free", "permanent results"]
# Spelling: Hunspell en_US plus the medical dictionary, and the clinic's own words.
spelling_lang = "en_US"
spelling_word_list_filename = "../spelling_wordlist.txt"  # docs/spelling_wordlist.txt
# External links: health sites often turn away scripts, so ask like a browser, retry,
# wait when told to slow down, and keep good answers for a week.
linkcheck_request_headers = {"*": {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "en-US,en;q=0.5",
}}
linkcheck_retries = 2
linkcheck_timeout = 20
linkcheck_rate_limit_timeout = 120
carepress_linkcheck_cache_days = 7
