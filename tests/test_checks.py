"""`make check`, as a writer meets it: real Sphinx builds through `carepress check`, a real
HTTP server on 127.0.0.1 for the external links, and the report read back."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pypdf
import pytest

import warm
from helpers import REPO, Project, Run, basic_project

TODAY = "2026-11-24"


class Handler(BaseHTTPRequestHandler):
    """200, 404, 410, a redirect, a page without the anchor asked for, and a slow reply."""

    def _answer(self, body: bool) -> None:
        path = self.path.split("#")[0]
        self.server.hits[path] = self.server.hits.get(path, 0) + 1
        if path == "/slow":
            time.sleep(3)
        if path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.end_headers()
            return
        status = {"/gone": 404, "/removed": 410}.get(path, 200)
        page = b"<html><body><h2 id='aftercare'>Aftercare</h2><p>Hello</p></body></html>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        if body:
            self.wfile.write(page)

    def do_HEAD(self):
        self._answer(False)

    def do_GET(self):
        self._answer(True)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.hits = {}
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def check(project, *args: str) -> Run:
    """`carepress check` run in the project folder, the way `make check` runs it (started
    warm: tests/warm.py)."""
    proc = warm.run(["-m", "carepress.cli", "check", "--source", ".", "--today", TODAY, *args],
                    cwd=project.path, timeout=300)
    return Run(proc.returncode, proc.stdout + proc.stderr)


def report(project) -> str:
    return (project.path / "_build/check/report.md").read_text(encoding="utf-8")


FRONT = """\
---
title: {title}
summary: How to look after your skin.
reviewed: {reviewed}
next_review: {next_review}
reviewer: Clinical lead, dermatology
version: "1.0"
sources:
  - title: Skin care
    publisher: Test publisher
    url: {server}/ok
---
"""

BAD = FRONT + """
This sheet is for adults who want fewer unwanted hairs.

## What happens

The laser heats the hair roots so they grow back thinner.
Sleep apnea and keloids do not stop treatment, but tell us about them.
The treatment is painless for most people.

#### Your first visit

