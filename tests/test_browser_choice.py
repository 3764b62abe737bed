"""Which Chrome or Chromium the browser check uses: CHROME_PATH first, then one on PATH
that runs; Ubuntu's chromium-browser stub (it only asks for a snap) is passed over."""

from __future__ import annotations

from carepress.checks.a11y.browser import find_browser


def fake(folder, name: str, status: int):
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{name} 140.0'\nexit {status}\n")
    path.chmod(0o755)
    return path


def test_chrome_path_first_then_a_browser_that_runs(tmp_path, monkeypatch):
    stub = fake(tmp_path, "chromium-browser", 1)  # "please install the snap"
    chrome = fake(tmp_path, "google-chrome", 0)
    mine = fake(tmp_path / "..", "my-chrome", 0)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CAREPRESS_CHROMIUM", raising=False)
    monkeypatch.setenv("CHROME_PATH", str(mine))
    assert find_browser() == str(mine)
    monkeypatch.delenv("CHROME_PATH")
    assert find_browser() == str(chrome)
    chrome.unlink()
    assert find_browser() is None, f"{stub.name} does not run, so it is not a browser"
