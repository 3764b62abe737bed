#!/usr/bin/env python3
"""How long `carepress diff` takes after a one-word edit, the base already built, against
the incremental build of the same kind of edit. Run by hand, never as a pass/fail test:

    .venv/bin/python benchmarks/diff.py [--topics 50] [--repeat 3]

A project of N synthetic topics (benchmarks/build.py) in a git repository: the base is
committed on main and built once by a first `carepress diff`. Then, each round: one word
of one topic is changed and `carepress build` (site and PDFs) timed; another word is
changed and `carepress diff` timed (it builds this revision's PDFs, reuses the base's,
compares 1 brochure of N page by page and writes the report).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
from pathlib import Path

from build import BIN, carepress_build, make_project, run


def git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"carepress diff benchmark: {args.topics} topics, 1 brand, handout; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory(prefix="carepress-diff-") as tmp:
        root = make_project(Path(tmp), args.topics, brands=1)
        (root / ".gitignore").write_text("_build/\n")
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "base")
        git(root, "checkout", "-q", "-b", "edit")
        first, _ = carepress_build(root)
        seconds, out = run([BIN / "carepress", "diff"], root)
        print(f"full build {first:.2f} s; first diff (builds the base in its worktree) "
              f"{seconds:.2f} s")
        topic = root / f"docs/source/topic{args.topics // 2:04d}.md"
        builds, diffs = [], []
        for n in range(args.repeat):
            text = topic.read_text()
            topic.write_text(text.replace("Part 3", f"Part three{n}", 1))
            builds.append(carepress_build(root)[0])
            text = topic.read_text()
            topic.write_text(text.replace(f"Part three{n}", f"Part 3 (edit {n})", 1))
            seconds, out = run([BIN / "carepress", "diff"], root)
            assert "base reused" in out and "1 of" in out, out[-2000:]
            diffs.append(seconds)
        build, diff = statistics.median(builds), statistics.median(diffs)
        print(out.strip().splitlines()[-1])
        print(f"one-word edit, incremental `carepress build`: median {build:.2f} s "
              f"({', '.join(f'{b:.2f}' for b in builds)})")
        print(f"one-word edit, `carepress diff` with the base built: median {diff:.2f} s "
              f"({', '.join(f'{d:.2f}' for d in diffs)}) = {diff / build:.2f}x the incremental build")
        print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
