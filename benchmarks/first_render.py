#!/usr/bin/env python3
"""The first brochure a fresh printing worker renders: with the fork server warmed up
(brochure/worker/warm.py) and without. An edit prints one brochure, in a new worker, so
this is what an edit waits for once its print HTML is written.

    .venv/bin/python benchmarks/first_render.py [--rounds 8]

Each round starts two fresh processes, one per way, in turn (the machine's speed drifts),
each of which starts a pool of one worker as a build does, waits until the fork server
is ready, and times one job from submit to result. It prints the median of each way and
their ratio. The brochure is the project's own first topic's handout, built first if
``_build`` has none.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRINT_HTML = REPO / "_build/pdf/.print/lakeside/microneedling-handout.html"


def one(warm: bool) -> float:
    """In a process of its own: seconds from submit to result of the first job."""
    from carepress.brochure.worker import render
    if not warm:
        original = render._context

        def cold():
            context = original()
            context.set_forkserver_preload([m for m in render.PRELOAD
                                            if m != "carepress.brochure.worker.warm"])
            return context
        render._context = cold
    render.warm_up()
    time.sleep(3)  # the fork server has loaded WeasyPrint (and warmed up) by now
    scratch = Path("/tmp/carepress-first-render")
    job = render.Job("microneedling", "lakeside", "handout", html=PRINT_HTML,
                     pdf=scratch / "out.pdf", scratch=scratch, roots=(Path("/"),))
    pool = render.Workers(1)
    try:
        start = time.perf_counter()
        result = pool.result(job, pool.submit(job))
        seconds = time.perf_counter() - start
    finally:
        pool.close()
    if result.error:
        sys.exit(f"the render failed: {result.error}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--one", choices=("warm", "cold"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(f"{one(args.one == 'warm'):.4f}")
        return
    if not PRINT_HTML.is_file():
        subprocess.run(["make", "BRAND=lakeside"], cwd=REPO, check=True,
                       stdout=subprocess.DEVNULL)
    times: dict[str, list[float]] = {"warm": [], "cold": []}
    for _ in range(args.rounds):
        for way in times:
            out = subprocess.run([sys.executable, __file__, "--one", way], check=True,
                                 capture_output=True, text=True).stdout
            times[way].append(float(out.split()[-1]))
    warm, cold = (statistics.median(times[w]) for w in ("warm", "cold"))
    print(f"first brochure in a fresh worker, {args.rounds} rounds, in turn:")
    for way, label in (("cold", "fork server not warmed"), ("warm", "fork server warmed")):
        print(f"  {label:24} median {statistics.median(times[way]):.3f} s "
              f"({', '.join(f'{t:.2f}' for t in times[way])})")
    print(f"  warmed / not: {warm / cold:.2f}")


if __name__ == "__main__":
    main()
