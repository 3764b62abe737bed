#!/usr/bin/env python3
"""How fast carepress builds, measured against WeasyPrint's floor and a peer tool.

Run by hand, never as a pass/fail test:

    .venv/bin/python benchmarks/build.py [--topics 50] [--scale 500] [--no-peer]

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


def make_project(root: Path, topics: int, brands: int) -> Path:
    src = root / "docs/source"
    (src / "images").mkdir(parents=True)
    shutil.copy(REPO / "docs/source/images/microneedling-skin.svg", src / "images/picture.svg")
    names = [f"topic{i:04d}" for i in range(topics)]
    for i, name in enumerate(names):
        (src / f"{name}.md").write_text(topic_text(i), encoding="utf-8")
    toc = "\n".join(names)
    (src / "index.md").write_text(f"# Topics\n\n```{{toctree}}\n{toc}\n```\n", encoding="utf-8")
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
    conf = re.sub(r"carepress_formats = .*", 'carepress_formats = ["handout"]', conf)
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


def median_of(fn, repeat: int) -> float:
    return statistics.median(fn() for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=50)
    parser.add_argument("--scale", type=int, default=0, help="also time this many topics")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; medians are printed")
    parser.add_argument("--no-peer", action="store_true", help="skip sphinx-simplepdf")
    args = parser.parse_args()
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
