"""A topic that takes too long or needs too much memory fails alone, saying which limit."""

from __future__ import annotations

import pytest
from PIL import Image

from helpers import FRONT

pytestmark = pytest.mark.slow  # a topic printed for 5 s, an image that needs gigabytes


def test_time_and_memory_limits_stop_one_topic_each(project):
    project.write("conf.py", (project.path / "conf.py").read_text()
                  + "carepress_render_timeout = 5\ncarepress_render_memory_mb = 700\n")
    # A paragraph of 150,000 words: quick to read, far too long to lay out in 5 s.
    project.write("slow.md", FRONT.format(title="Slow") + " ".join(["word"] * 150_000) + "\n")
    # 12,000 × 12,000 pixels with transparency: a 0.6 MB file that needs gigabytes to print.
    Image.new("RGBA", (12000, 12000), (128, 0, 0, 128)).save(project.path / "images/huge.png")
    project.write("hungry.md", FRONT.format(title="Hungry") + "![A huge square](images/huge.png)\n")
    project.edit("index.md", "basic\n", "basic\nslow\nhungry\n")

    run = project.carepress()
    assert run.returncode == 1, run.output
    assert ("slow.md: ERROR: could not print slow (testclinic, handout): it took longer than "
            "the time limit of 5 s (carepress_render_timeout) and was stopped. The previous "
            "PDF, if any, is kept.") in run.output
    assert ("hungry.md: ERROR: could not print hungry (testclinic, handout): it needed more "
            "than the memory limit of 700 MB (carepress_render_memory_mb) and was stopped."
            ) in run.output
    assert "Traceback" not in run.output
    assert project.pdf().exists()  # the other topic still printed
    assert not project.pdf("slow").exists() and not project.pdf("hungry").exists()
    assert not list((project.path / "_build/pdf").rglob("*.tmp"))
