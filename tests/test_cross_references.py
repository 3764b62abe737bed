"""Cross-references print: a {ref} to a heading of the same topic no longer stops the
build (it crashed every brochure of every topic)."""

from __future__ import annotations

from helpers import pdf_text


def test_same_topic_ref_prints_its_text(project):
    project.edit("basic.md", "## Aftercare\n", "(aftercare)=\n## Aftercare\n")
    project.edit("basic.md", "This sheet is for anyone with a small cut at home.",
                 "This sheet is for anyone with a small cut at home. "
                 "See {ref}`the aftercare steps <aftercare>`.")
    project.edit("basic.md", "::::{grid} 2", "::::{grid} 2\n:::{grid-item-card} Aftercare card\n"
                 ":link: aftercare\n:link-type: ref\n\nGo to the aftercare steps.\n:::")
    run = project.carepress()
    assert run.returncode == 0, run.output
    assert "Traceback" not in run.output
    text = " ".join(pdf_text(project.pdf()).split())
    # On paper a reference to this brochure reads as its text and the page it leads to.
    assert "See the aftercare steps (page 1)." in text
    assert "Aftercare card Go to the aftercare steps. Aftercare (page 1)" in text
