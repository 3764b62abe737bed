"""What `carepress diff` writes: ``_build/diff/index.html`` (one page a reviewer opens:
before, after and marked images of every changed page, grouped by topic, brand, language
and format), ``_build/diff/report.md`` (the short summary for the pull request) and the
images under ``_build/diff/images/``."""

from __future__ import annotations

import html
import shutil
from itertools import groupby
from pathlib import Path

from .. import atomic, outputs
from . import page_diff
from .compare import BrochureChange
from .pages import save_png

STYLE = """
body { font: 16px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1a1a1a; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #ccc; }
.page { display: grid; grid-template-columns: repeat(3, 1fr); gap: .75rem; margin: 1rem 0 2rem; }
.page figure { margin: 0; } .page img { width: 100%; border: 1px solid #999; }
figcaption { font-weight: 600; } .kind { color: #b00020; font-weight: 700; }
.moved .kind { color: #555; } pre { background: #f4f4f4; padding: .5rem; overflow-x: auto; }
ins { background: #d4f7d4; text-decoration: none; } del { background: #fbd5d5; }
@media (max-width: 50rem) { .page { grid-template-columns: 1fr; } }
"""


def clear(out: Path) -> None:
    """Last run's report and images go; the base worktree (``.base``) stays."""
    shutil.rmtree(outputs.diff_images_dir(out.parent), ignore_errors=True)
    for name in ("index.html", "report.md"):
        Path(out, name).unlink(missing_ok=True)


def _image(images: Path, change: BrochureChange, number: int, which: str, image) -> str:
    b = change.brochure
    rel = Path(*Path(b.path).parent.parts, f"{Path(b.path).stem}-p{number}-{which}.png")
    save_png(image, images / rel)
    return f"{images.name}/{rel.as_posix()}"


def write(out: Path, changes: list[BrochureChange], compared: int, base_label: str,
          notes: list[str]) -> str:
    """Write index.html, report.md and the images; returns the report's Markdown."""
    out.mkdir(parents=True, exist_ok=True)
    images = outputs.diff_images_dir(out.parent)
    report = markdown(changes, compared, base_label, notes)
    atomic.write_text(out / "report.md", report)
    body = ["<h1>What this change does to the printed brochures</h1>",
            f"<p>{html.escape(_headline(changes, compared, base_label))}</p>"]
    body += [f"<p>{html.escape(n)}</p>" for n in notes]
    if changes:
        body.append("<ul>" + "".join(f'<li><a href="#{_anchor(c)}">{html.escape(c.summary())}'
                                     "</a></li>" for c in changes) + "</ul>")
    for topic, group in groupby(changes, key=lambda c: c.brochure.topic):
        body.append(f"<h2>{html.escape(topic)}</h2>")
        for change in group:
            body += _brochure_html(images, change)
    page = ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Brochure diff</title><style>{STYLE}</style></head><body><main>"
            + "\n".join(body) + "</main></body></html>\n")
    atomic.write_text(out / "index.html", page)
    return report


def _anchor(change: BrochureChange) -> str:
    return change.brochure.path.replace("/", "-").removesuffix(".pdf")


def _brochure_html(images: Path, change: BrochureChange) -> list[str]:
    b = change.brochure
    where = " · ".join(x for x in (f"brand {b.brand}", b.language and f"language {b.language}",
                                   f"format {b.fmt}") if x)
    out = [f'<h3 id="{_anchor(change)}">{html.escape(b.topic)}: {html.escape(where)}</h3>',
           f"<p>{html.escape(change.summary())} ({change.pages_before} page(s) before, "
           f"{change.pages_after} after)</p>"]
    for p in change.pages:
        figures = []
        if p.before is not None:
            figures.append(("before", _image(images, change, p.number, "before", p.before.image)))
        if p.after is not None:
            figures.append(("after", _image(images, change, p.number, "after", p.after.image)))
        if p.before is not None and p.after is not None:
            diff = page_diff.marked(p.after.image, p.mask, p.boxes)
            figures.append(("changes marked", _image(images, change, p.number, "diff", diff)))
        css = "page moved" if p.kind == "text moved" else "page"
        out.append(f'<h4>Page {p.number}: <span class="kind">{html.escape(p.kind)}</span></h4>')
        if p.edits:
            out.append("<p>" + "<br>".join(html.escape(e) for e in p.edits[:10]) + "</p>")
        out.append(f'<div class="{css}">' + "".join(
            f'<figure><figcaption>{label}</figcaption><a href="{src}"><img src="{src}" '
            f'alt="Page {p.number} of {html.escape(b.label())}, {label}"></a></figure>'
            for label, src in figures) + "</div>")
        if p.text_diff:
            lines = [f"<ins>{html.escape(line)}</ins>" if line.startswith("+") else
                     f"<del>{html.escape(line)}</del>" if line.startswith("-") else
                     html.escape(line) for line in p.text_diff]
            out.append("<details><summary>Text diff of the page</summary><pre>"
                       + "\n".join(lines) + "</pre></details>")
    return out


def _headline(changes, compared: int, base_label: str) -> str:
    if not changes:
        return (f"No brochure changed: all {compared} are byte-identical to those of "
                f"{base_label}.")
    return f"{len(changes)} of {compared} brochure(s) differ from those of {base_label}."


def markdown(changes: list[BrochureChange], compared: int, base_label: str,
             notes: list[str]) -> str:
    out = ["## Printed brochures", "", _headline(changes, compared, base_label), ""]
    out += [f"- {c.summary()}" for c in changes]
    edits = [(c, p) for c in changes for p in c.pages if p.edits]
    if edits:
        out += ["", "<details><summary>Words changed, by page</summary>", ""]
        for c, p in edits[:20]:
            out.append(f"- {c.brochure.label()}, page {p.number}: " + "; ".join(p.edits[:3]))
        out += ["", "</details>"]
    out += [""] + [f"{n}" for n in notes] + ([""] if notes else [])
    if changes:
        out.append("Open `index.html` of the diff (`_build/diff/`) to see each changed page "
                   "before and after, with the changes marked.")
    return "\n".join(out).rstrip() + "\n"