Read about aftercare in [the aftercare section](#aftercare-notes).
Avoid the sun after your vist.

![](images/dot.svg)

Consequently, individuals contemplating treatment should comprehensively evaluate
their dermatological characteristics, medication history, and anticipated expectations
in consultation with an appropriately credentialed practitioner, because inappropriate
parameter selection substantially increases the probability of pigmentary complications.

(aftercare)=
## Aftercare

- [ ] Keep the area cool.
- [ ] Read the [leaflet]({server}/gone).
"""

HARD = """Consequently, individuals contemplating treatment should comprehensively evaluate
their dermatological characteristics, medication history, and anticipated expectations
in consultation with an appropriately credentialed practitioner, because inappropriate
parameter selection substantially increases the probability of pigmentary complications."""

EASY = """Before you book, tell us about your skin and your medicines.
We will choose the right settings for you.
This lowers the chance of dark or light patches."""

# (what the writer changes, the finding it must clear: file:line: severity: message start)
FIXES = [
    ("vist", "visit", "laser.md:25: ERROR: spelling: 'vist' is not in the dictionary. "
                      "Did you mean:"),
    ("#aftercare-notes", "#aftercare",
     "laser.md:24: WARNING: 'myst' cross-reference target not found: 'aftercare-notes'"),
    ("/gone)", "/ok)", "laser.md:38: ERROR: external link: {server}/gone is broken: the site "
                       "answered 404 Not Found."),
    (HARD, EASY, "laser.md:29: ERROR: reading level: Flesch-Kincaid grade 1"),
    ("reviewed: 2025-01-10\nnext_review: 2026-01-10", "reviewed: 2026-11-01\nnext_review: 2027-11-01",
     "laser.md:5: ERROR: review: overdue since 2026-01-10 (318 days; next_review)."),
    ("![](images/dot.svg)", "![A grey box with a red dot.](images/dot.svg)",
     "laser.md:27: ERROR: accessibility: the image 'images/dot.svg' has no alt text."),
    ("is painless for", "feels like a quick snap to",
     "laser.md:20: ERROR: safe claims: 'painless' must not be said to patients"),
    ("#### Your first", "### Your first",
     "laser.md:22: ERROR: accessibility: the heading 'Your first visit' jumps from level 2 "
     "to level 4."),
]


def test_each_problem_is_named_then_fixed_one_by_one(project, server):
    _, url = server
    # the basic topic's web page, served here too: the check asks no other site
    project.edit("basic.md", "https://www.nhs.uk/conditions/cuts-and-grazes/", f"{url}/ok")
    project.write("laser.md", BAD.format(title="Laser hair removal", reviewed="2025-01-10",
                                         next_review="2026-01-10", server=url))
    project.edit("index.md", "basic\n", "basic\nlaser\n")
    run = check(project)
    assert run.returncode != 0, run.output
    for _, _, message in FIXES:
        assert message.format(server=url) in run.output, message
    assert "SMOG grade 1" in run.output  # the same hard paragraph, a second measure
    assert "apnea" not in run.output and "keloids" not in run.output, "medical words pass"
    assert "Traceback" not in run.output
    table = report(project)
    assert "| laser | 94 | 13." in table and "| 2026-01-10 (overdue) |" in table

    for n, (old, new, message) in enumerate(FIXES, start=1):
        project.edit("laser.md", old, new)
        run = check(project)
        assert message.format(server=url) not in run.output, f"fix {n} did not clear {message}"
        if n < len(FIXES):
            assert run.returncode != 0, f"passed after fix {n} of {len(FIXES)}"
            assert FIXES[n][2].format(server=url) in run.output, "the next problem is still named"
    assert run.returncode == 0, run.output
    assert "carepress check passed: 0 error(s)" in run.output
    assert "| laser |" in report(project) and "| 0 |" in report(project)


def test_a_topics_results_are_reused_only_while_what_made_them_is_the_same(tmp_path):
    """`make check` on a pull request: an unchanged topic's findings come back without
    checking it again, said the same way; changing the topic, the word list or a
    setting gives new findings, and review dates are judged again every run."""
    project = basic_project(tmp_path / "p")
    project.add_topic("laser", BAD.format(title="Laser hair removal", reviewed="2025-01-10",
                                          next_review="2026-01-10", server="http://127.0.0.1:9"))
    only = ("--only", "spelling,internal-links,reading-level,review,accessibility,claims,"
            "placeholders")
    messages = [m for _, _, m in FIXES if "{server}" not in m]
    first = check(project, *only)
    assert first.returncode == 1 and "unchanged since the last check" not in first.output
    assert all(m in first.output for m in messages), first.output
    before = report(project)

    again = check(project, *only)
    assert "2 topic(s) unchanged since the last check: their results reused" in again.output
    assert again.returncode == 1 and report(project) == before
    assert all(m in again.output for m in messages), again.output
    # said by MyST only while a topic is read: that topic is read again for the report
    assert "laser.md:22: WARNING: Non-consecutive header level increase" in again.output

    (project.path / "_build/cache/check-results.json").write_text("{not json")  # damaged
    damaged = check(project, *only)
    assert "unchanged since the last check" not in damaged.output, "nothing read from it"
    assert damaged.returncode == 1 and report(project) == before and "Traceback" not in \
        damaged.output

    later = check(project, *only[:1], "review", "--today", "2026-12-24")
    assert "overdue since 2026-01-10 (348 days; next_review)" in later.output

    project.write("spelling_wordlist.txt",
                  (project.path / "spelling_wordlist.txt").read_text() + "vist\n")
    listed = check(project, *only)
    assert "'vist' is not in the dictionary" not in listed.output
    assert "2 topic(s) unchanged" not in listed.output, "a word list is part of the key"

    project.edit("laser.md", "is painless for", "feels like a quick snap to")
    edited = check(project, *only)
    assert "'painless' must not be said" not in edited.output
    assert "1 topic(s) unchanged" in edited.output, "only basic is reused"
    assert "reading level: Flesch-Kincaid grade 1" in edited.output

    project.write("conf.py", (project.path / "conf.py").read_text()
                  + 'carepress_banned_phrases = ["quick snap"]\n')
    setting = check(project, *only)
    assert "'quick snap' must not be said to patients" in setting.output, setting.output


LINKS = FRONT + """
This sheet lists pages to read.

- [A good page]({server}/ok)
- [A page that moved]({server}/moved)
- [A page that is gone]({server}/gone)
- [A page that was removed]({server}/removed)
- [A section that is not there]({server}/page#dosage)
- [A section that is there]({server}/page#aftercare)
- [A slow page]({server}/slow)
- [A site that is down]({down}/ok)
"""


@pytest.fixture
def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens here once the socket is closed


def test_external_links_errors_warnings_cache_and_strict(project, server, free_port):
    httpd, url = server
    down = f"http://127.0.0.1:{free_port}"
    project.write("links.md", LINKS.format(title="Reading list", reviewed="2026-11-01",
                                           next_review="2027-11-01", server=url, down=down))
    project.edit("index.md", "basic\n", "basic\nlinks\n")
    project.edit("conf.py", 'carepress_brands_dir = "_brands"',
                 'carepress_brands_dir = "_brands"\nlinkcheck_timeout = 1\nlinkcheck_retries = 1')
    httpd.hits.clear()

    run = check(project, "--only", "external-links")
    out = run.output
    assert run.returncode != 0
    assert f"links.md:18: ERROR: external link: {url}/gone is broken: the site answered " \
           "404 Not Found." in out
    assert f"links.md:19: ERROR: external link: {url}/removed is broken: the site answered " \
           "410 Gone." in out
    assert f"links.md:20: ERROR: external link: {url}/page#dosage is broken: the page has " \
           "no anchor 'dosage'." in out
    assert f"links.md:22: WARNING: external link: {url}/slow could not be reached (no answer " \
           "within 1 s), so it was not checked." in out
    assert f"links.md:23: WARNING: external link: {down}/ok could not be reached (the " \
           "connection was refused)" in out
    for fine in ("/ok ", "/moved", "/page#aftercare"):
        assert f"{url}{fine}" not in out, fine
    assert "External links: 9 address(es), 9 checked now, 0 good in the cache, 3 broken, " \
           "3 not reachable." in out

    # A second run asks again only about the addresses that were not good.
    good_hits = {p: httpd.hits[p] for p in ("/ok", "/moved")}
    run = check(project, "--only", "external-links")
    assert {p: httpd.hits[p] for p in ("/ok", "/moved")} == good_hits, "cached links re-asked"
    assert httpd.hits["/gone"] >= 2
    assert "9 address(es), 6 checked now, 3 good in the cache" in run.output
    cache = (project.path / "_build/linkcheck/cache.json").read_text()
    assert f"{url}/ok" in cache and f"{url}/gone" not in cache

    # The strict job fails on a site that cannot be reached, too. (The slow page goes as
    # well: its time-out is shown above, and each run would wait for it again.)
    project.edit("links.md", f"- [A page that is gone]({url}/gone)\n", "")
    project.edit("links.md", f"- [A page that was removed]({url}/removed)\n", "")
    project.edit("links.md", f"- [A section that is not there]({url}/page#dosage)\n", "")
    project.edit("links.md", f"- [A slow page]({url}/slow)\n", "")
    run = check(project, "--only", "external-links")
    assert run.returncode == 0, run.output
    assert "WARNING: external link:" in run.output
    run = check(project, "--only", "external-links", "--strict-links")
    assert run.returncode != 0
    assert f"ERROR: external link: {down}/ok could not be reached" in run.output


PLAIN = FRONT + """
This sheet is for adults with dry skin.

## Every day

Wash your face with cool water each morning.
Pat it dry with a clean towel.
Use a gentle cream without perfume, for example one your doctor prescribed.

- Wear a broad-spectrum sunscreen
- Drink plenty of water

## When to call

Call Dr. Lee if the redness spreads or your skin feels hot.
Irritation that lasts several days usually needs a different medicine.
"""

# Counted by hand, reading aloud: headings left out, each list item a sentence, "Dr." not
# the end of one (it reads "doctor", two syllables), "broad-spectrum" one word.
HAND = [  # (words, syllables, words of three or more syllables)
    (8, 9, 0),    # This sheet is for a-dults with dry skin.
    (8, 10, 0),   # Wash your face with cool wa-ter each mor-ning.
    (7, 8, 0),    # Pat it dry with a clean tow-el.
    (12, 19, 1),  # Use a gen-tle cream with-out per-fume, for ex-am-ple one your doc-tor pre-scribed.
    (4, 7, 1),    # Wear a broad-spec-trum sun-screen
    (4, 6, 0),    # Drink plen-ty of wa-ter
    (12, 14, 0),  # Call Doc-tor Lee if the red-ness spreads or your skin feels hot.
    (10, 22, 5),  # Ir-ri-ta-tion that lasts sev-er-al days u-su-al-ly needs a dif-fer-ent med-i-cine.
]


def test_reading_level_agrees_with_a_hand_count(project):
    project.write("plain.md", PLAIN.format(title="Dry skin", reviewed="2026-11-01",
                                           next_review="2027-11-01", server="https://x.test"))
    project.edit("index.md", "basic\n", "basic\nplain\n")
    run = check(project, "--only", "reading-level")
    assert run.returncode == 0, run.output
    words = sum(h[0] for h in HAND)
    sentences = len(HAND)
    syllables = sum(h[1] for h in HAND)
    poly = sum(h[2] for h in HAND)
    grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    smog = 1.0430 * (poly * 30 / sentences) ** 0.5 + 3.1291
    row = next(line for line in report(project).splitlines() if line.startswith("| plain |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert int(cells[1]) == words == 65
    assert abs(float(cells[2]) - grade) <= 0.5, (cells[2], grade)
    assert abs(float(cells[3]) - smog) <= 0.5, (cells[3], smog)
    # The longest sentences are listed with their lines, for a writer to start with.
    assert "`plain.md:20` (12 words) Use a gentle cream without perfume" in report(project)
    assert "`plain.md:27` (12 words) Call Dr. Lee if the redness spreads" in report(project)


@pytest.fixture(scope="module")
def unchanged_project(tmp_path_factory) -> Project:
    """The basic root, checked by test_review_dates on several days: only --today changes,
    which makes Sphinx read no topic again, so the cases share one copy and its doctrees."""
    return basic_project(tmp_path_factory.mktemp("review") / "proj")


@pytest.mark.parametrize("today, code, expected", [
    ("2027-09-01", 0, "basic.md:5: WARNING: review: due on 2027-10-01, in 30 days. Plan the "
                      "review with Clinical lead, nursing."),
    ("2027-10-02", 1, "basic.md:5: ERROR: review: overdue since 2027-10-01 (1 day; "
                      "next_review)."),
    ("2026-09-30", 1, "basic.md:4: ERROR: review: 'reviewed: 2026-10-01' is in the future "
                      "(today is 2026-09-30)."),
    ("2026-11-24", 0, "carepress check passed: 0 error(s), 0 warning(s)"),
])
def test_review_dates(unchanged_project, today, code, expected):
    run = check(unchanged_project, "--only", "review", "--today", today)
    assert run.returncode == code, run.output
    assert expected in run.output


def test_new_topic_skeleton(project):
    new = warm.run(["-m", "carepress.cli", "new", "chemical-peel", "--source", "."],
                   cwd=project.path)
    assert new.returncode == 0, new.stderr
    assert "wrote chemical-peel.md: fill in every TODO" in new.stdout
    assert "chemical-peel" in (project.path / "index.md").read_text()
    again = warm.run(["-m", "carepress.cli", "new", "chemical-peel", "--source", "."],
                     cwd=project.path)
    assert again.returncode == 2 and "already exists" in again.stderr

    run = check(project, "--only", "placeholders,accessibility,review,internal-links")
    assert run.returncode != 0
    assert "chemical-peel.md:3: ERROR: placeholder: 'summary: \"TODO: one line saying what " \
           "the patient learns.\"' still says TODO." in run.output
    assert "the front matter" not in run.output, "the skeleton's front matter is complete"
    assert "accessibility:" not in run.output and "WARNING: " not in run.output
    skeleton = (project.path / "chemical-peel.md").read_text()
    for section in (":::{key-points}", "## What is chemical peel?", "## Before your visit",
                    "## After your visit", ":::{call-us}", "sources:", "reviewer:"):
        assert section in skeleton, section


def test_spelling_uses_hunspell_with_the_medical_dictionary(tmp_path):
    from carepress.checks.spelling import open_dictionary
    d = open_dictionary("en_US", ["en_med_glut"], tmp_path / "enchant")
    # With aspell-en installed too, Enchant would pick aspell, which lacks "apnea".
    assert d.provider.name == "hunspell"
    for word in ("apnea", "keloids", "isotretinoin", "retinoids", "hello"):
        assert d.check(word), word  # en_US words, and medical words with en_US's affixes
    assert not d.check("microneedlng")
    assert "microneedle" in d.suggest("microneedel")


def test_decorative_image_needs_no_alt_text(project):
    project.edit("basic.md", ":alt: A grey box with a red dot in the middle.", "")
    run = check(project, "--only", "accessibility")
    assert run.returncode != 0 and "the image 'images/dot.svg' has no alt text" in run.output
    project.edit("basic.md", ":::{figure} images/dot.svg\n",
                 ":::{figure} images/dot.svg\n:class: decorative\n")
    run = check(project, "--only", "accessibility")
    assert run.returncode == 0, run.output
    # One `carepress build` (as `make`, warnings as errors) writes the site and the brochure.
    run = project.carepress_site()
    assert run.returncode == 0, run.output
    assert "0 error(s), 0 warning(s)" in run.output, "no warning about the missing alt text"
    html = (project.path / "_build/html/basic.html").read_text(encoding="utf-8")
    assert '<img alt="" class="decorative" src="_images/dot.svg"' in html, "screen readers skip it"
    # PDF/UA needs alt text on every <img>: printed as an <object>
    assert len(pypdf.PdfReader(project.pdf()).pages) >= 1


def test_ci_runs_what_the_readme_promises():
    import shlex

    import yaml

    from carepress.config import CHECK_NAMES

    flow = yaml.safe_load((REPO / ".github/workflows/carepress.yml").read_text())
    on = flow[True]  # YAML reads the bare key `on` as true
    assert {"pull_request", "push", "schedule", "workflow_dispatch"} <= set(on)
    runs = [s.get("run", "") for s in flow["jobs"]["check"]["steps"]]
    assert [r for r in runs if r.startswith("make")] == ["make test", "make", "make check",
                                                         "make diff BASE=HEAD^1"]
    uploaded = next(s for s in flow["jobs"]["check"]["steps"]
                    if s.get("uses", "").startswith("actions/upload-artifact"))["with"]["path"]
    assert "_build/pdf/**/*.pdf" in uploaded and "_build/check/report.md" in uploaded
    assert "make linkcheck" in [s.get("run") for s in flow["jobs"]["links"]["steps"]]
    assert flow["jobs"]["pages"]["needs"] == "check"

    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    argv = shlex.split(hooks[0]["entry"])
    only = argv[argv.index("--only") + 1].split(",")
    assert set(only) <= set(CHECK_NAMES) and "external-links" not in only
