# The clinic's one configuration. Build with `make` (see README.md).
project = "Patient education"
author = "Lakeside Dermatology"
copyright = "2026, Lakeside Dermatology"
language = "en"

extensions = ["carepress", "myst_parser", "sphinx_design"]

# Topics are MyST Markdown in docs/source; brand assets live in docs/_static.
source_suffix = {".md": "markdown"}
root_doc = "index"
html_theme = "furo"
html_title = "Patient education"
html_static_path = []
# The hosted site's address: used for links printed on paper.
html_baseurl = ""

# --- carepress -----------------------------------------------------------------
# Brands to print for: folders under docs/_static/brands/ (or "all").
carepress_brands = ["lakeside"]
# Print formats a topic gets when its front matter names none.
carepress_formats = ["handout"]
# Months from a topic's `reviewed` date to its next review, when it gives none.
carepress_review_interval_months = 12
# Web addresses (prefixes) brochures may load images from; none: every image lives in docs/.
carepress_allowed_urls = []
