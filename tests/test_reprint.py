"""A PDF is never reused for inputs that differ (brochure/keys.py), in real builds: each
kind of input a brochure is made of is changed in turn, and each time the brochure
prints again; new file times alone print nothing, and inputs changed back take the
earlier PDF from the cache of PDFs by key instead of printing it again."""

from __future__ import annotations

import os


def _summary(run) -> str:
    return next(line for line in run.output.splitlines() if "reused" in line)


def test_each_input_kind_changed_in_turn_prints_again(project):
    first = project.carepress()
    assert first.returncode == 0, first.output
    original = project.pdf().read_bytes()

    changes = {
        "the topic's text": lambda: project.edit("basic.md", "Wash your hands.",
                                                 "Wash your hands well."),
        "an image": lambda: project.edit("images/dot.svg", "</svg>", "<!-- v2 --></svg>"),
        "the logo": lambda: project.edit("_brands/testclinic/logo.svg", "</svg>",
                                         "<!-- v2 --></svg>"),
        "the brand's data": lambda: project.edit("_brands/testclinic/brand.toml",
                                                 '"(555) 123-4567"', '"(555) 123-4568"'),
        "a render setting": lambda: project.write(
            "conf.py", (project.path / "conf.py").read_text()
            + 'carepress_allowed_urls = ["https://cdn.example.org/"]\n'),
    }
    for what, change in changes.items():
        key_file = project.path / "_build/pdf/.print/testclinic/basic-handout.key"
        key = key_file.read_text()
        change()
        run = project.carepress()
        assert run.returncode == 0, f"{what}: {run.output}"
        assert "1 printed" in _summary(run), f"{what} changed, the PDF was reused: {run.output}"
        assert key_file.read_text() != key, what

    # New times on every file, contents the same: nothing prints.
    for path in project.path.rglob("*"):
        if "_build" not in path.parts:
            os.utime(path)
    same = project.carepress()
    assert same.returncode == 0, same.output
    assert "0 printed" in _summary(same) and "1 reused" in _summary(same), same.output

    # Everything changed back: the first PDF comes from the cache, printed by nobody.
    for path in ("basic.md", "images/dot.svg", "_brands/testclinic/logo.svg",
                 "_brands/testclinic/brand.toml", "conf.py"):
        text = (project.path / path).read_text()
        for new, old in (("Wash your hands well.", "Wash your hands."),
                         ("<!-- v2 --></svg>", "</svg>"), ('"(555) 123-4568"', '"(555) 123-4567"'),
                         ('carepress_allowed_urls = ["https://cdn.example.org/"]\n', "")):
            text = text.replace(new, old)
        project.write(path, text)
    back = project.carepress()
    assert back.returncode == 0, back.output
    assert "0 printed" in _summary(back) and "1 reused" in _summary(back), back.output
    assert project.pdf().read_bytes() == original


def test_a_key_file_changed_since_the_last_build_is_read_again(project):
    """The builder keeps the stamps of the key files it read (keys.Stamps), by each
    file's size, time and inode: a key file rewritten since, even to the same size, is
    read again. Here its stamp was spoilt: the print HTML is written again, and the key
    file put right."""
    import json
    project.add_topic("second", (project.path / "basic.md").read_text().replace(
        "Wash your hands.", "Dry your hands."))
    key_file = project.path / "_build/pdf/.print/testclinic/basic-handout.key"
    assert project.carepress().returncode == 0
    project.edit("second.md", "Dry your hands.", "Dry your hands well.")
    run = project.carepress()  # a build that reads basic's key file, and keeps its stamp
    assert run.returncode == 0, run.output
    good = key_file.read_text()
    spoilt = json.loads(good)
    spoilt["stamp"] = "0" * len(spoilt["stamp"])
    key_file.write_text(json.dumps(spoilt))
    assert key_file.stat().st_size == len(good)
    project.edit("second.md", "Dry your hands well.", "Dry your hands often.")
    run = project.carepress()
    assert run.returncode == 0, run.output
    assert key_file.read_text() == good, "the changed key file was not read again"
