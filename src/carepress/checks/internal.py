"""Internal links: every image and download a topic uses exists, even when Sphinx read
the topic in an earlier build. Cross-references and anchors are resolved by Sphinx
(nitpicky) while the check builder writes; every warning it gives is an error
(see builders/check.py)."""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes

from .model import Finding
from . import locate


def check(ctx, doc):
    env = ctx.app.env
    for image in doc.doctree.findall(nodes.image):
        uri = image.get("uri", "")
        if "://" in uri or uri.startswith("data:") or Path(env.srcdir, uri).is_file():
            continue
        yield Finding("internal-links", "error", doc.path,
                      locate.find_line(doc, Path(uri).name, locate.node_line(image)),
                      f"internal links: the image '{uri}' does not exist. Check the file name "
                      "and that the image is saved under docs/source/.", doc.docname)
    for ref in doc.doctree.findall(addnodes.download_reference):
        target = ref.get("reftarget", "")
        if "://" in target or Path(env.relfn2path(target, doc.docname)[1]).is_file():
            continue
        yield Finding("internal-links", "error", doc.path,
                      locate.find_line(doc, target, locate.node_line(ref)),
                      f"internal links: the download '{target}' does not exist. Check the "
                      "file name and that the file is saved beside the topic.", doc.docname)
