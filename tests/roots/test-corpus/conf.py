extensions = ["carepress", "myst_parser", "sphinx_design"]
project = "Test clinic topics"
language = "en"
html_theme = "furo"
exclude_patterns = ["_build", "_brands"]
carepress_brands = ["testclinic"]
carepress_brands_dir = "_brands"
html_baseurl = "https://testville.example/topics/"
