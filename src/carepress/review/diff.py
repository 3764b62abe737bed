"""``carepress diff [BASE]``: what a change does to every printed page.

1. The base revision (default: the merge base with the main branch) is checked out in a
   worktree and its brochures built there, or the last build of it reused (base.py);
   meanwhile this revision's brochures are built as `carepress build --pdf-only` does.
2. The two PDF folders are compared byte for byte; only brochures that differ are
   rendered and compared page by page (compare.py, page_diff.py).
3. ``_build/diff/index.html``, ``report.md`` and the page images are written (write.py),
   and the report is printed.

Exit status: 0 when both builds succeeded (whether or not brochures changed), 1 when a
build reported a problem, 2 when there is nothing to compare with (git could not find
the base).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from .. import outputs
from ..brochure.layouts import FORMATS
from ..errors import EXIT_START, CarepressError
from . import base as base_build, compare, git, write


def run(rev: str | None, options) -> int:
    """``options``: pipeline.Options of this revision's build (its PDFs only)."""
    from ..pipeline import build

    started = time.perf_counter()
    build_dir = Path(options.build_dir)
    try:
        if rev:
            commit, how = git.commit(rev), rev
        else:
            commit, how = git.default_base()
        base = base_build.start(commit, build_dir, options.source)
    except CarepressError as error:
        print(f"carepress diff: {error}", file=sys.stderr)
        return EXIT_START
    label = f"{how} ({commit[:10]})"
    if not base.reused:
        print(f"carepress diff: building the base revision, {label}, in {base.project} "
              "(kept for the next diff)", flush=True)
    status = build(options)
    base_status, base_output = base.wait()
    notes = []
    if base_status:
        print(base_output, file=sys.stderr)
        notes.append(f"The base revision's build reported a problem (exit {base_status}); "
                     "a brochure it could not print shows as added.")
    if status:
        notes.append(f"This revision's build reported a problem (exit {status}): a brochure "
                     "it could not print is compared as it was last printed, or shows as "
                     "removed.")
    before, after = base.pdfs, outputs.pdf_dir(build_dir)
    found, compared = compare.differing(before, after, FORMATS)
    changes = [compare.compare(brochure, state, before, after) for brochure, state in found]
    out = outputs.diff_dir(build_dir)
    write.clear(out)
    report = write.write(out, changes, compared, label, notes)
    print("\n" + report)
    print(f"carepress diff: {out / 'index.html'} ({time.perf_counter() - started:.1f} s"
          f"{', base reused' if base.reused else ''})")
    return 1 if status or base_status else 0
