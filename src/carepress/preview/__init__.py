"""``carepress preview TOPIC`` (``make preview TOPIC=...``): a writer's live preview.

1. Builds the topic once (rebuild.py: the `carepress build` pipeline, restricted to the
   topic, one brand and the formats asked for, in ``_build/preview/``; the rest of the
   site once, the first time).
2. Serves it on 127.0.0.1 (server.py) with a preview page, ``/_preview/``: the topic's
   web page beside its printed pages as images, and the problems of the last save with
   their file and line.
3. Watches the topic, its images (the source folder's other files), the brand files,
   the layouts and conf.py (watch.py, with watchfiles, as sphinx-autobuild does), and
   rebuilds after each save; open pages update through server-sent events.

The rebuilds run in the main thread (Sphinx and the printer's fork server want it);
the web server runs in threads beside it.
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from .. import outputs


def run(topic: str, options, formats: list[str], host: str, port: int) -> int:
    from ..brochure.worker.render import warm_up
    from . import rebuild, server, watch

    source = Path(options.source)
    topic = Path(topic).stem if topic.endswith(".md") else topic
    topic_file = source / f"{topic}.md"
    if not topic_file.is_file():
        known = sorted(p.stem for p in source.glob("*.md") if p.stem != "index")
        print(f"carepress preview: there is no topic {topic_file}. Topics: "
              f"{', '.join(known) or 'none'}", file=sys.stderr)
        return 2
    root = Path.cwd().resolve()
    settings = rebuild.project_settings(Path(options.confdir))
    options.brand = options.brand or settings["brand"]
    preview = outputs.preview_dir(Path(options.build_dir))
    options.build_dir = str(preview)
    options.only = (str(topic_file),)  # the rest of the site is built once (rebuild.py)
    options.overrides = {**(options.overrides or {}),
                         "suppress_warnings": settings["suppress_warnings"]}
    warm_up()
    state = server.State(topic=topic, brand=options.brand or "", page=f"{topic}.html",
                         pages_version=0, seconds=0.0)
    pages_dir = outputs.preview_pages_dir(preview)
    web = server.start(outputs.site_dir(preview), pages_dir, state, host, port)
    address = f"http://{host}:{web.server_address[1]}/_preview/"
    print(f"carepress preview: {address}  (Ctrl-C to stop)", flush=True)
    rebuilder = rebuild.Rebuilder(options, topic, formats, root, lambda fmt, paths: state.add_pages(
        fmt, ["/_preview/pages/" + p.relative_to(pages_dir).as_posix() for p in paths]))

    def once() -> None:
        state.update(building=True)
        result = rebuilder()
        state.update(building=False, ok=result.status == 0, seconds=result.seconds,
                     problems=[{"where": p.where(), "level": p.level, "message": p.message}
                               for p in result.problems],
                     brand=rebuilder.brand or "",
                     site_version=state.values["site_version"] + (result.status == 0))
        print(f"carepress preview: {'rebuilt' if result.status == 0 else 'problems'} in "
              f"{result.seconds:.2f} s", flush=True)

    signal.signal(signal.SIGTERM, _interrupt)  # stop as on Ctrl-C: workers closed
    watcher = watch.Watcher(topic_file, source, settings["brands_dir"],
                            Path(options.confdir, "conf.py"))
    try:
        once()
        for _ in watcher:
            once()
    except KeyboardInterrupt:
        pass
    finally:
        watcher.close()
        web.shutdown()
        web.server_close()
        rebuilder.close()
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt
