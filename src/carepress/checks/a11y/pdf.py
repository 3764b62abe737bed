"""A brochure read the way assistive technology reads it: its structure tree (pikepdf).

``check_pdf(path)`` returns one :class:`PdfCheck` per check, passed or not, so a report
can show each PDF's result in full; ``problems(findings)`` keeps the failures.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from ...brochure.worker.pdf_tags import reachable

PDFUA_NS = "http://www.aiim.org/pdfua/ns/id/"
DC_NS = "http://purl.org/dc/elements/1.1/"
FILE_NAME = re.compile(r"(^|/)[\w.-]+\.(svg|png|jpe?g|gif|webp)$", re.I)
PAINT = {"Tj", "TJ", "'", '"', "Do", "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "sh"}
LIST_KIDS = {"/LI", "/L", "/Caption"}
ITEM_KIDS = {"/Lbl", "/LBody"}


@dataclass(frozen=True)
class PdfCheck:
    check: str
    ok: bool
    detail: str


def problems(findings: list[PdfCheck]) -> list[PdfCheck]:
    return [f for f in findings if not f.ok]


# -- reading the PDF --------------------------------------------------------------
def _kids(elem) -> list:
    k = elem.get("/K")
    return list(k) if isinstance(k, Array) else ([] if k is None else [k])


def _walk(elem, depth=0):
    """Structure elements in reading order (depth first), with their depth."""
    for kid in _kids(elem):
        if isinstance(kid, Dictionary) and "/S" in kid and kid.get("/Type") != Name.OBJR:
            yield kid, depth
            yield from _walk(kid, depth + 1)


def _mcids(elem) -> list[tuple[int, int]]:
    """(page object number, MCID) of the marked content under ``elem``, in order."""
    out = []
    for kid in _kids(elem):
        if isinstance(kid, int):
            out.append((elem.Pg.objgen[0] if "/Pg" in elem else -1, kid))
        elif isinstance(kid, Dictionary) and kid.get("/Type") == Name.MCR:
            out.append((kid.Pg.objgen[0], int(kid.MCID)))
        elif isinstance(kid, Dictionary) and "/S" in kid:
            out.extend(_mcids(kid))
    return out


def _texts(path: Path) -> dict[tuple[int, int], str]:
    """The text of each marked-content sequence, keyed by (page object number, MCID)."""
    import pypdf

    reader = pypdf.PdfReader(path)
    texts: dict[tuple[int, int], str] = {}
    for page in reader.pages:
        number, stack = page.indirect_reference.idnum, []

        def before(op, args, cm, tm, stack=stack):
            if op == b"BDC":
                props = args[1] if len(args) > 1 else None
                stack.append(props.get("/MCID") if isinstance(props, dict) else None)
            elif op == b"BMC":
                stack.append(None)
            elif op == b"EMC" and stack:
                stack.pop()

        def text(t, cm, tm, font, size, number=number, stack=stack):
            mcid = next((m for m in reversed(stack) if m is not None), None)
            if mcid is not None:
                texts[(number, int(mcid))] = texts.get((number, int(mcid)), "") + t

        page.extract_text(visitor_operand_before=before, visitor_text=text)
    return texts


def _norm(text: str) -> str:
    return " ".join(text.replace("¶", "").split())


class _Headings(HTMLParser):
    """h1–h6 texts of the print HTML, in document order."""

    def __init__(self):
        super().__init__()
        self.headings: list[str] = []
        self._open = False

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._open = True
            self.headings.append("")

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._open = False

    def handle_data(self, data):
        if self._open:
            self.headings[-1] += data


# -- the checks ---------------------------------------------------------------------
def _metadata(pdf) -> list[PdfCheck]:
    root = pdf.Root
    out = []
    marked = bool(root.get("/MarkInfo", {}).get("/Marked", False))
    tree = "/StructTreeRoot" in root
    out.append(PdfCheck("tagged", marked and tree,
                       "MarkInfo /Marked true, structure tree present" if marked and tree
                       else f"MarkInfo /Marked is {marked}, structure tree "
                            f"{'present' if tree else 'missing'}"))
    xmp = ET.fromstring(root.Metadata.read_bytes()) if "/Metadata" in root else None
    part = title = None
    if xmp is not None:
        for node in xmp.iter():
            part = part or node.get(f"{{{PDFUA_NS}}}part")
            if node.tag == f"{{{PDFUA_NS}}}part":
                part = node.text
            if node.tag == f"{{{DC_NS}}}title":
                title = _norm("".join(node.itertext()))
    out.append(PdfCheck("PDF/UA identifier", part == "1",
                       f"XMP pdfuaid:part = {part}" if part else "no pdfuaid:part in the XMP metadata"))
    shows = bool(root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False))
    out.append(PdfCheck("title in title bar", shows and bool(title),
                       f'"{title}", DisplayDocTitle true' if shows and title
                       else f"DisplayDocTitle {shows}, dc:title {title!r}"))
    lang = str(root.get("/Lang", ""))
    ok = bool(re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", lang))
    out.append(PdfCheck("language", ok, f"/Lang {lang}" if ok else f"/Lang is {lang!r}"))
    return out


def _headings(elems, texts, html: Path | None, max_level: int = 3) -> list[PdfCheck]:
    found = [(int(str(e.S)[2]), e) for e, _ in elems if re.fullmatch(r"/H[1-6]", str(e.S))]
    levels = [lv for lv, _ in found]
    bad = []
    if not levels:
        bad.append("no headings are tagged")
    elif levels[0] != 1:
        bad.append(f"the first heading is H{levels[0]}, not H1")
    if levels.count(1) > 1:
        bad.append(f"{levels.count(1)} H1 headings")
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            bad.append(f"H{before} is followed by H{after}")
    if max(levels, default=1) > max_level:
        bad.append(f"H{max(levels)} is used; topics stop at H{max_level}")
    counts = ", ".join(f"H{lv} ×{levels.count(lv)}" for lv in sorted(set(levels)))
    out = [PdfCheck(f"headings H1–H{max_level} in order", not bad, "; ".join(bad) or counts)]

    # Reading order: the tree reads the headings as the page's HTML has them.
    read = [_norm("".join(texts.get(m, "") for m in _mcids(e))) for _, e in found]
    if html is not None and html.is_file():
        parser = _Headings()
        parser.feed(html.read_text(encoding="utf-8"))
        expected = [_norm(h) for h in parser.headings]
        ok = read == expected
        first = next((i for i, (a, b) in enumerate(zip(read, expected)) if a != b),
                     min(len(read), len(expected)))
        detail = (f"{len(read)} headings read in the order of the print HTML" if ok else
                  f"heading {first + 1} is read as {read[first:first + 1] or 'nothing'}, "
                  f"the print HTML has {expected[first:first + 1] or 'nothing'} there")
        out.append(PdfCheck("reading order", ok, detail))
    return out


def _pages_in_order(elems, pdf) -> PdfCheck:
    order = {p.objgen[0]: i for i, p in enumerate(pdf.pages)}
    seq = [order.get(e.Pg.objgen[0], -1) for e, _ in elems
           if "/Pg" in e and any(isinstance(k, int) for k in _kids(e))]
    back = next((i for i in range(1, len(seq)) if seq[i] < seq[i - 1]), None)
    return PdfCheck("reading order across pages", back is None,
                   f"the tree reads pages 1–{max(seq, default=0) + 1} in turn" if back is None
                   else f"the tree goes back from page {seq[back - 1] + 1} to page {seq[back] + 1}")


def _lists(elems) -> PdfCheck:
    lists = [e for e, _ in elems if e.S == Name.L]
    items = [e for e, _ in elems if e.S == Name.LI]
    bad = []
    for lst in lists:
        for kid in _kids(lst):
            if isinstance(kid, Dictionary) and str(kid.get("/S")) not in LIST_KIDS:
                bad.append(f"a list holds {kid.get('/S')}")
    for item in items:
        for kid in _kids(item):
            if isinstance(kid, Dictionary) and "/S" in kid and str(kid.S) not in ITEM_KIDS:
                bad.append(f"a list item holds {kid.S}, not Lbl/LBody")
    bodies = sum(1 for e, _ in elems if e.S == Name.LBody)
    return PdfCheck("lists tagged L/LI/Lbl/LBody", not bad,
                   "; ".join(sorted(set(bad))) if bad else
                   f"{len(lists)} lists, {len(items)} items, {bodies} bodies")


def _figures(elems, pdf) -> PdfCheck:
    figures = [e for e, _ in elems if e.S == Name.Figure]
    page_of = {p.objgen[0]: i + 1 for i, p in enumerate(pdf.pages)}
    bad = []
    for fig in figures:
        alt = _norm(str(fig.get("/Alt", "")))
        where = f"the figure on page {page_of.get(fig.Pg.objgen[0], '?')}" if "/Pg" in fig else "a figure"
        if not alt:
            bad.append(f"{where} has no alternate text: give the image alt text (:alt: in the topic)")
        elif FILE_NAME.search(alt):
            bad.append(f"{where} has the file name '{alt}' as its alternate text: "
                       "the image has no :alt: in the topic")
    return PdfCheck("figures have alternate text", not bad,
                   "; ".join(bad) or f"{len(figures)} figures, each with alternate text")


def _content(pdf, reachable) -> list[PdfCheck]:
    """Everything painted is either tagged content in the tree or an artifact."""
    tree = pdf.Root.StructTreeRoot.ParentTree.get("/Nums", Array())
    parents = {int(tree[i]): tree[i + 1] for i in range(0, len(tree), 2)}
    untagged, orphans, pagination = [], [], []
    for n, page in enumerate(pdf.pages, start=1):
        mapping = parents.get(int(page.obj.get("/StructParents", -1)), Array())
        stack, loose, lost, artifacts = [], 0, 0, 0
        for operands, op in pikepdf.parse_content_stream(page):
            op = str(op)
            if op in ("BDC", "BMC"):
                props = operands[1] if op == "BDC" and len(operands) > 1 else None
                mcid = int(props.get("/MCID", -1)) if isinstance(props, Dictionary) else -1
                artifact = operands[0] == Name.Artifact
                if artifact and isinstance(props, Dictionary) and props.get("/Type") == Name.Pagination:
                    artifacts += 1
                if mcid >= 0:
                    elem = mapping[mcid] if mcid < len(mapping) else None
                    if not isinstance(elem, Dictionary) or elem.objgen not in reachable:
                        lost += 1
                stack.append(artifact or mcid >= 0)
            elif op == "EMC" and stack:
                stack.pop()
            elif op in PAINT and not any(stack):
                loose += 1
        if loose:
            untagged.append(f"page {n}: {loose}")
        if lost:
            orphans.append(f"page {n}: {lost}")
        pagination.append(artifacts)
    return [
        PdfCheck("all content tagged or artifact", not untagged,
                "every text, image and drawing is tagged or an artifact" if not untagged
                else "painted outside any tag or artifact: " + ", ".join(untagged)),
        PdfCheck("header/footer as artifacts", not orphans,
                f"{sum(pagination)} pagination artifacts on {len(pagination)} pages, "
                "no text outside the tree" if not orphans else
                "text tagged but outside the structure tree (page margin boxes?): "
                + ", ".join(orphans)),
    ]


def _links(pdf, elems) -> PdfCheck:
    links = [e for e, _ in elems if e.S == Name.Link]
    tree = pdf.Root.StructTreeRoot.ParentTree.get("/Nums", Array())
    parents = {int(tree[i]): tree[i + 1] for i in range(0, len(tree), 2)}
    annots = [a for p in pdf.pages for a in p.obj.get("/Annots", Array())
              if a.get("/Subtype") == Name.Link]
    bad = [f"a link annotation to {a.get('/A', {}).get('/URI', '?')} is not tied to a Link tag"
           for a in annots
           if "/StructParent" not in a
           or not isinstance(parents.get(int(a.StructParent)), Dictionary)
           or parents[int(a.StructParent)].get("/S") != Name.Link]
    bare = [e for e in links if not any(isinstance(k, Dictionary) and k.get("/Type") == Name.OBJR
                                        for k in _kids(e))]
    if bare:
        bad.append(f"{len(bare)} Link tags have no link annotation")
    return PdfCheck("links have annotations", not bad,
                   "; ".join(bad) or f"{len(annots)} link annotations, each under a Link tag")


def check_pdf(path: Path, html: Path | None = None, max_level: int = 3) -> list[PdfCheck]:
    """Every check on one PDF. ``html``: its print HTML, for the reading-order check;
    ``max_level``: the deepest heading allowed (a packet's topics sit one level down)."""
    path = Path(path)
    with pikepdf.open(path) as pdf:
        findings = _metadata(pdf)
        if "/StructTreeRoot" not in pdf.Root:
            return findings + [PdfCheck("structure", False, "no structure tree: nothing to read")]
        elems = list(_walk(pdf.Root.StructTreeRoot))
        texts = _texts(path)
        findings += _headings(elems, texts, html, max_level)
        findings.append(_pages_in_order(elems, pdf))
        findings.append(_lists(elems))
        findings.append(_figures(elems, pdf))
        findings += _content(pdf, reachable(pdf.Root.StructTreeRoot))
        findings.append(_links(pdf, elems))
    return findings


def format_pdf(name: str, findings: list[PdfCheck]) -> str:
    """A Markdown section: the PDF's result, then one row per check."""
    failed = problems(findings)
    verdict = "passes" if not failed else f"{len(failed)} problem(s)"
    rows = [f"### {name}: {verdict}", "", "| check | result | details |", "| --- | --- | --- |"]
    for f in findings:
        detail = f.detail.replace("|", "\\|")
        rows.append(f"| {f.check} | {'pass' if f.ok else '**FAIL**'} | {detail} |")
    return "\n".join(rows) + "\n"
