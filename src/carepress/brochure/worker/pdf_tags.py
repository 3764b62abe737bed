"""Put right, after WeasyPrint renders, two gaps in its PDF/UA tagging (WeasyPrint 70,
``weasyprint/pdf/tags.py``) that no print HTML can avoid:

- Page margin boxes (the footer: clinic, phone, review dates, "Page N of M") are drawn
  as tagged text whose structure elements hang outside the structure tree (WeasyPrint
  notes that an artifact inside the tree is PDF 2.0 only). A screen reader meets text
  that is neither content nor artifact. Here it becomes a pagination artifact
  (``/Artifact <</Type /Pagination>> BDC``) and leaves the parent tree.
- A list item holding a paragraph (Sphinx writes ``<li><p>…</p></li>``) is tagged
  ``LI > Lbl, P``; PDF/UA wants ``LI > Lbl, LBody``. Its other children are wrapped in
  an ``LBody``.
- An element's ``lang`` reaches no structure element: only the document's ``/Lang`` is
  written. A bilingual handout lays its languages out as the columns of top-level
  tables (brochure/bilingual.py); each column's ``TD`` gets its language's ``/Lang``, so
  a screen reader switches voice.
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name


def reachable(root) -> set[tuple[int, int]]:
    """Every structure element reachable from the structure tree root."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(node)
        elif isinstance(node, Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            if node.get("/Type") in (None, Name.StructElem, Name.StructTreeRoot) and "/K" in node:
                stack.append(node.K)
    return seen


_MARKED = re.compile(rb"/\w+\s*<</MCID (\d+)>>\s*BDC")


def _parent_tree(pdf) -> dict[int, Array]:
    nums = pdf.Root.StructTreeRoot.ParentTree.get("/Nums", Array())
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def artifact_margin_boxes(pdf) -> int:
    """Re-mark content whose structure element is outside the tree; returns how many."""
    in_tree = reachable(pdf.Root.StructTreeRoot)
    tree = _parent_tree(pdf)
    fixed = 0
    for page in pdf.pages:
        mapping = tree.get(int(page.obj.get("/StructParents", -1)))
        if not isinstance(mapping, Array):
            continue
        orphans = {mcid for mcid, elem in enumerate(mapping)
                   if isinstance(elem, Dictionary) and elem.objgen not in in_tree}
        if not orphans:
            continue
        def artifact(match: re.Match) -> bytes:
            nonlocal fixed
            if int(match[1]) not in orphans:
                return match[0]
            fixed += 1
            return b"/Artifact <</Type /Pagination>> BDC"
        # WeasyPrint writes each tag as "/Span <</MCID 3>> BDC" and its text as hex
        # glyph strings, so a pattern finds them; parsing every operator took 4 times longer.
        content = page.obj.Contents.read_bytes()
        page.obj.Contents = pdf.make_stream(_MARKED.sub(artifact, content))
        for mcid in orphans:
            mapping[mcid] = pikepdf.Object.parse(b"null")
    return fixed


def wrap_list_bodies(pdf) -> int:
    """``LI > Lbl, P`` becomes ``LI > Lbl, LBody > P``; returns the items changed."""
    fixed = 0
    for obj in pdf.objects:
        if not isinstance(obj, Dictionary) or obj.get("/S") != Name.LI:
            continue
        kids = obj.get("/K")
        if not isinstance(kids, Array):
            continue
        is_label = [isinstance(k, Dictionary) and k.get("/S") in (Name.Lbl, Name.LBody)
                    for k in kids]
        labels = [k for k, label in zip(kids, is_label) if label]
        body = [k for k, label in zip(kids, is_label) if not label]
        if not body or any(isinstance(k, int) for k in body):
            continue  # nothing to wrap, or marked content straight in the LI: leave it
        lbody = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=obj,
                                             K=Array(body)))
        if "/Pg" in obj:
            lbody.Pg = obj.Pg
        for kid in body:
            if isinstance(kid, Dictionary) and kid.get("/Type") != Name.OBJR:
                kid.P = lbody
        obj.K = Array(labels + [lbody])
        fixed += 1
    return fixed


def tag_columns(pdf, langs: tuple[str, ...]) -> int:
    """``/Lang`` on the cells of every table that is not inside another table: the n-th
    cell of each row gets ``langs[n]``; returns the cells tagged."""
    if not langs:
        return 0
    tagged = 0

    def kids(node):
        k = node.get("/K")
        return [x for x in (k if isinstance(k, Array) else [k]) if isinstance(x, Dictionary)]

    def walk(node, in_table: bool):
        nonlocal tagged
        for kid in kids(node):
            kind = kid.get("/S")
            if kind == Name.Table and not in_table:
                for row in (r for part in [kid, *kids(kid)] for r in kids(part)
                            if r.get("/S") == Name.TR):
                    cells = [c for c in kids(row) if c.get("/S") in (Name.TD, Name.TH)]
                    for cell, lang in zip(cells, langs):
                        cell.Lang = pikepdf.String(lang)
                        tagged += 1
                walk(kid, True)
            else:
                walk(kid, in_table or kind == Name.Table)

    walk(pdf.Root.StructTreeRoot, False)
    return tagged


def fix_tags(path: Path, column_langs: tuple[str, ...] = ()) -> None:
    """Apply the fixes to a PDF written by WeasyPrint, in place."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if "/StructTreeRoot" not in pdf.Root:
            return
        changed = artifact_margin_boxes(pdf) + wrap_list_bodies(pdf) + tag_columns(
            pdf, column_langs)
        if changed:
            # deterministic_id: the same input gives the same bytes (no time in the /ID)
            pdf.save(path, deterministic_id=True,
                     object_stream_mode=pikepdf.ObjectStreamMode.generate)
