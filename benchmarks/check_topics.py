"""How long `make check` takes over many topics, and how many spelling alarms it raises.

Copies the project's microneedling topic N times (default 50) into a temporary project
and runs the carepress-check builder twice: cold (topics read) and warm (the doctrees
of an earlier build reused, as after `make`). External links are left out (no network
here). Prints seconds and finding counts.

    .venv/bin/python benchmarks/check_topics.py [N]
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHECKS = "spelling,internal-links,reading-level,review,accessibility,claims,placeholders"


def main(n: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copy(REPO / "conf.py", root / "conf.py")
        shutil.copytree(REPO / "docs", root / "docs")
        src = root / "docs/source"
        topic = (src / "microneedling.md").read_text(encoding="utf-8")
        (src / "microneedling.md").unlink()
        names = [f"topic-{i:02d}" for i in range(1, n + 1)]
        for name in names:
            (src / f"{name}.md").write_text(topic, encoding="utf-8")
        index = (src / "index.md").read_text(encoding="utf-8")
        (src / "index.md").write_text(index.replace("microneedling", "\n".join(names)),
                                      encoding="utf-8")
        cmd = [sys.executable, "-m", "sphinx", "-q", "-b", "carepress-check", "-c", str(root),
               "-D", f"carepress_checks={CHECKS}", "-D", "carepress_today=2026-11-24",
               "-d", str(root / "_build/doctrees"), str(src), str(root / "_build/check")]
        for label in ("cold", "warm"):
            start = time.perf_counter()
            proc = subprocess.run(cmd, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            report = (root / "_build/check/report.md").read_text(encoding="utf-8")
            spelling = len(re.findall(r"\*\* `[^`]*` spelling:", report))
            print(f"{label}: {n} topics checked in {seconds:.1f} s (exit {proc.returncode}); "
                  f"{spelling} spelling finding(s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
