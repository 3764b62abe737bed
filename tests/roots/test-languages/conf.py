extensions = ["carepress", "myst_parser", "sphinx_design"]
project = "Test clinic topics"
language = "en"
html_theme = "furo"
exclude_patterns = ["_build", "_brands", "locales"]
carepress_brands = ["testclinic"]
carepress_brands_dir = "_brands"
html_baseurl = "https://testville.example/topics/"
# English, Spanish, and Simplified Chinese: a language carepress has no reading-level
# formula, banned phrases or Hunspell dictionary for.
carepress_languages = ["en", "es", "zh_CN"]
carepress_language_tags = {"zh_CN": "zh-CN"}
carepress_spelling_languages = {"zh_CN": ""}
locale_dirs = ["locales"]
gettext_compact = False
carepress_formats = ["handout", "bilingual"]
