"""Never lose a good brochure: a killed build and two builds at once leave every PDF whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pikepdf
import pytest

from helpers import FRONT, ctrl_c_as_on_a_terminal, pdf_text


def start(project, *args: str, mark: str = "") -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "CP_TEST_MARK": mark}
    return subprocess.Popen(
        [sys.executable, "-m", "carepress.cli", "build", "--source", ".", *args],
        cwd=project.path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        preexec_fn=ctrl_c_as_on_a_terminal)


def marked_processes(mark: str) -> list[int]:
    """Processes (workers included) started with this test's mark in their environment."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and f"CP_TEST_MARK={mark}".encode() in \
                    (proc / "environ").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _states(pids: list[int]) -> list[str]:
    """Each process's command line and state, to tell a stuck worker from a slow one."""
    out = []
    for pid in pids:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            wchan = Path(f"/proc/{pid}/wchan").read_text()
        except OSError:
            continue
        out.append(f"{pid} {state} {wchan} {cmd[:120]}")
    return out


def assert_whole(pdf: Path) -> None:
    with pikepdf.open(pdf) as doc:  # raises on a truncated or broken file
        assert len(doc.pages) >= 1


def printing_a_slow_topic(project, mark: str, *args: str) -> subprocess.Popen:
    """A build started with a slow topic added (60,000 words: about 5 s to print here)
    and the quick one changed, returned once its workers are rendering."""
    project.write("slow.md", FRONT.format(title="Slow") + " ".join(["word"] * 60_000) + "\n")
    project.edit("index.md", "basic\n", "basic\nslow\n")
    project.edit("basic.md", "Wash your hands.", "Wash your hands with soap.")
    build = start(project, *args, mark=mark)
    for line in build.stdout:
        if line.startswith("printing"):
            break
    time.sleep(1.0)
    return build


@pytest.mark.slow  # a long topic is printed twice: killed, then to its end
def test_killed_build_keeps_the_last_good_pdfs(project):
    run = project.carepress()
    assert run.returncode == 0, run.output
    good = project.pdf().read_bytes()
    mark = uuid.uuid4().hex
    build = printing_a_slow_topic(project, mark, "--pdf-only")
    assert build.poll() is None, "the build ended before it could be killed"
    build.send_signal(signal.SIGKILL)
    build.wait()
    # A worker stops at its next Python instruction, which can come after one long call
    # into Pango (breaking the slow topic's one 60,000-word paragraph): 10 s was once not
    # enough with the suite's other worker busy. One that went on printing instead would
    # also leave the slow topic's PDF (asserted below).
    deadline = time.time() + 30
    while marked_processes(mark) and time.time() < deadline:
        time.sleep(0.2)
    left = marked_processes(mark)
    assert left == [], f"a worker outlived its killed build: {_states(left)}"

    pdf = project.pdf()
    assert_whole(pdf)
    assert pdf.read_bytes() == good or "Wash your hands with soap." in pdf_text(pdf)
    assert not project.pdf("slow").exists()  # it was still printing when the build died
    leftovers = [p for p in (project.path / "_build").rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []

    project.write("conf.py", (project.path / "conf.py").read_text()
                  + "carepress_render_timeout = 300\n")
    run = project.carepress()
    assert run.returncode == 0, run.output
    assert "Wash your hands with soap." in pdf_text(project.pdf())
    assert_whole(project.pdf("slow"))


@pytest.mark.slow  # a long topic is printed once, then dropped
def test_ctrl_c_stops_the_build_with_exit_2_and_keeps_the_last_good_pdfs(project):
    run = project.carepress_site()
    assert run.returncode == 0, run.output
    good = project.pdf().read_bytes()
    mark = uuid.uuid4().hex
    build = printing_a_slow_topic(project, mark)  # the site is being built too
    assert build.poll() is None, "the build ended before Ctrl-C"
    build.send_signal(signal.SIGINT)
    out = build.communicate(timeout=120)[0]
    assert build.returncode == 2, out
    assert "Traceback" not in out and "Interrupted" in out, out
    assert marked_processes(mark) == [], "a worker outlived its interrupted build"
    assert_whole(project.pdf())
    assert project.pdf().read_bytes() == good or "Wash your hands with soap." in \
        pdf_text(project.pdf())
    assert "soap" not in (project.path / "_build/html/basic.html").read_text(), \
        "an interrupted build swapped its site in"
    assert [p for p in (project.path / "_build").rglob("*") if p.name.endswith(".tmp")] == []
    (project.path / "slow.md").unlink()
    project.edit("index.md", "basic\nslow\n", "basic\n")
    run = project.carepress_site()  # the lock was let go
    assert run.returncode == 0, run.output
    assert "Wash your hands with soap." in pdf_text(project.pdf())


def test_two_builds_at_once_do_not_corrupt_each_other(project):
    run = project.carepress()
    assert run.returncode == 0, run.output
    project.edit("basic.md", "Wash your hands.", "Wash your hands with soap.")
    first, second = start(project), start(project)
    outputs = [b.communicate(timeout=600)[0] for b in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert any("another build of this project is running; waiting" in o for o in outputs)
    assert_whole(project.pdf())
    assert "Wash your hands with soap." in pdf_text(project.pdf())
    site = project.path / "_build/html"
    assert "Wash your hands with soap." in (site / "basic.html").read_text()
    assert_whole(site / "pdf/testclinic/basic-handout.pdf")
    assert sorted(p.name for p in (project.path / "_build").iterdir()) == \
        ["cache", "doctrees", "html", "pdf"]


def test_a_rebuild_never_writes_into_the_live_site(project):
    """The site is built in a copy that shares unchanged pages and PDFs with the live
    one; a page or PDF that changes is a new file, so what a reader has open stays whole."""
    project.write("about.md", (project.path / "basic.md").read_text().replace(
        "title: Caring for a small cut", "title: Caring for a graze"))
    project.edit("index.md", "basic\n", "basic\nabout\n")
    run = project.carepress_site()
    assert run.returncode == 0, run.output
    site = project.path / "_build/html"
    page, pdf = site / "basic.html", site / "pdf/testclinic/basic-handout.pdf"
    unchanged = (site / "about.html").stat().st_ino
    with page.open("rb") as open_page, pdf.open("rb") as open_pdf:  # a reader, mid-read
        project.edit("basic.md", "Wash your hands.", "Wash your hands with soap.")
        run = project.carepress_site()
        assert run.returncode == 0, run.output
        assert b"with soap" not in open_page.read(), "the live page was written into"
        assert "with soap" not in pdf_text(open_pdf), "the live PDF was written into"
    assert b"with soap" in page.read_bytes()
    assert "with soap" in pdf_text(pdf)
    assert (site / "about.html").stat().st_ino == unchanged, "an unchanged page was copied"


def test_published_pdfs_are_every_brochure_and_only_those(tmp_path):
    from carepress.outputs import published_pdfs
    names = ["lakeside/cut-handout.pdf", "lakeside/packets/first-visit-handout.pdf",
             "lakeside/es/cut-handout.pdf", "lakeside-two/cut-handout.pdf",
             "lakeside/print-shop/cut-trifold.pdf"]
    others = [".print/lakeside/cut-handout.pdf", ".print/lakeside/cut-handout.html",
              "lakeside/cut-handout.html", "top.pdf", "lakeside/es/deeper/x.pdf"]
    for name in names + others:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"%PDF")
    found = published_pdfs(tmp_path)
    assert found == sorted(tmp_path / n for n in names), found  # in path order
    assert published_pdfs(tmp_path / "missing") == []
