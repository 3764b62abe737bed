"""What `carepress build` prints: a few lines and a summary table by default; Sphinx's own
file-by-file output only with -v."""

from __future__ import annotations

import re


def test_a_build_says_what_it_made_in_a_few_lines(project):
    run = project.carepress_site()
    assert run.returncode == 0, run.output
    lines = run.output.strip().splitlines()
    assert "Running Sphinx" not in run.output and "MdParserConfig" not in run.output
    assert lines[0] == "printing 1 brochure(s) with 2 worker(s) while the site is built"
    assert re.fullmatch(r"carepress build: \d+\.\d s", lines[-4])
    assert re.match(r"  brochures +1 printed \(3 pages\), 0 reused, 0 not printed +_build/pdf/$",
                    lines[-3]), lines[-3]
    assert re.match(r"  site +built \(en\) +_build/html/$", lines[-2]), lines[-2]
    assert lines[-1] == "  problems   0 error(s), 0 warning(s)"
    assert len(lines) <= 8, lines

    project.edit("basic.md", "Wash your hands.", "Wash your hands. ![A hand](images/gone.svg)")
    run = project.carepress_site("-v")
    assert run.returncode == 1
    assert "Running Sphinx" in run.output and "reading sources" in run.output  # -v: all of it
    assert "basic.md:23: WARNING: image file not readable: images/gone.svg" in run.output
    assert re.search(r"brochures +0 printed \(0 pages\), 0 reused, 1 not printed", run.output)
    assert "not replaced: the build failed, the last good site stays" in run.output
    assert "0 error(s), 1 warning(s) (warnings count as errors; --lenient" in run.output
