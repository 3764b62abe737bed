#!/usr/bin/env python3
"""How fast carepress builds, measured against WeasyPrint's floor and a peer tool.

Run by hand, never as a pass/fail test:

    .venv/bin/python benchmarks/build.py [--topics 50] [--scale 500] [--no-peer]
    .venv/bin/python benchmarks/build.py --library 1000 --shards 4 [--library 5000]

``--library N`` measures a library of N topics (handout only, one brand, through `make`
as a writer runs it): the full build, editing one topic, nothing changed, peak memory,
renaming one topic (the time, and how many pages were written again: those whose
sidebar lists it), a fresh checkout (a second clone elsewhere, every file's time new, the build folder
restored, one topic edited) and, with ``--shards n``, a CI matrix run here one shard after
another (one job reads, n shards start from its doctrees): CPU and wall time against the
full build.

It writes N synthetic topics of realistic length into a temporary project and prints,
in one run: the full build (site + PDFs), seconds per PDF page, a rebuild after editing
one topic, a rebuild with nothing changed, one brand against three, peak memory of a
renderer, the floor (plain WeasyPrint on the same print HTML, one warm process and two
workers) and sphinx-simplepdf on the same topics (in its own virtual environment).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORDS = ("skin heal clinic doctor nurse wash clean gently water soap cream sun rest "
         "pain redness swelling mild treatment visit week day hour safe sore scar dry "
         "itch cover dressing medicine tablet dose eat drink sleep walk call help sign "
         "fever warm tender change care home family plan check test result follow").split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + "."


def paragraph(rng, n=4) -> str:
    return " ".join(sentence(rng) for _ in range(n))


def topic_text(i: int) -> str:
    rng = random.Random(i)
    parts = [f"""---
title: Synthetic topic {i}
summary: A generated topic used to measure build speed.
reviewed: 2026-10-01
reviewer: Clinical lead
version: "1.0"
sources:
  - title: Example source
    publisher: Example publisher
    url: https://example.org/source-{i}
---
""", paragraph(rng, 3), "", ":::{admonition} Good to know", paragraph(rng, 2), ":::", ""]
    for section in range(1, 6):
        parts += [f"## Part {section}", "", paragraph(rng), "", paragraph(rng), ""]
        parts += [f"- {sentence(rng)}" for _ in range(4)] + [""]
        if section == 2:
            parts += [":::{card} At a glance", paragraph(rng, 2), ":::", ""]
        if section == 3:
            parts += [":::{figure} images/picture.svg", ":alt: A simple diagram.", "",
                      "A simple diagram.", ":::", ""]
        parts += [f"1. {sentence(rng)}" for _ in range(3)] + [""]
    return "\n".join(parts)


def make_project(root: Path, topics: int, brands: int,
                 formats: tuple[str, ...] = ("handout",)) -> Path:
    src = root / "docs/source"
    (src / "images").mkdir(parents=True)
    shutil.copy(REPO / "docs/source/images/microneedling-skin.svg", src / "images/picture.svg")
    names = [f"topic{i:04d}" for i in range(topics)]
    for i, name in enumerate(names):
        (src / f"{name}.md").write_text(topic_text(i), encoding="utf-8")
    toc = "\n".join(names)
    # the catalogue lists each topic by its title, as docs/source/index.md does
    (src / "index.md").write_text(f"# Topics\n\n```{{toctree}}\n:maxdepth: 1\n\n{toc}\n```\n",
                                  encoding="utf-8")
    base = REPO / "docs/_static/brands/lakeside"
    ids = []
    for b in range(brands):
        target = root / "docs/_static/brands" / f"brand{b}"
        shutil.copytree(base, target)
        toml = target / "brand.toml"
        toml.write_text(toml.read_text().replace("Lakeside Dermatology", f"Clinic {b}"))
        ids.append(f"brand{b}")
    conf = (REPO / "conf.py").read_text()
    conf = re.sub(r"carepress_brands = .*", f"carepress_brands = {ids!r}", conf)
    conf = re.sub(r"carepress_primary_brand = .*", f"carepress_primary_brand = {ids[0]!r}", conf)
    conf = re.sub(r"carepress_formats = .*", f"carepress_formats = {list(formats)!r}", conf)
    # English only: synthetic topics have no Spanish catalogues, and an edition without
    # one is withdrawn with a line per topic on every build
    conf = re.sub(r"carepress_languages = .*", 'carepress_languages = ["en"]', conf)
    (root / "conf.py").write_text(conf)
    return root


def run(cmd, cwd) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if proc.returncode:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return seconds, proc.stdout + proc.stderr


def printed(output: str) -> tuple[int, int, float, float]:
    m = re.search(r"printed (\d+) brochure\(s\), (\d+) page\(s\) in ([\d.]+) s; "
                  r"peak memory of a renderer (\d+) MB", output)
    return (int(m[1]), int(m[2]), float(m[3]), float(m[4])) if m else (0, 0, 0.0, 0.0)


def carepress_build(root: Path, *extra) -> tuple[float, str]:
    return run([BIN / "carepress", "build", "--lenient", *extra], root)


# -- a library through `make`, with its CPU and memory -----------------------------------
MAKE_FILES = ("Makefile", "scripts", "pyproject.toml", "package.json", "package-lock.json",
              "node_modules", ".venv")


def as_checkout(root: Path) -> Path:
    """The repository's Makefile, scripts and environment, linked in: `make` works there."""
    for name in MAKE_FILES:
        (root / name).symlink_to(REPO / name)
    return root


