"""A hostile topic, built the way `make` builds it, reaches nothing outside the project.

Every Python process of the build (Sphinx and its PDF workers) runs with an audit
hook that logs each file it opens and each network connection it makes, so the
tests check what the build *did*, not only what it printed.
"""

from __future__ import annotations

import http.server
import os
import re
import threading

import pikepdf
import pytest

from helpers import FRONT, line_of, pdf_text

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
    """A web server on 127.0.0.1 that notes every request and serves a small PNG."""
    requests: list[str] = []
    png = b""

    def do_GET(self):
        Recorder.requests.append(self.path)
        if self.path.startswith("/allowed/redirect"):
            self.send_response(302)
            self.send_header("Location", "/secret/stolen.png")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(Recorder.png)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(project):
    Recorder.requests = []
    Recorder.png = (project.path / "images/dot.png").read_bytes() \
        if (project.path / "images/dot.png").exists() else _png()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _png() -> bytes:
    import io

    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def audited(project, tmp_path):
    """A secret outside the project, and an environment that logs what the build touches."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwords.txt").write_text("root:x:0:0:TOP-SECRET\n")
    (secret / "picture.svg").write_text((project.path / "images/dot.svg").read_text())
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(AUDIT_HOOK)
    log = tmp_path / "audit.log"
    env = {**os.environ, "PYTHONPATH": str(hook_dir), "CP_AUDIT_LOG": str(log),
           "CP_SECRET_DIR": str(secret)}
    return secret, env, log


def test_hostile_topic_reaches_nothing_outside(project, audited, server):
    secret, env, log = audited
    rel = os.path.relpath(secret, project.path)
    (project.path / "images/innocent.svg").symlink_to(secret / "picture.svg")
    body = FRONT.format(title="Hostile") + f"""Text <b onclick="steal()">bold</b> here.

<script>fetch("{server}/script")</script>

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
    project.write("hostile.md", body)
    project.edit("index.md", "basic\n", "basic\nhostile\n")

    run = project.carepress(env={**env})
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
    touched = log.read_text() if log.exists() else ""
    assert "open" not in touched and "connect" not in touched, touched
    assert Recorder.requests == []
    # The good topic printed; the hostile one did not.
    assert project.pdf().exists()
    assert not project.pdf("hostile").exists()
    assert not any("TOP-SECRET" in p.read_text(errors="ignore")
                   for p in project.path.rglob("*") if p.is_file() and p.stat().st_size < 10**6)


def test_nothing_hostile_reaches_the_site(project, audited, server):
    secret, _, _ = audited
    rel = os.path.relpath(secret, project.path)
    body = FRONT.format(title="Hostile") + f"""Text <b onclick="steal()">bold</b> here.

<script>alert("pwned")</script>

![outside]({rel}/picture.svg)

{{download}}`the file <{rel}/passwords.txt>`

```{{button-link}} javascript:alert(1)
Click me
```
"""
    project.write("hostile.md", body)
    project.edit("index.md", "basic\n", "basic\nhostile\n")
    run = project.build("html")
    assert run.returncode == 1, run.output
    page = (project.path / "_build/html/hostile.html").read_text()
    assert "onclick" not in page and 'alert("pwned")' not in page
    assert "javascript:" not in page
    assert not list((project.path / "_build/html").rglob("passwords.txt"))
    assert not list((project.path / "_build/html").rglob("picture.svg"))
    assert Recorder.requests == []


def test_allowed_web_image_prints_but_a_redirect_is_refused(project, server):
    project.write("conf.py", (project.path / "conf.py").read_text()
                  + f"carepress_allowed_urls = ['{server}/allowed/']\n")
    body = FRONT.format(title="Web images") + f"""An allowed picture:

![A red box]({server}/allowed/box.png)

A picture whose address redirects elsewhere:

![Another box]({server}/allowed/redirect.png)
"""
    project.write("web.md", body)
    project.edit("index.md", "basic\n", "basic\nweb\n")
    run = project.carepress()
    assert run.returncode == 1, run.output
    line = line_of(body, "redirect.png")
    assert (f"web.md:{line}: ERROR: could not print web (testclinic, handout): carepress "
            f"refused to load '{server}/allowed/redirect.png': it redirects to "
            "/secret/stolen.png; redirects are not followed") in run.output
    assert "/secret/stolen.png" not in Recorder.requests
    assert "/allowed/box.png" in Recorder.requests

    # Without the redirecting picture the allowed one prints.
    project.edit("web.md", f"![Another box]({server}/allowed/redirect.png)", "")
    run = project.carepress()
    assert run.returncode == 0, run.output
    with pikepdf.open(project.pdf("web")) as pdf:
        images = [k for page in pdf.pages for k in page.get_images()]
    assert images, "the allowed web image is in the PDF"


