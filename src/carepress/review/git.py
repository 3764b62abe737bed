"""What git says about a change: its base revision, the files it touches, a worktree of
the base. Used by `carepress check --changed-since` and `carepress diff`."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..errors import CarepressError

MAIN_BRANCHES = ("main", "origin/main", "master", "origin/master")


def git(*args: str, cwd: Path | str = ".") -> str:
    """``git args...`` in ``cwd``; its output, stripped. A failure stops with git's message."""
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=300)
    except FileNotFoundError:
        raise CarepressError("git is not installed; carepress needs it to compare revisions.")
    if proc.returncode:
        message = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise CarepressError(f"git {' '.join(args)}: {message}")
    return proc.stdout.strip()


def toplevel(cwd: Path | str = ".") -> Path:
    return Path(git("rev-parse", "--show-toplevel", cwd=cwd))


def commit(rev: str, cwd: Path | str = ".") -> str:
    """The full commit id ``rev`` names."""
    return git("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", cwd=cwd)


def default_base(cwd: Path | str = ".") -> tuple[str, str]:
    """(commit, how it was found): the merge base of HEAD with the main branch."""
    for branch in MAIN_BRANCHES:
        try:
            commit(branch, cwd)
        except CarepressError:
            continue
        return git("merge-base", branch, "HEAD", cwd=cwd), f"the merge base with {branch}"
    raise CarepressError("no main branch to compare with (tried "
                         f"{', '.join(MAIN_BRANCHES)}); name the base: carepress diff REV")


def changed_files(base: str, cwd: Path | str = ".") -> list[Path]:
    """Every file that differs between the merge base of ``base`` and HEAD, and the
    working tree (uncommitted and new files too), as absolute paths."""
    root = toplevel(cwd)
    since = git("merge-base", base, "HEAD", cwd=cwd)
    names = git("diff", "--name-only", since, cwd=cwd).splitlines()
    names += git("ls-files", "--others", "--exclude-standard", cwd=cwd).splitlines()
    return sorted({(root / n).resolve() for n in names if n})


def worktree_at(folder: Path, rev: str, cwd: Path | str = ".") -> None:
    """``folder`` holds a worktree of this repository checked out at ``rev`` (detached);
    an existing one is moved there, keeping its untracked files (its ``_build``). One
    that is registered but was deleted (`make clean`) is added again (``--force``)."""
    folder = Path(folder)
    if (folder / ".git").exists():
        git("checkout", "--quiet", "--force", "--detach", rev, cwd=folder)
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    git("worktree", "add", "--quiet", "--force", "--detach", str(folder.resolve()), rev,
        cwd=cwd)
