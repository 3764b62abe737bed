#!/usr/bin/env python3
"""How long a writer waits between saving a topic and seeing its printed pages change in
`carepress preview`. Run by hand, never as a pass/fail test:

    .venv/bin/python benchmarks/preview.py [--topics 50] [--saves 7]

A project of N synthetic topics (benchmarks/build.py) plus microneedling, the project's
real topic (4 handout pages), is previewed on a free loopback port. Each save changes one
word of microneedling; the time is from the file's write until the preview's state says
the new page images are written (the preview page shows them then), and until the
rebuild ends (the web page is swapped in too). The preview's own figure (the rebuild,
without the watcher's wait) is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from build import BIN, REPO, make_project


def state(url: str) -> dict:
    with urllib.request.urlopen(url + "state.json", timeout=30) as response:
        return json.loads(response.read())


def wait(url: str, test, limit: float = 300.0, done: bool = True) -> dict:
    """The first state that passes ``test`` (and, with ``done``, ends a rebuild)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        s = state(url)
        if (not done or not s["building"]) and test(s):
            return s
        time.sleep(0.01)
    raise SystemExit(f"the preview did not answer within {limit} s: {state(url)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=50)
    parser.add_argument("--saves", type=int, default=7)
    args = parser.parse_args()
    print(f"carepress preview benchmark: {args.topics} topics + microneedling, handout; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.2f} at the start")
    with tempfile.TemporaryDirectory(prefix="carepress-preview-") as tmp:
        root = make_project(Path(tmp), args.topics, brands=1)
        shutil.copy(REPO / "docs/source/microneedling.md", root / "docs/source")
        shutil.copy(REPO / "docs/source/images/microneedling-skin.svg", root / "docs/source/images")
        index = root / "docs/source/index.md"
        index.write_text(index.read_text().replace("```{toctree}\n", "```{toctree}\nmicroneedling\n"))
        proc = subprocess.Popen([BIN / "carepress", "preview", "microneedling", "--port", "0"],
                                cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        lines: list[str] = []
        threading.Thread(target=lambda: lines.extend(proc.stdout), daemon=True).start()
        try:
            deadline = time.monotonic() + 120
            while not any("http://" in line for line in lines):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise SystemExit("".join(lines[-30:]))
                time.sleep(0.05)
            url = re.search(r"(http://\S+/_preview/)", "".join(lines)).group(1)
            start = time.perf_counter()
            s = wait(url, lambda s: s["version"] >= 2 and s["ok"])
            print(f"first build (reads {args.topics + 2} documents, prints one handout): "
                  f"{time.perf_counter() - start:.2f} s after the server answered")
            topic = root / "docs/source/microneedling.md"
            pages, waits, builds = [], [], []
            for n in range(args.saves):
                text = topic.read_text()
                old = "wait" if n == 0 else f"pause{n - 1}"
                new = f"pause{n}"
                assert f"ask you to {old}," in text, old
                before = s["pages_version"]
                t0 = time.perf_counter()
                topic.write_text(text.replace(f"ask you to {old},", f"ask you to {new},"))
                wait(url, lambda s: s["pages_version"] > before, done=False)
                pages.append(time.perf_counter() - t0)
                s = wait(url, lambda s: s["pages_version"] > before)
                waits.append(time.perf_counter() - t0)
                builds.append(s["seconds"])
                time.sleep(0.5)  # the next save is a separate one
            print(f"save -> new page images: median {statistics.median(pages):.2f} s "
                  f"(min {min(pages):.2f}, max {max(pages):.2f}; {args.saves} saves)")
            print(f"save -> web page rebuilt too (the rebuild's end): median "
                  f"{statistics.median(waits):.2f} s (min {min(waits):.2f}, max {max(waits):.2f})")
            print(f"  the rebuild itself (pipeline + page images): median "
                  f"{statistics.median(builds):.2f} s")
            print(f"load average at the end: {os.getloadavg()[0]:.2f}")
        finally:
            proc.terminate()
            proc.wait(30)


if __name__ == "__main__":
    main()
