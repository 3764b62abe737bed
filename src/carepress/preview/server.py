"""The preview's web server, on 127.0.0.1 only: the preview's site, the preview page
(``/_preview/``), the page images, the state of the last rebuild (``/_preview/state.json``)
and a server-sent-events stream (``/_preview/events``) that tells every open page when a
rebuild starts and ends.

Server-sent events, not sphinx-autobuild's livereload server: the rebuild runs in this
process (warm Sphinx imports, warm WeasyPrint workers) rather than as a new
``sphinx-build`` per save as sphinx-autobuild runs it, and one small stdlib endpoint
carries what the preview page needs (errors, page images) besides "reload". Site pages
get a few lines of script, added as they are served (never written to disk), that reload
them after a good rebuild.
"""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGE = Path(__file__).with_name("page.html")
RELOAD = b"""<script>(function () {
  var seen = null;
  new EventSource("/_preview/events").onmessage = function (e) {
    var s = JSON.parse(e.data);
    if (s.building || !s.ok) return;
    if (seen !== null && s.site_version !== seen) location.reload();
    seen = s.site_version;
  };
})();</script>"""
HEARTBEAT_SECONDS = 15


class State:
    """What the preview page shows; replaced whole, waited on by the event streams."""

    def __init__(self, **values):
        self.values = {"version": 0, "site_version": 0, "building": True, "ok": False,
                       "problems": [], "pages": {}, **values}
        self.changed = threading.Condition()

    def update(self, **values) -> None:
        with self.changed:
            self.values = {**self.values, **values, "version": self.values["version"] + 1}
            self.changed.notify_all()

    def add_pages(self, fmt: str, urls: list[str]) -> None:
        """A format's new page images (while the site may still be building)."""
        with self.changed:
            values = self.values
            self.values = {**values, "pages": {**values["pages"], fmt: urls},
                           "pages_version": values["pages_version"] + 1,
                           "version": values["version"] + 1}
            self.changed.notify_all()

    def wait_newer(self, version: int, timeout: float) -> dict:
        with self.changed:
            self.changed.wait_for(lambda: self.values["version"] != version, timeout)
            return self.values


class Handler(SimpleHTTPRequestHandler):
    state: State
    pages_dir: Path

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path in ("/_preview", "/_preview/"):
            return self._send(PAGE.read_bytes().replace(
                b"{{state}}", json.dumps(self.state.values).replace("<", "\\u003c").encode()),
                "text/html; charset=utf-8")
        if path == "/_preview/state.json":
            return self._send(json.dumps(self.state.values).encode(), "application/json")
        if path == "/_preview/events":
            return self._events()
        if path.startswith("/_preview/pages/"):
            file = Path(self.pages_dir, path[len("/_preview/pages/"):])
            if file.resolve().is_relative_to(self.pages_dir.resolve()) and file.is_file():
                return self._send(file.read_bytes(), "image/png")
            return self.send_error(404)
        if path.endswith(".html") or path.endswith("/"):
            return self._page_with_reload(path)
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _page_with_reload(self, path: str) -> None:
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            return self.send_error(404, "not built (the preview builds only its topic)")
        body = file.read_bytes()
        at = body.rfind(b"</body>")
        body = body[:at] + RELOAD + body[at:] if at >= 0 else body + RELOAD
        self._send(body, "text/html; charset=utf-8")

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = None
        try:
            while True:
                values = self.state.wait_newer(version, HEARTBEAT_SECONDS) \
                    if version is not None else self.state.values
                if values["version"] == version:
                    self.wfile.write(b": still here\n\n")  # keeps proxies from closing it
                else:
                    version = values["version"]
                    self.wfile.write(f"data: {json.dumps(values)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


def start(site: Path, pages_dir: Path, state: State, host: str, port: int) -> ThreadingHTTPServer:
    """Serve in a background thread; the server's ``server_address`` has the real port."""
    handler = type("PreviewHandler", (Handler,), {"state": state, "pages_dir": Path(pages_dir)})
    server = ThreadingHTTPServer((host, port), functools.partial(handler, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
