import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))  # faults.py: the extensions that fail

extensions = ["carepress", "myst_parser", "sphinx_design", "faults"]
project = "Test clinic topics"
language = "en"
html_theme = "furo"
exclude_patterns = ["_build", "_brands"]
carepress_brands = ["testclinic"]
carepress_brands_dir = "_brands"
html_baseurl = "https://testville.example/topics/"
