"""carepress: patient-education topics printed as branded, accessible brochures.

``extensions = ["carepress", "myst_parser", "sphinx_design"]`` in conf.py.
"""

from __future__ import annotations

__version__ = "0.1.0"


def setup(app):
    from .accessible_site import setup_accessible_site
    from .brand import setup_brand
    from .builders.brochure import setup_brochure
    from .checks import setup_checks
    from .config import setup_config
    from .directives import setup_directives
    from .errors import setup_errors
    from .guard import setup_guard
    from .hints import setup_hints
    from .lock import setup_lock
    from .navigation import setup_navigation
    from .per_format import setup_per_format
    from .site import setup_site
    from .topic import setup_topic

    app.connect("config-inited", _myst_defaults)
    for part in (setup_errors, setup_lock, setup_hints, setup_config, setup_brand,
                 setup_topic, setup_guard, setup_directives, setup_per_format, setup_brochure, setup_site,
                 setup_navigation, setup_accessible_site, setup_checks):
        part(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}


def _myst_defaults(app, config) -> None:
    """The MyST syntax topics use: ::: fences, - [ ] checklists, definition lists."""
    if hasattr(config, "myst_enable_extensions"):
        config.myst_enable_extensions = sorted(
            set(config.myst_enable_extensions) | {"colon_fence", "tasklist", "deflist"})