@dataclass
class Measured:
    wall: float
    cpu: float  # user + system seconds of every process of the run (workers too)
    rss_mb: float  # the largest process
    rss_all_mb: float  # every process of the run together, at its peak
    output: str


def _session_stats(sid: int) -> tuple[dict[int, float], float]:
    """CPU seconds of each process in session ``sid`` (its own, not its reaped
    children's: each is seen itself), and their RSS together."""
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    cpu, rss = {}, 0.0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) != sid:  # the session (field 6 of stat)
            continue
        cpu[int(pid)] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        rss += int(fields[21]) * page / 2**20
    return cpu, rss


def measured(cmd, cwd) -> Measured:
    """``cmd`` in a session of its own, sampled every 50 ms: CPU of all its processes
    (the printing workers are not children that the build waits for, so getrusage alone
    would miss them), the largest process's peak memory (/usr/bin/time) and the peak of
    all together."""
    stats = Path(tempfile.mktemp(prefix="carepress-time-"))
    start = time.perf_counter()
    proc = subprocess.Popen(["/usr/bin/time", "-o", str(stats), "-f", "%M", *map(str, cmd)],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, start_new_session=True)
    seen: dict[int, float] = {}
    peak = 0.0
    chunks: list[str] = []
    import threading
    reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read()))
    reader.start()
    while proc.poll() is None:
        cpu, rss = _session_stats(proc.pid)
        for pid, seconds in cpu.items():
            seen[pid] = max(seen.get(pid, 0.0), seconds)
        peak = max(peak, rss)
        time.sleep(0.05)
    reader.join()
    wall = time.perf_counter() - start
    output = "".join(chunks)
    if proc.returncode:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{output[-3000:]}")
    largest = int(stats.read_text().split()[-1]) / 1024
    stats.unlink()
    return Measured(wall, sum(seen.values()), largest, peak, output)


# -- the floor: plain WeasyPrint on the same print HTML -------------------------------
def _render(path: str, variant: str | None = None) -> int:
    import weasyprint
    out = Path(tempfile.gettempdir(), "carepress-floor", Path(path).name + ".pdf")
    out.parent.mkdir(exist_ok=True)
    document = weasyprint.HTML(filename=path).render(pdf_variant=variant)
    document.write_pdf(out, pdf_variant=variant)
    return len(document.pages)


def _render_ua(path: str) -> int:
    return _render(path, "pdf/ua-1")


def _warm(path: str) -> None:
    _render(path)


