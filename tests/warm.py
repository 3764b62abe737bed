"""Builds started warm. A test's `carepress` or `sphinx-build` runs in a child forked from
a Python that has already imported Sphinx, MyST, furo, WeasyPrint and carepress, instead
of a new interpreter that imports them all again (most of a small build's second). The
child runs the program as ``python -m`` does (runpy, as ``__main__``), in the test's
folder, with its environment, its output in files, and exits with the program's status:
the same program, messages and exit codes, started sooner.

A run gets a new interpreter instead (``run`` is then subprocess.run) when the test sets
a PYTHON* variable of its own (an audit hook, another package folder), and tests that
send signals start their own process. CAREPRESS_TESTS_COLD=1 starts every run cold, to
compare.

Run as a script, this file is the warm process: one request per line on stdin (JSON), one
line back with the child's pid, then one with its exit status.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

# What a build imports; imported once, by the warm process (not the module a run starts:
# runpy runs that one itself).
PRELOAD = ("sphinx.application", "sphinx.builders.html", "sphinx.builders.linkcheck",
           "sphinx.cmd.build", "myst_parser.sphinx_", "sphinx_design.extension", "furo",
           "sphinxcontrib.spelling", "carepress", "carepress.pipeline",
           "carepress.brochure.builder", "carepress.checks.builder", "weasyprint", "pikepdf",
           "pypdf", "requests")


def run(args: list[str], cwd=None, env: dict | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess:
    """``python <args>`` (``args`` starting ``-m <module>``), with output captured as text,
    like ``subprocess.run([sys.executable, *args], capture_output=True, text=True)``."""
    env = dict(os.environ if env is None else env)
    own = {k: v for k, v in env.items() if k.startswith("PYTHON")}
    if (os.environ.get("CAREPRESS_TESTS_COLD") or args[0] != "-m"
            or own != {k: v for k, v in os.environ.items() if k.startswith("PYTHON")}):
        return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True,
                              text=True, timeout=timeout)
    return _Warm.get().run(args, str(cwd or os.getcwd()), env, timeout)


class _Warm:
    """The warm process of this test process (each xdist worker has its own)."""
    instance: _Warm | None = None

    @classmethod
    def get(cls) -> _Warm:
        if cls.instance is None or cls.instance.proc.poll() is not None:
            cls.instance = cls()
        return cls.instance

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, bufsize=0)
        self.outputs = Path(tempfile.mkdtemp(prefix="carepress-warm-"))
        self.pending = b""

    def answer(self, timeout: float | None = None) -> dict | None:
        """The warm process's next line, or None when ``timeout`` passes first."""
        while b"\n" not in self.pending:
            ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                raise RuntimeError("the warm process ended: see the output above")
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return json.loads(line)

    def run(self, args, cwd, env, timeout) -> subprocess.CompletedProcess:
        out, err = self.outputs / "stdout", self.outputs / "stderr"
        self.proc.stdin.write(json.dumps({"args": args, "cwd": cwd, "env": env, "stdout":
                                          str(out), "stderr": str(err)}).encode() + b"\n")
        pid = self.answer()["pid"]
        done = self.answer(timeout)
        if done is None:
            os.kill(pid, signal.SIGKILL)  # still the child: the warm process waits for it
            self.answer()
        text = (out.read_text(errors="replace"), err.read_text(errors="replace"))
        if done is None:
            raise subprocess.TimeoutExpired([sys.executable, *args], timeout, *text)
        return subprocess.CompletedProcess([sys.executable, *args], done["returncode"], *text)


def _serve() -> None:
    from importlib import import_module
    sys.path[0] = ""  # as `python -m` has it: the working folder, not tests/
    for name in PRELOAD:
        try:
            import_module(name)
        except ImportError:
            pass
    from multiprocessing import forkserver

    from carepress.brochure.worker import render
    # The multiprocessing internals sharing needs (see _share_server); without them each
    # build starts its own server, as under `make`: slower, never wrong.
    shared = hasattr(getattr(forkserver, "_forkserver", None), "_forkserver_pid")
    if shared:
        render.warm_up()  # the fork server printing workers come from, shared
    server_env = _settings(os.environ)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            share = shared and _settings(request["env"]) == server_env
            _child(request, share, own_server=shared and not share)  # never returns
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}), flush=True)


def _settings(env) -> dict:
    """An environment without the name of the test pytest is running."""
    return {k: v for k, v in env.items() if k != "PYTEST_CURRENT_TEST"}


def _share_server() -> None:
    """Print with the warm process's fork server instead of starting one per build (a new
    interpreter importing WeasyPrint: about 0.6 s of CPU for every build that prints).
    The server is the one a build starts, the same modules loaded, started with the same
    environment (only shared when the run's equals it); workers still take the build's
    folder and sys.path from the build. It is not the build's child, which multiprocessing
    checks with waitpid, so that check is left out here."""
    from multiprocessing import forkserver, resource_tracker

    def ensure_running():
        resource_tracker.ensure_running()
    forkserver.ensure_running = forkserver._forkserver.ensure_running = ensure_running


def _child(request: dict, share: bool, own_server: bool) -> None:
    import atexit
    import runpy
    import traceback
    code = 1
    try:
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if share:
            _share_server()
        elif own_server:  # not the warm process's: one of its own, with its environment
            from multiprocessing import forkserver
            forkserver._forkserver._forkserver_pid = None
        tempfile.tempdir = None  # found again from TMPDIR
        sys.path[0] = os.getcwd()
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        for fd, name in ((1, "stdout"), (2, "stderr")):
            os.dup2(os.open(request[name], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644), fd)
        module, *rest = request["args"][1:]
        sys.argv = [module, *rest]
        try:
            runpy.run_module(module, run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as stop:
            if stop.code is None or isinstance(stop.code, int):
                code = stop.code or 0
            else:
                print(stop.code, file=sys.stderr)
        except BaseException:
            traceback.print_exc()
        atexit._run_exitfuncs()  # as an interpreter does on its way out
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


if __name__ == "__main__":
    _serve()
