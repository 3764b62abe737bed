"""What a newcomer types first: `make help` on one screen, `carepress --help` with every
command, a line and an example each, and `carepress --version`."""

from __future__ import annotations

import re
import subprocess
import sys

from helpers import REPO

import carepress


def test_carepress_help_lists_every_command_with_an_example():
    out = subprocess.run([sys.executable, "-m", "carepress.cli", "--help"], capture_output=True,
                         text=True, check=True).stdout
    block = out.split("\ncommands:\n", 1)[1].split("\n\n", 1)[0]
    commands = re.findall(r"^    (\w[\w-]*) +\S", block, re.M)
    assert {"build", "check", "new", "brands", "a11y", "preview", "diff"} <= set(commands)
    examples = out.split("\nexamples:\n", 1)[1]
    for command in commands:
        assert f"  carepress {command}" in examples, f"no example for {command}"
    version = subprocess.run([sys.executable, "-m", "carepress.cli", "--version"],
                             capture_output=True, text=True, check=True).stdout
    assert version.strip() == f"carepress {carepress.__version__}"


def test_make_help_fits_one_screen():
    out = subprocess.run(["make", "--no-print-directory", "help"], cwd=REPO, capture_output=True,
                         text=True, check=True).stdout
    lines = out.splitlines()
    assert len(lines) <= 24 and max(map(len, lines)) <= 100, out
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][\w-]*)(?: [a-z][\w-]*)*:", makefile, re.M))
    named = set(re.findall(r"^make (\w+)", out, re.M)) | {"distclean"}
    assert named <= targets, named - targets
    for target in ("test", "check", "preview", "diff", "a11y", "serve", "clean"):
        assert f"make {target}" in out, target