def floor(html_files: list[str], render=_render) -> tuple[float, float]:
    render(html_files[0])  # warm: imports, fonts
    start = time.perf_counter()
    for f in html_files:
        render(f)
    sequential = time.perf_counter() - start
    with ProcessPoolExecutor(2, initializer=_warm, initargs=(html_files[0],)) as pool:
        list(pool.map(_warm, [html_files[0]] * 2))  # both workers warm before timing
        start = time.perf_counter()
        list(pool.map(render, html_files))
        parallel = time.perf_counter() - start
    return sequential, parallel


# -- the peer: sphinx-simplepdf -------------------------------------------------------
def simplepdf(root: Path, venv: Path) -> float | None:
    if not (venv / "bin/sphinx-build").exists():
        proc = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True)
        proc = proc.returncode == 0 and subprocess.run(
            [venv / "bin/pip", "install", "-q", "sphinx-simplepdf", "myst-parser", "sphinx-design"],
            capture_output=True)
        if not proc or proc.returncode:
            return None
    peer = root / "peer"
    shutil.rmtree(peer, ignore_errors=True)
    shutil.copytree(root / "docs/source", peer)
    (peer / "conf.py").write_text(
        'project = "Benchmark"\nextensions = ["myst_parser", "sphinx_design", "sphinx_simplepdf"]\n'
        'myst_enable_extensions = ["colon_fence"]\nmyst_title_to_header = True\n')
    start = time.perf_counter()
    env = {**os.environ, "PATH": f"{venv / 'bin'}:{os.environ['PATH']}"}  # it runs `weasyprint`
    proc = subprocess.run([venv / "bin/sphinx-build", "-q", "-b", "simplepdf", str(peer),
                           str(peer / "_build")], capture_output=True, text=True, env=env)
    if proc.returncode:
        print(proc.stderr[-1500:])
        return None
    return time.perf_counter() - start


def fresh_copy(root: Path, target: Path, build: bool = False) -> Path:
    """A clone of ``root`` in ``target``: its sources with new file times (as a checkout
    gives them); with ``build``, the build folder restored as actions/cache restores it:
    a tar archive, which keeps each file's time and the hard links between files (the
    site shares its pages and PDFs with the previous site, site/staging.py)."""
    target.mkdir(parents=True)
    shutil.copytree(root / "docs", target / "docs", copy_function=shutil.copy)
    shutil.copy(root / "conf.py", target / "conf.py")
    if build:
        archive = subprocess.run(["tar", "-cf", "-", "_build"], cwd=root, check=True,
                                 stdout=subprocess.PIPE).stdout
        subprocess.run(["tar", "-xf", "-"], cwd=target, input=archive, check=True)
    return as_checkout(target)


