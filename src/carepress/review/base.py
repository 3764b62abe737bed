"""The base revision's brochures, built in a git worktree under ``_build/diff/.base/``.

The worktree keeps its own ``_build`` between runs: moving it to a new base commit
rebuilds only what changed (git rewrites only the files that differ), and a base that was
already built, by the same engine, is not built again (a stamp file records the commit).

Which carepress builds the base: when the base revision carries carepress's own source
(``src/carepress``, as this repository does), that one, so a change to a layout shows
up in the diff; otherwise the installed one (a clinic's repository holds only topics).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import __version__, outputs
from . import git

STAMP = ".carepress-diff-base"


@dataclass
class Base:
    commit: str
    project: Path      # the base revision's project folder (holding conf.py)
    build_dir: Path
    process: subprocess.Popen | None = None  # a build still running
    reused: bool = False

    @property
    def pdfs(self) -> Path:
        return outputs.pdf_dir(self.build_dir)

    def wait(self) -> tuple[int, str]:
        """The base build's exit status and output (0 and "" when it was reused)."""
        if self.process is None:
            return 0, ""
        out, _ = self.process.communicate()
        status = self.process.returncode
        if status in (0, 1):  # 1: a topic of the base has a problem; building again won't help
            _stamp(self.build_dir).write_text(self._key(), encoding="utf-8")
        return status, out

    def _key(self) -> str:
        return f"{self.commit} {_engine(self.project)}\n"


def _stamp(build_dir: Path) -> Path:
    return Path(build_dir, STAMP)


def _engine(project: Path) -> str:
    own = _own_source(project)
    return "own source" if own else f"carepress {__version__}"


def _own_source(project: Path) -> Path | None:
    top = Path(git.toplevel(project))
    src = top / "src"
    return src if (src / "carepress" / "__init__.py").is_file() else None


def start(commit: str, build_dir: Path, source: str, project: Path | None = None) -> Base:
    """Check the base out and start building its brochures (or reuse the last build)."""
    project = Path(project or Path.cwd()).resolve()
    top = git.toplevel(project)
    folder = outputs.diff_base_dir(Path(build_dir).resolve() if Path(build_dir).is_absolute()
                                   else project / build_dir)
    git.worktree_at(folder, commit, cwd=project)
    base_project = folder / project.relative_to(top)
    base = Base(commit, base_project, base_project / "_build")
    stamp = _stamp(base.build_dir)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == base._key():
        base.reused = True
        return base
    stamp.unlink(missing_ok=True)
    env = dict(os.environ)
    own = _own_source(base_project)
    if own:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(own), env.get("PYTHONPATH")]))
    base.process = subprocess.Popen(
        [sys.executable, "-m", "carepress.cli", "build", "--pdf-only", "-q",
         "--source", source, "--build-dir", "_build"],
        cwd=base_project, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return base
