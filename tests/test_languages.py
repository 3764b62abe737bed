"""Languages as a dimension: one `carepress build` of a project in English, Spanish and
Simplified Chinese (tests/roots/test-languages), read back as a reader and a screen reader
would meet it; then an English edit the translators have not caught up with."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pikepdf
import polib
import pytest

from helpers import REPO, ROOTS, pdf_text
from helpers import carepress_cli as _run


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("lang") / "proj"
    shutil.copytree(ROOTS / "test-languages", path)
    proc = _run(path, "build")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    (path.parent / "build.out").write_text(proc.stdout + proc.stderr)
    return path


def _lang(pdf: Path) -> str:
    with pikepdf.open(pdf) as doc:
        return str(doc.Root.Lang)


def test_each_language_says_what_it_adds_to_the_printing(built):
    out = (built.parent / "build.out").read_text()
    first = re.search(r"^printing (\d+) brochure\(s\) with \d+ worker\(s\)", out, re.M)
    more = [(int(n), int(total)) for n, total in
            re.findall(r"^printing (\d+) more brochure\(s\) \((\d+) in all\)", out, re.M)]
    assert first and len(more) == 2, out  # Spanish, then Chinese
    assert more[0][1] == int(first[1]) + more[0][0] and more[1][1] == more[0][1] + more[1][0]
    assert re.search(rf"brochures +{more[1][1]} printed", out), out


def test_default_language_keeps_its_paths(built):
    assert (built / "_build/pdf/testclinic/cut-handout.pdf").is_file()
    assert not (built / "_build/pdf/testclinic/cut-bilingual.pdf").exists()
    assert _lang(built / "_build/pdf/testclinic/cut-handout.pdf") == "en"


def test_spanish_handout(built):
    pdf = built / "_build/pdf/testclinic/es/cut-handout.pdf"
    assert _lang(pdf) == "es-US"
    text = " ".join(pdf_text(pdf).split())
    assert "Cómo cuidar una cortada pequeña" in text
    assert "Página 1 de 2" in text and "Page 1" not in text
    assert "1 de octubre de 2026" in text  # Babel, not "October 1, 2026"
    assert "Puntos clave" in text and "Cuándo llamarnos" in text  # carepress's own words
    assert "Traducción revisada el 15 de octubre de 2026 por Interpreter services lead" in text
    assert "Wash" not in text
    with pikepdf.open(pdf) as doc:
        assert str(doc.open_metadata().get("dc:title")) == "Cómo cuidar una cortada pequeña"
        assert "/StructTreeRoot" in doc.Root


def test_chinese_handout_prints_with_cjk_glyphs(built):
    pdf = built / "_build/pdf/testclinic/zh_CN/cut-handout.pdf"
    assert _lang(pdf) == "zh-CN"
    text = pdf_text(pdf)
    assert "如何护理小伤口" in text and "第 1 页，共" in text and "2026年10月1日" in text
    with pikepdf.open(pdf) as doc:
        fonts = {str(f.get("/BaseFont")) for page in doc.pages
                 for f in page.Resources.get("/Font", {}).values()}
    assert any("Noto-Sans-CJK" in f for f in fonts), fonts


def _cells(pdf: Path) -> list[tuple[str, str]]:
    """(language, text) of each table cell of the structure tree, in reading order."""
    out = []
    with pikepdf.open(pdf) as doc:
        def walk(node):
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                if isinstance(kid, pikepdf.Dictionary):
                    if kid.get("/S") == "/TD" and "/Lang" in kid:
                        out.append(str(kid.Lang))
                    walk(kid)
        walk(doc.Root.StructTreeRoot)
    return out


def test_bilingual_handout_side_by_side_each_column_in_its_language(built):
    pdf = built / "_build/pdf/testclinic/es/cut-bilingual.pdf"
    langs = _cells(pdf)
    assert langs[:2] == ["en", "es-US"] and langs == ["en", "es-US"] * (len(langs) // 2)
    assert len(langs) >= 12  # cover, every block and heading, contact: paired
    text = " ".join(pdf_text(pdf).split())
    for english, spanish in (("Wash your hands.", "Lávese las manos."),
                             ("Cleaning the cut", "Cómo limpiar la cortada"),
                             ("Questions? Call", "¿Preguntas? Llame")):
        assert english in text and spanish in text
        assert text.index(english) < text.index(spanish)  # English first, on the same row
    assert "Page 1 of" in text and "Página 1 de" in text


def test_language_sites(built):
    page = (built / "_build/html/es/cut.html").read_text(encoding="utf-8")
    assert re.search(r'<html[^>]* lang="es"', page)
    assert 'href="../cut.html" hreflang="en"' in page  # the switcher: the English page
    assert '<link rel="alternate" hreflang="zh-CN" href="https://testville.example/topics/zh_CN/cut.html">' in page
    assert 'href="pdf/testclinic/cut-handout.pdf"' in page  # this language's PDFs
    assert (built / "_build/html/es/pdf/testclinic/cut-bilingual.pdf").is_file()
    english = (built / "_build/html/cut.html").read_text(encoding="utf-8")
    assert 'href="es/cut.html" hreflang="es-US"' in english
    assert "Spanish" not in english and "Español" in english


def test_the_ehr_bundle_lists_every_language_served(built):
    import json
    bundle = json.loads((built / "_build/html/fhir/Bundle.json").read_text(encoding="utf-8"))
    urls = {e["resource"]["content"][0]["attachment"]["language"]:
            e["resource"]["content"][0]["attachment"]["url"] for e in bundle["entry"]}
    assert set(urls) == {"en", "es-US", "zh-CN"}, urls  # each language's build kept the others
    assert "/es/pdf/testclinic/" in urls["es-US"] and "/zh_CN/pdf/" in urls["zh-CN"]


def test_check_reports_every_language(built):
    proc = _run(built, "check", "--only", "reading-level,claims,review", "--today", "2026-11-01")
    report = (built / "_build/check/report.md").read_text(encoding="utf-8")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "## Spanish edition (es)" in report and "| INFLESZ | F-H |" in report
    assert "## Chinese edition (zh_CN)" in report
    assert "no reading-level formula for Chinese" in report
    assert "no list of banned phrases for Chinese" in report
    assert re.search(r"\| cut \| 100% \| 0 \|", report)


def test_an_english_edit_withdraws_the_translations(built):
    """Last: it changes the project. The edited sentence has no translation yet: neither
    a reprint with English inside nor the old advice stays."""
    cut = built / "cut.md"
    cut.write_text(cut.read_text().replace("Rinse the cut under running water.",
                                           "Rinse the cut under running water for 5 minutes."))
    proc = _run(built, "build", "--pdf-only")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout + proc.stderr
    assert "cut (Spanish): out of date, not printed (2 PDF(s) printed from an older text " \
           "withdrawn)" in out
    assert "cut.md:24" in out and "Rinse the cut under running water for 5" in out
    assert not list((built / "_build/pdf/testclinic/es").glob("*.pdf"))
    assert (built / "_build/pdf/testclinic/cut-handout.pdf").is_file()
    # A new topic no one has translated yet, and the English left in the edited one, are
    # named as translation work; the Spanish dictionary and reading formulas never see them.
    (built / "scrape.md").write_text(cut.read_text().replace("title:", "title: Scrapes and", 1))
    index = built / "index.md"
    index.write_text(index.read_text().replace("cut\n", "cut\nscrape\n", 1))
    proc = _run(built, "check", "--only", "claims,spelling,reading-level")
    report = (built / "_build/check/report.md").read_text(encoding="utf-8")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"\| cut \| 92% \| 1 \|", report), report
    assert "`cut.md:24` translation: this paragraph is not translated into Spanish" in report
    assert "no Spanish catalogue yet (scrape.po); this edition is not printed" in report
    assert re.search(r"\| scrape \| 0% \| \d+ \| – \|", report), report
    assert "is not in the dictionary" not in report.split("## Spanish edition")[1], report


# -- bad input ------------------------------------------------------------------------
def _sphinx(path: Path, *more: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sphinx", "-b", "brochure", "-W", *more,
                           str(path), str(path / "_build/pdf")],
                          capture_output=True, text=True, timeout=600)


def test_broken_catalogues_are_named_with_their_line(tmp_path):
    path = tmp_path / "proj"
    shutil.copytree(ROOTS / "test-languages", path)
    (path / "conf.py").write_text((path / "conf.py").read_text().replace(
        '"es", "zh_CN"]', '"es"]'))
    po = path / "locales/es/LC_MESSAGES/cut.po"
    text = po.read_text()
    text = text.replace('msgstr "Nuestra clínica, {clinic}`name`, está para ayudarle."',
                        'msgstr "Nuestra clínica está para ayudarle."')
    po.write_text(text)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "Nuestra clínica está" in t)
    entry = next(e for e in polib.pofile(str(po)) if "{clinic}" in e.msgid)
    proc = _sphinx(path, "-D", "language=es", "-d", str(path / "_build/doctrees-es"))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert f"cut.po:{entry.linenum}: ERROR: this translation loses the role " \
           "`{clinic}`name``" in out, out
    assert line >= entry.linenum
    po.write_text(text.replace('msgid "gets red and swollen"\n', 'msgid "gets red and swollen"\nnot a PO line\n'))
    proc = _sphinx(path, "-D", "language=es", "-d", str(path / "_build/doctrees-es"))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "cut.po:" in out and "not a valid PO file" in out, out


def test_bilingual_needs_two_languages(tmp_path):
    path = tmp_path / "proj"
    shutil.copytree(ROOTS / "test-languages", path)
    (path / "conf.py").write_text((path / "conf.py").read_text().replace(
        'carepress_languages = ["en", "es", "zh_CN"]', 'carepress_languages = ["en"]'))
    (path / "cut.md").write_text((path / "cut.md").read_text().replace(
        'version: "2.1"', 'version: "2.1"\nformats: [handout, bilingual]'))
    proc = _sphinx(path, "-d", str(path / "_build/doctrees"))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1 and "cut.md:8: ERROR: 'formats' asks for 'bilingual'" in out, out


def test_a_language_without_a_dictionary_stops_the_check(tmp_path):
    path = tmp_path / "proj"
    shutil.copytree(ROOTS / "test-languages", path)
    conf = path / "conf.py"
    conf.write_text(conf.read_text().replace('"es", "zh_CN"]', '"ht"]').replace(
        'carepress_formats = ["handout", "bilingual"]', ''))
    line = next(n for n, t in enumerate(conf.read_text().splitlines(), 1)
                if t.startswith("carepress_languages"))
    proc = _run(path, "check", "--only", "spelling")
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"conf.py:{line}: ERROR: carepress_languages lists 'ht', but its Hunspell " \
           "dictionary 'ht_HT' is not installed" in proc.stderr
    assert "Traceback" not in proc.stderr


# -- carepress's own words, Spanish reading level -------------------------------------
def test_compiled_catalogues_match_their_po_files():
    import carepress
    base = Path(carepress.__file__).parent / "locale"
    for po_path in base.glob("*/LC_MESSAGES/carepress.po"):
        mo = polib.mofile(str(po_path.with_suffix(".mo")))
        po = polib.pofile(str(po_path))
        assert {e.msgid: e.msgstr for e in po if e.msgstr} == \
            {e.msgid: e.msgstr for e in mo if e.msgid}, \
            f"{po_path.with_suffix('.mo')} is out of date: run " \
            "`.venv/bin/pybabel compile -d src/carepress/locale -D carepress`"
    pot = {e.msgid for e in polib.pofile(str(base / "carepress.pot"))}
    for po_path in base.glob("*/LC_MESSAGES/carepress.po"):
        assert {e.msgid for e in polib.pofile(str(po_path))} == pot, po_path


def test_spanish_syllables_as_counted_by_hand():
    from carepress.checks.spanish import syllables
    hand = {"agua": 2, "día": 2, "ciudad": 2, "piel": 1, "poco": 2, "microagujas": 5,
            "colágeno": 4, "queloides": 3, "guerra": 2, "hoy": 1, "leer": 2, "reúne": 3,
            "infección": 3, "y": 1, "isotretinoína": 7, "cuidado": 3, "oído": 3}
    assert {w: syllables(w) for w in hand} == hand


def test_microneedling_in_spanish_reads_fairly_easily_counted_independently():
    """textstat, with its own Spanish syllables and sentence splitting, over the sample
    translation's prose (every message but headings, the alt text and the reviewer)."""
    textstat = pytest.importorskip("textstat")
    po = polib.pofile(str(REPO / "docs/locales/es/LC_MESSAGES/microneedling.po"))
    headings = ("¿", "Microagujas", "Antes de", "Durante", "Después", "Efectos", "Qué esperar")
    prose = [e.msgstr for e in po if e.msgstr and not e.msgstr.startswith(headings)
             and not e.msgstr.startswith(("Dibujo", "Responsable"))]
    text = " ".join(p if p.rstrip().endswith((".", ":", "?")) else p + "." for p in prose)
    textstat.set_lang("es")
    assert textstat.szigriszt_pazos(text) >= 65
    assert textstat.fernandez_huerta(text) >= 70