def library(tmp: Path, n: int, shards: int, repeat: int, formats: tuple[str, ...]) -> float:
    """The figures of a library of ``n`` topics; returns its full build's wall time."""
    root = as_checkout(make_project(tmp / f"library{n}", n, brands=1, formats=formats))
    make = ["make", "BRAND=brand0"]
    print(f"\n{n} topics ({' and '.join(formats)}, one brand, English), through "
          f"`make BRAND=brand0`; "
          f"load average {os.getloadavg()[0]:.2f}")
    full = measured(make, root)
    print(f"  full build: {full.wall:.1f} s, CPU {full.cpu:.1f} s; peak memory "
          f"{full.rss_mb:.0f} MB (largest process), {full.rss_all_mb:.0f} MB (all together)")
    topic = root / f"docs/source/topic{n // 2:04d}.md"

    def edit() -> Measured:
        topic.write_text(topic.read_text() + "\nOne more line.\n")
        return measured(make, root)
    edits = [edit() for _ in range(repeat)]
    nothing = [measured(make, root) for _ in range(repeat)]
    edited = statistics.median(r.wall for r in edits)
    same = statistics.median(r.wall for r in nothing)
    skipped = sum("nothing changed since the last build" in r.output for r in nothing)
    print(f"  edit one topic: {edited:.2f} s (median of {', '.join(f'{r.wall:.2f}' for r in edits)}); "
          f"printed {printed(edits[-1].output)[0]} brochure(s); peak memory {edits[-1].rss_mb:.0f} MB")
    print(f"  nothing changed: {same:.2f} s (median of {', '.join(f'{r.wall:.2f}' for r in nothing)}); "
          f"{skipped} of {repeat} stopped before Sphinx; load average {os.getloadavg()[0]:.2f}")
    pages = sorted((root / "_build/html").glob("topic*.html"))
    before = {p: p.stat().st_mtime_ns for p in pages}
    renamed = root / f"docs/source/topic{n // 4:04d}.md"
    renamed.write_text(renamed.read_text().replace(
        f"title: Synthetic topic {n // 4}\n", f"title: Synthetic topic {n // 4}, renamed\n", 1))
    rename = measured(make, root)
    rewritten = sum(p.stat().st_mtime_ns != before[p] for p in pages)
    size = statistics.median(p.stat().st_size for p in pages) / 1024
    print(f"  rename one topic: {rename.wall:.2f} s; {rewritten} of {len(pages)} topic pages "
          f"written again (the pages whose sidebar lists it); a topic page {size:.0f} KB")
    clone = fresh_copy(root, tmp / f"elsewhere{n}" / "clone", build=True)
    other = clone / f"docs/source/topic{n // 3:04d}.md"
    other.write_text(other.read_text() + "\nAn edit in a pull request.\n")
    fresh = measured(make, clone)
    print(f"  fresh checkout elsewhere, build folder restored, one topic edited: "
          f"{fresh.wall:.2f} s = {fresh.wall / edited:.2f}x the edited-topic time; printed "
          f"{printed(fresh.output)[0]} brochure(s)")
    shutil.rmtree(clone.parent)
    if shards:
        reader = fresh_copy(root, tmp / f"read{n}")
        read = measured([BIN / "carepress", "build", "--read-only", "--brand", "brand0"], reader)
        runs = []
        for i in range(1, shards + 1):
            runner = fresh_copy(root, tmp / f"shard{n}-{i}")
            shutil.copytree(reader / "_build/doctrees", runner / "_build/doctrees")
            runs.append(measured([BIN / "carepress", "build", "--shard", f"{i}/{shards}",
                                  "--brand", "brand0"], runner))
            shutil.rmtree(runner)
        total = read.cpu + sum(r.cpu for r in runs)
        slowest = max(r.wall for r in runs)
        print(f"  {shards} shards from one read, one after another: the read {read.wall:.1f} s "
              f"(CPU {read.cpu:.1f} s); shards {', '.join(f'{r.wall:.1f}' for r in runs)} s "
              f"(printed {', '.join(str(printed(r.output)[0]) for r in runs)})")
        print(f"    CPU of the read and all shards: {total:.1f} s = {total / full.cpu:.2f}x one "
              f"full build; slowest shard {slowest:.1f} s = "
              f"{slowest / (full.wall / shards):.2f}x (full build / {shards})")
        shutil.rmtree(reader)
    shutil.rmtree(root)
    return full.wall


