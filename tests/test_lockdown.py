"""A hostile topic, built the way `make` builds it, reaches nothing outside the project.

Every Python process of the build (Sphinx and its PDF workers) runs with an audit
hook that logs each file it opens and each network connection it makes, so the
tests check what the build *did*, not only what it printed.
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import os
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass

import pikepdf
import pytest

from helpers import FRONT, Project, Run, basic_project, line_of, pdf_text

AUDIT_HOOK = '''
import os, sys
_log, _secret = os.environ["CP_AUDIT_LOG"], os.environ["CP_SECRET_DIR"]
def _hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes)) and _secret in os.fsdecode(args[0]):
        with open(_log, "a") as f:
            f.write(f"open {os.fsdecode(args[0])}\\n")
    elif event == "socket.connect" and isinstance(args[1], tuple):
        with open(_log, "a") as f:
            f.write(f"connect {args[1]}\\n")
sys.addaudithook(_hook)
'''


class Recorder(http.server.BaseHTTPRequestHandler):
    """Notes every request in its server's log and serves a small PNG."""

    def do_GET(self):
        self.server.requests.append(self.path)
        if self.path.startswith("/allowed/redirect"):
            self.send_response(302)
            self.send_header("Location", "/secret/stolen.png")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(_png())

    def log_message(self, *args):
        pass


@dataclass
class Web:
    url: str  # http://127.0.0.1:<port>
    requests: list[str]  # the paths asked for, in order


@contextmanager
def web_server():
    """A web server on 127.0.0.1, on a free port, that notes every request."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    httpd.requests = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Web(f"http://127.0.0.1:{httpd.server_address[1]}", httpd.requests)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def server():
    with web_server() as web:
        yield web


@functools.cache
def _png() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@dataclass
class Hostile:
    project: Project
    body: str  # hostile.md
    secret: object  # the folder of secrets outside the project
    web: Web
    pdf: Run  # `carepress build --pdf-only`
    site: Run  # `sphinx-build -b html`
    touched: dict  # "pdf", "site" -> what the audit hook logged (opened secrets, connections)

    def rel(self) -> str:
        return os.path.relpath(self.secret, self.project.path)


def hostile_body(rel: str, secret, server: str) -> str:
    return FRONT.format(title="Hostile") + f"""Text <b onclick="steal()">bold</b> here.

<script>alert("pwned"); fetch("{server}/script")</script>

<style>@import url("{server}/style.css");</style>

<iframe src="{server}/frame"></iframe>

<link rel="stylesheet" href="{server}/link.css">

![remote]({server}/remote.png)

![symlink](images/innocent.svg)

