#!/usr/bin/env python3
"""Where one `carepress build` spends its time, step by step (issue 16's edits).

Run by hand in a project folder, after editing a topic, never as a pass/fail test:

    echo >> docs/source/topic0500.md
    ../path/to/.venv/bin/python benchmarks/edit_steps.py build --brand brand0

It runs the build in this process with a timer around each step (no profiler, so the
figures are close to a real run's) and prints milliseconds per step, largest first.
Steps nest (a Sphinx application's start includes its extensions' setup), so they do not
add up. The guard below matters: the printing workers start from a fork server that
imports this script again, and without it each would run the whole build.
"""

from __future__ import annotations

import sys
import time

# (module, class or None, attribute, label): what is timed
STEPS = (
    ("sphinx.application", "Sphinx", "__init__", "starting a Sphinx application (all of it)"),
    ("sphinx.application", "Sphinx", "setup_extension", "  setting up extensions (nested)"),
    ("sphinx.application", "Sphinx", "_init_env", "  loading the environment"),
    ("sphinx.application", "Sphinx", "_init_builder", "  starting the builder"),
    ("sphinx.environment", "BuildEnvironment", "find_files", "finding the sources"),
    ("sphinx.environment", "BuildEnvironment", "get_outdated_files", "comparing the sources"),
    ("sphinx.builders", "Builder", "read", "reading (all of it)"),
    ("sphinx.builders", "Builder", "write", "writing (all of it)"),
    ("sphinx.builders.html", "StandaloneHTMLBuilder", "get_outdated_docs", "pages to write"),
    ("sphinx.builders.html", "StandaloneHTMLBuilder", "handle_finish",
     "search index and inventory"),
    ("pickle", None, "dump", "saving the environment"),
    ("carepress.brochure.builder", "BrochureBuilder", "get_outdated_docs", "brochures to print"),
    ("carepress.site.fhir", None, "write_fhir", "the FHIR Bundle"),
    ("carepress.site.staging", None, "stage", "the staged site"),
    ("carepress.pipeline", "_Run", "close", "waiting for the printer"),
)


def _timed(totals: dict, label: str, function, generator: bool):
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            result = function(*args, **kwargs)
            return iter(list(result)) if generator else result  # a generator runs here
        finally:
            totals[label] = totals.get(label, 0.0) + time.perf_counter() - start
    return timed


def main() -> None:
    import importlib
    import inspect

    began = time.perf_counter()
    totals: dict[str, float] = {}
    from carepress.cli import main as carepress
    totals["importing carepress's command"] = time.perf_counter() - began
    for module, owner, name, label in STEPS:
        try:
            where = importlib.import_module(module)
            where = getattr(where, owner) if owner else where
            function = getattr(where, name)
        except (ImportError, AttributeError):
            print(f"(not timed: {module}.{owner or ''}.{name} is gone)", file=sys.stderr)
            continue
        setattr(where, name, _timed(totals, label, function,
                                    inspect.isgeneratorfunction(function)))
    status = carepress(sys.argv[1:])
    totals["the whole run, in this process"] = time.perf_counter() - began
    for label, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"{seconds * 1000:8.1f} ms  {label}", file=sys.stderr)
    sys.exit(status)


if __name__ == "__main__":
    main()