def test_unsafe_svg_is_refused_with_its_line(project):
    project.write("images/evil.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                  'onload="alert(1)"><rect width="10" height="10"/></svg>')
    project.write("images/leaky.svg", '<svg xmlns="http://www.w3.org/2000/svg" '
                  'xmlns:xlink="http://www.w3.org/1999/xlink"><image '
                  'xlink:href="file:///etc/passwd" width="9" height="9"/></svg>')
    body = FRONT.format(title="Pictures") + "![evil](images/evil.svg)\n\n![leaky](images/leaky.svg)\n"
    project.write("pictures.md", body)
    project.edit("index.md", "basic\n", "basic\npictures\n")
    run = project.carepress()
    assert run.returncode == 1
    assert ("pictures.md:13: ERROR: image 'images/evil.svg' is unsafe: it has an event "
            "handler (onload) on <svg>.") in run.output
    assert ("pictures.md:15: ERROR: image 'images/leaky.svg' is unsafe: <image> points at "
            "'file:///etc/passwd', outside the image.") in run.output


def test_small_data_image_prints_large_one_is_refused(project):
    import base64
    small = base64.b64encode(_png()).decode()
    big = base64.b64encode(os.urandom(300 * 1024)).decode()
    body = FRONT.format(title="Inline pictures") + (
        f"![a red box](data:image/png;base64,{small})\n\n![noise](data:image/png;base64,{big})\n")
    project.write("inline.md", body)
    project.edit("index.md", "basic\n", "basic\ninline\n")
    run = project.carepress()
    assert run.returncode == 1
    assert ("inline.md:15: ERROR: image 'data:…' cannot be used: it is 300 KB, more than the "
            "256 KB allowed") in run.output
    project.edit("inline.md", f"![noise](data:image/png;base64,{big})", "")
    run = project.carepress()
    assert run.returncode == 0, run.output
    with pikepdf.open(project.pdf("inline")) as pdf:
        assert [k for page in pdf.pages for k in page.get_images()]


def test_raw_html_safe_subset_when_allowed(project):
    project.write("conf.py", (project.path / "conf.py").read_text()
                  + "carepress_raw_html = True\n")
    body = FRONT.format(title="Some HTML") + (
        "Keep <mark>this marked</mark> and <sup>this</sup>.\n\n"
        '<div class="note">A plain <strong>block</strong>.</div>\n\n'
        '<a href="https://example.org/" onclick="steal()">a link</a>\n')
    project.write("html.md", body)
    project.edit("index.md", "basic\n", "basic\nhtml\n")
    run = project.carepress()
    assert run.returncode == 1
    assert (f"html.md:{line_of(body, 'onclick')}: ERROR: raw HTML here uses an event handler on <a>, which is never "
            "allowed") in run.output
    project.edit("html.md", ' onclick="steal()"', "")
    run = project.carepress()
    assert run.returncode == 0, run.output
    text = re.sub(r"\s+", " ", pdf_text(project.pdf("html")))
    assert "Keep this marked and this." in text and "A plain block." in text
    run = project.build("html")
    page = (project.path / "_build/html/html.html").read_text()
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
<link rel="stylesheet" href="{server}/style.css">
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
    for address in (f"{server}/style.css", "file:///etc/passwd", "file:///dev/urandom",
                    "file:///proc/self/environ", f"file://{root}/link.svg"):
        assert address in refused, (address, refused)
    assert not job.pdf.exists()
    assert Recorder.requests == []


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
