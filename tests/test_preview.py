"""`carepress preview` as a writer uses it: started on a free loopback port, the preview
page fetched, a save that changes a printed page, then a save that breaks the topic.
Every wait polls with a time limit; none is a fixed sleep."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

from helpers import ctrl_c_as_on_a_terminal

LIMIT = 120  # seconds any one wait may take on a loaded machine


def get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def state(base: str) -> dict:
    return json.loads(get(base + "state.json"))


def wait_for(base: str, test, what: str) -> dict:
    deadline = time.monotonic() + LIMIT
    while time.monotonic() < deadline:
        s = state(base)
        if not s["building"] and test(s):
            return s
        time.sleep(0.1)
    raise AssertionError(f"the preview did not {what} within {LIMIT} s: {state(base)}")


@pytest.fixture
def preview(project):
    proc = subprocess.Popen([sys.executable, "-m", "carepress.cli", "preview", "basic",
                             "--source", ".", "--port", "0"], cwd=project.path,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=ctrl_c_as_on_a_terminal)
    lines: list[str] = []
    found = threading.Event()

    def read():
        for line in proc.stdout:
            lines.append(line)
            if "carepress preview: http://" in line:
                found.set()
    threading.Thread(target=read, daemon=True).start()
    try:
        assert found.wait(LIMIT), "".join(lines)
        url = re.search(r"(http://127\.0\.0\.1:\d+/_preview/)", "".join(lines)).group(1)
        yield url, proc, lines
    finally:
        # Ctrl-C, as a writer stops it. One that lands while a rebuild runs (a late save
        # can start one) only stops that rebuild (pipeline.sphinx takes it as the build's
        # end) and the preview goes on watching: as a writer would, press it again. Then
        # SIGTERM, which the preview takes as Ctrl-C, and only then kill it.
        for stop, wait in ((signal.SIGINT, 5), (signal.SIGINT, 3), (signal.SIGTERM, 5)):
            proc.send_signal(stop)
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        else:
            proc.kill()
            proc.wait()


def test_preview_updates_the_printed_pages_on_save(project, preview):
    base, proc, lines = preview
    first = wait_for(base, lambda s: s["version"] >= 2, "build the topic")
    assert first["ok"], first
    pages = first["pages"]["handout"]
    assert pages and pages[0].endswith("/basic-handout-1.png")
    site = base.removesuffix("_preview/")
    page = get(base).decode()
    assert "<iframe" in page and '"topic": "basic"' in page
    before = get(site + pages[0].lstrip("/"))
    assert before.startswith(b"\x89PNG")
    assert b'new EventSource("/_preview/events")' in get(site + "basic.html"), "live reload"
    with urllib.request.urlopen(base + "events", timeout=30) as events:
        event = json.loads(events.readline().decode().removeprefix("data: "))
        assert event["version"] == first["version"]

    # A save that changes the first printed page.
    project.edit("basic.md", "Wash your hands.", "Wash your hands with soap for twenty seconds.")
    second = wait_for(base, lambda s: s["pages_version"] > first["pages_version"],
                      "print the edit")
    assert second["ok"] and second["problems"] == [], second
    after = get(site + second["pages"]["handout"][0].lstrip("/"))
    assert after.startswith(b"\x89PNG") and after != before, "the page image changed"
    assert b"twenty seconds" in get(site + "basic.html")

    # A save that breaks the topic: the error with its file and line; the last good pages.
    project.edit("basic.md", ":::{call-us}", ":::{cal-us}")
    third = wait_for(base, lambda s: s["version"] > second["version"], "report the error")
    assert not third["ok"], third
    problem = next(p for p in third["problems"] if "cal-us" in p["message"])
    assert re.fullmatch(r"basic\.md:\d+", problem["where"]), problem  # file and line
    assert third["pages_version"] == second["pages_version"]
    assert get(site + third["pages"]["handout"][0].lstrip("/")) == after, "last good page kept"
    assert b"twenty seconds" in get(site + "basic.html"), "last good web page kept"