def median_of(fn, repeat: int) -> float:
    return statistics.median(fn() for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=None)
    parser.add_argument("--scale", type=int, default=0, help="also time this many topics")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; medians are printed")
    parser.add_argument("--no-peer", action="store_true", help="skip sphinx-simplepdf")
    parser.add_argument("--library", type=int, action="append", default=[],
                        help="a library of N topics through make (repeatable): full build, "
                             "edit, nothing changed, memory, fresh checkout")
    parser.add_argument("--shards", type=int, default=0,
                        help="also a CI matrix of this many shards from one read "
                             "(the first --library only)")
    parser.add_argument("--formats", default="handout",
                        help="the libraries' formats, with commas (the issue's table: "
                             "handout,large-print)")
    args = parser.parse_args()
    args.topics_given = args.topics is not None
    args.topics = args.topics or 50
    if args.library and not args.topics_given:
        with tempfile.TemporaryDirectory(prefix="carepress-bench-") as tmp:
            walls = {}
            for i, n in enumerate(args.library):
                walls[n] = library(Path(tmp), n, args.shards if i == 0 else 0, args.repeat,
                                   tuple(args.formats.split(",")))
            sizes = sorted(walls)
            for small, big in zip(sizes, sizes[1:]):
                print(f"full build, {big} / {small} topics: {walls[big] / walls[small]:.2f}x "
                      f"for {big / small:.0f}x the topics")
        return
    n = args.topics
    print(f"carepress build benchmark: {n} topics, 1 brand, handout; "
          f"{os.cpu_count()} cores, Python {sys.version.split()[0]}")

    with tempfile.TemporaryDirectory(prefix="carepress-bench-") as tmp:
        tmp = Path(tmp)
        root = make_project(tmp / "one", n, brands=1)

        def clean_build():
            shutil.rmtree(root / "_build", ignore_errors=True)
            return carepress_build(root)
        runs = sorted((clean_build() for _ in range(args.repeat)), key=lambda r: r[0])
        full, out = runs[len(runs) // 2]  # the median run, and its own PDF phase
        count, pages, pdf_phase, peak = printed(out)
        print(f"full build (site + {count} PDFs, {pages} pages): {full:.2f} s "
              f"(median of {args.repeat} clean builds: {', '.join(f'{r[0]:.2f}' for r in runs)})")
        print(f"  PDF phase: {pdf_phase:.2f} s = {pdf_phase / pages:.3f} s per page; "
              f"peak memory of a renderer {peak:.0f} MB")

        def edit_one():
            topic = root / f"docs/source/topic{n // 2:04d}.md"
            topic.write_text(topic.read_text() + "\nOne more line.\n")
            return carepress_build(root)[0]
        incremental = median_of(edit_one, args.repeat)
        nothing = median_of(lambda: carepress_build(root)[0], args.repeat)
        print(f"edit one topic, rebuild: {incremental:.2f} s (median of {args.repeat}) "
              f"= {incremental / full:.3f}x full")
        print(f"nothing changed, rebuild: {nothing:.2f} s (median of {args.repeat})")

        html = sorted(str(p) for p in (root / "_build/pdf/.print").rglob("*.html"))
        floors = [floor(html) for _ in range(args.repeat)]
        sequential = statistics.median(f[0] for f in floors)
        parallel = statistics.median(f[1] for f in floors)
        print(f"floor, plain WeasyPrint on the same {len(html)} print HTML files: "
              f"{sequential:.2f} s in one warm process ({sequential / pages:.3f} s/page), "
              f"{parallel:.2f} s with 2 workers ({parallel / pages:.3f} s/page); "
              f"medians of {args.repeat}")
        print(f"  PDF phase / two-worker floor = {pdf_phase / parallel:.2f}x")
        parallel_ua = statistics.median(floor(html, _render_ua)[1] for _ in range(args.repeat))
        print(f"floor with tagging (pdf_variant='pdf/ua-1', as carepress prints): {parallel_ua:.2f} s "
              f"with 2 workers; PDF phase / tagged two-worker floor = {pdf_phase / parallel_ua:.2f}x")

        three = make_project(tmp / "three", n, brands=3)
        _, out3 = carepress_build(three, "--pdf-only")
        count3, pages3, pdf_phase3, _ = printed(out3)
        print(f"3 brands: PDF phase {pdf_phase3:.2f} s for {count3} PDFs "
              f"= {pdf_phase3 / pdf_phase:.2f}x the one-brand PDF phase")

        if not args.no_peer:
            venv = Path(tempfile.gettempdir(), "carepress-bench-simplepdf")
            peers = [simplepdf(root, venv) for _ in range(args.repeat)]
            if None in peers:
                print("sphinx-simplepdf: skipped (it could not be installed or failed to build)")
            else:
                peer = statistics.median(peers)
                print(f"sphinx-simplepdf, one combined PDF of the same topics: {peer:.2f} s "
                      f"(median of {args.repeat}); carepress full build = {full / peer:.2f}x")

        if args.scale:
            big = make_project(tmp / "big", args.scale, brands=1)
            big_full, big_out = carepress_build(big)
            _, big_pages, big_pdf, big_peak = printed(big_out)
            print(f"{args.scale} topics: full build {big_full:.2f} s ({big_pages} pages, "
                  f"PDF phase {big_pdf:.2f} s, renderer peak {big_peak:.0f} MB) = "
                  f"{big_full / full:.2f}x the {n}-topic build for {args.scale / n:.0f}x the topics")


if __name__ == "__main__":
    main()
