"""The HTML site checked in a real browser: served on 127.0.0.1, opened in Debian's
Chromium by ``browser.mjs`` (axe-core, keyboard, print), screenshots saved."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ...errors import CarepressError

SCRIPT = Path(__file__).with_name("browser.mjs")
# Where a Chrome or Chromium is looked for, in order (scripts/system-packages.sh looks
# the same way): GitHub's Ubuntu runners have Google Chrome; Debian has chromium.
BROWSERS = ("google-chrome", "google-chrome-stable", "chromium", "chromium-browser")
SKIP_DIRS = {"_static", "_sources", "_images", "pdf"}


@dataclass
class SiteResult:
    pages: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one line each: page, rule, element
    needs_review: list[str] = field(default_factory=list)  # axe "incomplete"
    screenshots: list[Path] = field(default_factory=list)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path):
    """``folder`` over HTTP on 127.0.0.1, on a free port; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def find_browser() -> str | None:
    """``$CAREPRESS_CHROMIUM``, ``$CHROME_PATH``, then the first of BROWSERS that runs
    (Ubuntu's chromium-browser without its snap does not)."""
    for name in (os.environ.get("CAREPRESS_CHROMIUM"), os.environ.get("CHROME_PATH"),
                 *BROWSERS):
        path = shutil.which(name) if name else None
        if path:
            try:
                if subprocess.run([path, "--version"], capture_output=True,
                                  timeout=60).returncode == 0:
                    return path
            except (OSError, subprocess.TimeoutExpired):
                continue
    return None


def site_pages(html_dir: Path) -> list[str]:
    return sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html")
                  if not SKIP_DIRS & set(p.relative_to(html_dir).parts[:-1]))


def check_site(html_dir: Path, shots: Path, project: Path | None = None) -> SiteResult:
    """Open every page; ``project`` holds node_modules (default: the working folder)."""
    project = Path(project or Path.cwd())
    html_dir = Path(html_dir)
    if not (html_dir / "index.html").is_file():
        raise CarepressError(f"there is no site in {html_dir}: run `make` first.")
    node = shutil.which("node")
    if node is None or not (project / "node_modules" / "axe-core").is_dir():
        raise CarepressError("the browser check needs Node with playwright-core and axe-core: "
                             "run `make setup` (it runs npm ci).")
    chrome = find_browser()
    if chrome is None:
        raise CarepressError("the browser check needs Chrome or Chromium: install one "
                             "(scripts/system-packages.sh), or set CHROME_PATH to it.")
    pages = site_pages(html_dir)
    with serve(html_dir) as base:
        proc = subprocess.run([node, str(SCRIPT), "--base", base, "--shots", str(shots), *pages],
                              cwd=project, capture_output=True, text=True, timeout=600,
                              env={**os.environ, "CAREPRESS_CHROMIUM": chrome})
    if proc.returncode != 0:
        raise CarepressError("the browser check could not run: " +
                             (proc.stderr.strip().splitlines() or ["no output"])[-1])
    data = json.loads(proc.stdout)
    result = SiteResult(pages=pages, screenshots=[Path(s["file"]) for s in data["screenshots"]])
    for entry in data["pages"]:
        page = entry["page"]
        if entry["topic"]:
            result.topics.append(page)
        result.problems += [f"{page}: {p}" for p in entry["problems"]]
        for mode, found in entry["modes"].items():
            for v in found["violations"]:
                for node_ in v["nodes"]:
                    result.problems.append(
                        f"{page} ({mode}): {v['rule']}: {v['help']}: `{node_['target']}`"
                        f" ({node_['summary']})")
            for v in found["incomplete"]:
                for node_ in v["nodes"]:
                    result.needs_review.append(f"{page} ({mode}): {v['rule']}: `{node_['target']}`")
    return result


def format_site(result: SiteResult) -> str:
    verdict = "passes" if not result.problems else f"{len(result.problems)} problem(s)"
    lines = [f"## The site: {verdict}", "",
             f"{len(result.pages)} pages opened in Chromium, light and dark mode, axe-core "
             f"WCAG 2.1 A/AA (text contrast 4.5:1); {len(result.topics)} topic pages also "
             "checked for one h1, skip link, visible keyboard focus (phone and desktop "
             "widths), lang, alt text and printing.", ""]
    lines += [f"- **FAIL** {p}" for p in result.problems]
    lines += [f"- needs a person to look: {p}" for p in result.needs_review]
    if result.screenshots:
        lines += ["", "Screenshots: " + ", ".join(f"`{s}`" for s in result.screenshots)]
    return "\n".join(lines) + "\n"