![absolute](file://{secret}/picture.svg)

![outside]({rel}/picture.svg)

![proc](/../../../../../../proc/self/environ)

![page](data:text/html;base64,PGgxPmhpPC9oMT4=)

```{{include}} {rel}/passwords.txt
```

```{{literalinclude}} {secret}/passwords.txt
```

```{{csv-table}} Table
:file: {rel}/passwords.txt
```

{{download}}`the file <{rel}/passwords.txt>`

```{{button-link}} javascript:alert(1)
Click me
```
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A hostile topic beside the basic one, a secret outside the project, and a web
    server; the brochures and then the site built with every Python process of the build
    logging each file it opens in the secret folder and each connection it makes."""
    tmp = tmp_path_factory.mktemp("hostile")
    project = basic_project(tmp / "proj")
    secret = tmp / "secret"
    secret.mkdir()
    (secret / "passwords.txt").write_text("root:x:0:0:TOP-SECRET\n")
    (secret / "picture.svg").write_text((project.path / "images/dot.svg").read_text())
    (project.path / "images/innocent.svg").symlink_to(secret / "picture.svg")
    hook_dir = tmp / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(AUDIT_HOOK)

    def audited(name: str) -> tuple[dict, object]:
        log = tmp / f"audit-{name}.log"
        return {**os.environ, "PYTHONPATH": str(hook_dir), "CP_AUDIT_LOG": str(log),
                "CP_SECRET_DIR": str(secret)}, log

    with web_server() as web:
        body = hostile_body(os.path.relpath(secret, project.path), secret, web.url)
        project.add_topic("hostile", body)
        (pdf_env, pdf_log), (site_env, site_log) = audited("pdf"), audited("site")
        pdf = project.carepress(env=pdf_env)
        site = project.build("html", env=site_env)
    touched = {name: log.read_text() if log.exists() else ""
               for name, log in (("pdf", pdf_log), ("site", site_log))}
    return Hostile(project, body, secret, web, pdf, site, touched)


def test_hostile_topic_reaches_nothing_outside(hostile):
    project, body, server, rel = hostile.project, hostile.body, hostile.web.url, hostile.rel()
    run = hostile.pdf
    assert run.returncode == 1, run.output
    assert "Traceback" not in run.output
    out = run.output
    for needle, message in [
        ("<b onclick", "ERROR: raw HTML is turned off"),
        ("<script>", "ERROR: raw HTML is turned off"),
        ("<style>", "ERROR: raw HTML is turned off"),
        ("<iframe", "ERROR: raw HTML is turned off"),
        ("<link", "ERROR: raw HTML is turned off"),
        ("![remote]", f"ERROR: image '{server}/remote.png' is on the web"),
        ("![symlink]", "ERROR: image 'images/innocent.svg' is outside the project"),
        ("![outside]", f"ERROR: image '{rel}/picture.svg' is outside the project"),
        ("![proc]", "ERROR: image '/../../../../../../proc/self/environ' is outside the "
                    "project (/proc/"),
        ("{include}", "ERROR: the {include} directive is turned off"),
        ("{literalinclude}", "ERROR: the {literalinclude} directive is turned off"),
        ("{csv-table}", 'WARNING: File and URL access deactivated; ignoring "csv-table"'),
        ("{download}", f"ERROR: download '{rel}/passwords.txt' is outside the project"),
        ("{button-link}", "ERROR: link 'javascript:alert(1)' uses 'javascript:'"),
    ]:
        assert f"hostile.md:{line_of(body, needle)}: " + message in out, (needle, out)
    # MyST itself never turns file: or data:text/html addresses into images.

    # Nothing was opened in the secret folder, and no connection was attempted.
    touched = hostile.touched["pdf"]
    assert "open" not in touched and "connect" not in touched, touched
    assert hostile.web.requests == []
    # The good topic printed; the hostile one did not.
    assert project.pdf().exists()
    assert not project.pdf("hostile").exists()
    assert not any("TOP-SECRET" in p.read_text(errors="ignore")
                   for p in project.path.rglob("*") if p.is_file() and p.stat().st_size < 10**6)


def test_nothing_hostile_reaches_the_site(hostile):
    site = hostile.project.path / "_build/html"
    assert hostile.site.returncode == 1, hostile.site.output
    page = (site / "hostile.html").read_text()
    assert "onclick" not in page and 'alert("pwned")' not in page
    assert "javascript:" not in page
    assert not list(site.rglob("passwords.txt"))
    assert not list(site.rglob("picture.svg"))
    assert not list(site.rglob("innocent.svg"))
    touched = hostile.touched["site"]
    assert "open" not in touched and "connect" not in touched, touched
    assert hostile.web.requests == []


# -- refused, then fixed: one project, built before and after the fixes ---------------------
@dataclass
class Fixed:
    project: Project
    web: Web
    bodies: dict  # topic -> its text before the fixes
    refused: Run  # `carepress build --pdf-only` before the fixes
    requests: list  # what the web server was asked for during it
    printed: Run  # the same after the fixes
    site: Run  # `sphinx-build -b html` after the fixes


@pytest.fixture(scope="module")
def refused_then_fixed(tmp_path_factory):
    """Raw HTML allowed, a web address allowed; four topics with something that must be
    refused (an unsafe SVG, a data: image too large, a web image that redirects, an
    event handler in raw HTML) beside what may print. Built, fixed, built again."""
    project = basic_project(tmp_path_factory.mktemp("fixed") / "proj")
    project.write("images/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                  'onload="alert(1)"><rect width="10" height="10"/></svg>')
    project.write("images/leaky.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                  'xmlns:xlink="http://www.w3.org/1999/xlink"><image '
                  'xlink:href="file:///etc/passwd" width="9" height="9"/></svg>')
    small = base64.b64encode(_png()).decode()
    big = base64.b64encode(os.urandom(300 * 1024)).decode()
    with web_server() as web:
        server = web.url
        project.write("conf.py", (project.path / "conf.py").read_text()
                      + f"carepress_allowed_urls = ['{server}/allowed/']\n"
                      + "carepress_raw_html = True\n")
        bodies = {
            "pictures": FRONT.format(title="Pictures")
            + "![evil](images/evil.svg)\n\n![leaky](images/leaky.svg)\n",
            "inline": FRONT.format(title="Inline pictures")
            + f"![a red box](data:image/png;base64,{small})\n\n"
              f"![noise](data:image/png;base64,{big})\n",
            "web": FRONT.format(title="Web images") + f"""An allowed picture:

![A red box]({server}/allowed/box.png)

A picture whose address redirects elsewhere:

![Another box]({server}/allowed/redirect.png)
""",
            "html": FRONT.format(title="Some HTML")
            + "Keep <mark>this marked</mark> and <sup>this</sup>.\n\n"
              '<div class="note">A plain <strong>block</strong>.</div>\n\n'
              '<a href="https://example.org/" onclick="steal()">a link</a>\n',
        }
        for name, body in bodies.items():
            project.add_topic(name, body)
        refused = project.carepress()
        requests = list(web.requests)

        project.edit("pictures.md", "images/evil.svg", "images/dot.svg")
        project.edit("pictures.md", "images/leaky.svg", "images/dot.svg")
        project.edit("inline.md", f"![noise](data:image/png;base64,{big})", "")
        project.edit("web.md", f"![Another box]({server}/allowed/redirect.png)", "")
        project.edit("html.md", ' onclick="steal()"', "")
        printed = project.carepress()
        site = project.build("html")
    return Fixed(project, web, bodies, refused, requests, printed, site)


def test_allowed_web_image_prints_but_a_redirect_is_refused(refused_then_fixed):
    fixed, server = refused_then_fixed, refused_then_fixed.web.url
    run = fixed.refused
    assert run.returncode == 1, run.output
    line = line_of(fixed.bodies["web"], "redirect.png")
    assert (f"web.md:{line}: ERROR: could not print web (testclinic, handout): carepress "
            f"refused to load '{server}/allowed/redirect.png': it redirects to "
            "/secret/stolen.png; redirects are not followed") in run.output
    assert "/secret/stolen.png" not in fixed.requests
    assert "/allowed/box.png" in fixed.requests

    # Without the redirecting picture the allowed one prints.
    run = fixed.printed
    assert run.returncode == 0, run.output
    with pikepdf.open(fixed.project.pdf("web")) as pdf:
        images = [k for page in pdf.pages for k in page.get_images()]
    assert images, "the allowed web image is in the PDF"
    assert "/secret/stolen.png" not in fixed.web.requests


def test_unsafe_svg_is_refused_with_its_line(refused_then_fixed):
    run = refused_then_fixed.refused
    assert run.returncode == 1
    assert ("pictures.md:13: ERROR: image 'images/evil.svg' is unsafe: it has an event "
            "handler (onload) on <svg>.") in run.output
    assert ("pictures.md:15: ERROR: image 'images/leaky.svg' is unsafe: <image> points at "
            "'file:///etc/passwd', outside the image.") in run.output


def test_small_data_image_prints_large_one_is_refused(refused_then_fixed):
    fixed = refused_then_fixed
    assert fixed.refused.returncode == 1
    assert ("inline.md:15: ERROR: image 'data:…' cannot be used: it is 300 KB, more than the "
            "256 KB allowed") in fixed.refused.output
    assert fixed.printed.returncode == 0, fixed.printed.output
    with pikepdf.open(fixed.project.pdf("inline")) as pdf:
        assert [k for page in pdf.pages for k in page.get_images()]


def test_raw_html_safe_subset_when_allowed(refused_then_fixed):
    fixed = refused_then_fixed
    assert fixed.refused.returncode == 1
    assert (f"html.md:{line_of(fixed.bodies['html'], 'onclick')}: ERROR: raw HTML here uses an "
            "event handler on <a>, which is never allowed") in fixed.refused.output
    assert fixed.printed.returncode == 0, fixed.printed.output
    text = re.sub(r"\s+", " ", pdf_text(fixed.project.pdf("html")))
    assert "Keep this marked and this." in text and "A plain block." in text
    page = (fixed.project.path / "_build/html/html.html").read_text()
    assert "<mark>this marked</mark>" in page and "onclick" not in page


def test_brand_logo_svg_with_script_stops_the_build(project):
    project.edit("_brands/testclinic/logo.svg", "<svg ", '<svg onload="alert(1)" ')
    run = project.carepress()
    assert run.returncode == 2
    assert "_brands/testclinic/brand.toml: key 'logo': logo.svg is unsafe: it has an event " \
        "handler (onload) on <svg>" in run.output
    assert "Traceback" not in run.output


def test_hostile_print_html_is_contained_by_the_fetcher(tmp_path, server):
    """Defence in depth: even HTML that slipped past the topic checks loads nothing."""
    from carepress.brochure.worker import render
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    root = tmp_path / "printed"
    root.mkdir()
    (root / "link.svg").symlink_to(secret)
    html = root / "page.html"
    html.write_text(f"""<html><head>
<link rel="stylesheet" href="{server.url}/style.css">
<link rel="attachment" href="file://{secret}">
<style>@import url("file:///etc/passwd"); body {{ background: url("/dev/urandom"); }}</style>
</head><body><p>Hello</p>
<img src="file:///proc/self/environ"><img src="link.svg">
<img src="data:text/html,hi">
<a rel="attachment" href="{secret}">attach</a>
</body></html>""")
    job = render.Job("page", "b", "handout", html, tmp_path / "out/b/page.pdf",
                     scratch=tmp_path / "out/.scratch", roots=(root,))
    result = next(render.render_all([job], 1))
    refused = dict(result.refused)
    for address in (f"{server.url}/style.css", "file:///etc/passwd", "file:///dev/urandom",
                    "file:///proc/self/environ", f"file://{root}/link.svg"):
        assert address in refused, (address, refused)
    assert not job.pdf.exists()
    assert server.requests == []


def test_brochure_carries_no_attachment(tmp_path):
    """Even a file inside the project is never attached to the PDF."""
    from carepress.brochure.worker import render
    root = tmp_path / "printed"
    root.mkdir()
    (root / "notes.txt").write_text("inside the project")
    html = root / "page.html"
    html.write_text('<html><head><link rel="attachment" href="notes.txt"></head><body>'
                    '<p>Hello <a rel="attachment" href="notes.txt">notes</a></p></body></html>')
    job = render.Job("page", "b", "handout", html, tmp_path / "out/b/page.pdf",
                     scratch=tmp_path / "out/.scratch", roots=(root,))
    result = next(render.render_all([job], 1))
    assert result.error == "", result.error
    with pikepdf.open(job.pdf) as pdf:
        assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {})
        annots = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert all(a.get("/Subtype") != "/FileAttachment" for a in annots)
