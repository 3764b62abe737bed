"""What a writer gets slightly wrong prints correctly or gets one clear error: never a
traceback, never a silent misprint (tests/roots/test-misprints).

One project prints once with every topic right, then each topic gets one mistake and the
project is built again, as `make` builds it: every mistake is named with its file and
line, the build exits 1 without a traceback, every previous PDF stays byte-identical,
and the topic that is still right prints again. With -v the tracebacks are shown.
"""

from __future__ import annotations

import shutil

from carepress.brochure import printer
from carepress.brochure.worker import render

from helpers import ROOTS, Project, pdf_text

MISTAKES = {  # topic: (text in it, the same text with the mistake)
    # A `#` heading would print the topic's Sources first (README: one title rule).
    "heading": ("Most blisters heal", "# Blisters at home\n\nMost blisters heal"),
    # MyST leaves these as text: they must not reach patients unannounced.
    "markup": ("The picture below shows a cold pack.",
               "The picture below shows a cold pack.\n![A cold pack](file:///etc/hostname)\n"
               "Ask {{ clinic_name }} for one, or [call us](javascript:alert(1))."),
    # A directive of another extension that raises while the topic is read.
    "crash": ("Drink plenty of water.",
              "Drink plenty of water.\n\n```{dosage-chart}\nwater: 8 glasses\n```"),
    # A node carepress's own code cannot print: a bug in carepress.
    "bug": ("Use clean tweezers", ":::{clinic-card}\n:::\n\nUse clean tweezers"),
    # Deliberately disabled or deprecated forms copied from the documentation.
    "refused": ("Pinch the soft part for ten minutes.",
                "Pinch the soft part for ten minutes.\n\n```{literalinclude} /etc/hostname\n```"
                "\n\n:::{card} Ice\nHeader\n^^^\nA cold pack on the nose helps.\n:::"),
}


def line(project: Project, topic: str, needle: str) -> int:
    text = (project.path / f"{topic}.md").read_text(encoding="utf-8")
    return next(n for n, t in enumerate(text.splitlines(), 1) if needle in t)


def test_mistakes_are_named_and_keep_the_last_good_pdfs(tmp_path):
    shutil.copytree(ROOTS / "test-misprints", tmp_path / "proj")
    project = Project(tmp_path / "proj")
    first = project.carepress()
    assert first.returncode == 0, first.output
    kept = {topic: project.pdf(topic).read_bytes() for topic in MISTAKES}
    for topic, (old, new) in MISTAKES.items():
        project.edit(f"{topic}.md", old, new)
    project.edit("basic.md", "Wash your hands.", "Wash your hands well.")

    run = project.carepress()
    out = run.output
    assert run.returncode == 1, out
    for bad in ("Traceback", "Exception occurred", "Extension error", "Handler <"):
        assert bad not in out, out

    # 2. One title rule: a level-1 heading in the body is an error with the fix.
    assert (f"heading.md:{line(project, 'heading', '# Blisters')}: ERROR: the heading "
            "'Blisters at home' is a level-1 (#) heading, a second title. Start sections at ##; "
            "the title comes from the front matter (write '## Blisters at home'") in out
    # 3. Markup left as text: a warning naming the line and the reason.
    assert (f"markup.md:{line(project, 'markup', 'file:///')}: WARNING: '![A cold pack]"
            "(file:///etc/hostname)': this image was printed as plain text: file: addresses "
            "are not allowed") in out
    assert (f"markup.md:{line(project, 'markup', '{{')}: WARNING: '{{{{ clinic_name }}}}': "
            "substitutions are turned off") in out
    assert "'[call us](javascript:alert(1)': this link was printed as plain text: " \
           "javascript: addresses are not allowed" in out
    # 1. No traceback: what fails in another extension or in carepress is the topic's error.
    assert (f"crash.md:{line(project, 'crash', 'dosage-chart')}: ERROR: the {{dosage-chart}} "
            "directive failed in the package 'faults' (ValueError: the chart has no rows). "
            "Check it against the documentation of the package 'faults'") in out
    assert (f"bug.md:{line(project, 'bug', 'clinic-card')}: ERROR: carepress failed while "
            "preparing this topic for print (KeyError: 'field'). This is a bug in carepress, "
            "not in the topic: please report it") in out
    # Features turned off, or deprecated, are refused by name.
    assert (f"refused.md:{line(project, 'refused', 'literalinclude')}: ERROR: the "
            "{literalinclude} directive is turned off") in out
    assert f"refused.md:{line(project, 'refused', '{card}')}: WARNING: The '^^^'/'+++' card" in out

    for topic, data in kept.items():
        assert project.pdf(topic).read_bytes() == data, f"{topic}: the last good PDF changed"
    assert "Wash your hands well." in pdf_text(project.pdf()), "the other topics still print"

    verbose = project.carepress("-v")  # the details a report needs, only when asked for
    assert verbose.returncode == 1
    assert "Traceback" in verbose.output and "ValueError: the chart has no rows" in verbose.output

    # A failure no topic can keep to itself stops the build, in one line.
    project.edit("conf.py", "html_baseurl", "faults_stop_the_build = True\nhtml_baseurl")
    stopped = project.carepress()
    assert stopped.returncode == 2 and "Traceback" not in stopped.output
    assert ("ERROR: the build stopped: the package 'faults' failed (RuntimeError: the index is "
            "full). This is a bug: please report it") in stopped.output
    for topic, data in kept.items():
        assert project.pdf(topic).read_bytes() == data


def test_a_failure_while_printing_is_named_as_a_bug(tmp_path, caplog):
    """Printing a brochure whose print HTML vanished: WeasyPrint raises in the worker."""
    job = render.Job("sunburn", "testclinic", "handout", html=tmp_path / "gone.html",
                     pdf=tmp_path / "sunburn.pdf", scratch=tmp_path / "scratch",
                     roots=(tmp_path,))
    result = render.render(job)
    assert result.crash.startswith("Traceback") and result.failed_in == "weasyprint"
    with caplog.at_level("INFO"):
        printer._report([result], since=0.0)
    assert ("could not print sunburn (testclinic, handout): WeasyPrint (or carepress, which "
            "calls it) failed on this brochure (FileNotFoundError") in caplog.text
    assert "This is a bug, not a mistake in the topic: please report it" in caplog.text
    assert not job.pdf.exists()
