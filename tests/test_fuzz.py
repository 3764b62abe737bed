"""Random topics through the real pipeline: every topic prints all its text, in order, or
is named in an error; never a traceback, never a silently empty brochure.

Each example is three topics built together by `carepress build`, as `make` does. Their
bodies are drawn as structure, not only words: headings at random levels (mostly
following on, now and then a `#` or a skipped level), labels and references within and
across topics, directives nested in each other (lists inside cards inside tabs, boxes in
dropdowns, grids of cards), tables, checklists, code, and odd but legal text: accents,
Arabic, Chinese, emoji, very long words, URLs, escapes, entities and stray Markdown
punctuation.

Every visible place holds a marker word. A topic that printed must show all its markers
in the order written, before its Sources, with no Markdown link syntax left over, no
text off the page and no glyph printed as an empty box; a topic that did not print must
be named by an error or a warning. Every problem names its file; nothing prints a
traceback.

The suite runs a short search (``CAREPRESS_FUZZ_EXAMPLES``, default 4; on CI the
examples are fixed, so a run is repeatable; locally each run draws new ones). A longer
search by hand: ``CAREPRESS_FUZZ_EXAMPLES=200 pytest tests/test_fuzz.py`` (what it found
is in README.md, "When the build fails").
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import FRONT, ROOTS, Project, glyphs_used, overflowing_words

TOPICS = 3

latin = st.sampled_from(["wash", "the", "cut", "gently", "and", "dry", "it", "every", "day",
                         "café", "naïve", "Größe", "piñata", "déjà", "Ångström", "œuvre"])
arabic = st.sampled_from(["اغسل", "الجرح", "بالماء", "كل", "يوم", "اتصل", "بنا"])
chinese = st.sampled_from(["清洗", "伤口", "每天", "换药", "请联系我们", "医生"])
emoji = st.sampled_from(["🩹", "😀", "👍", "❤️", "💊", "🏥", "✅"])
long_word = st.integers(40, 400).map(lambda n: ("abcdefghij" * 40)[:n])
url = st.builds(lambda p: f"https://example.org/{'/'.join(p)}",
                st.lists(st.sampled_from(["patient", "information", "wound-care",
                                          "a" * 60, "q?x=1&y=2"]), min_size=1, max_size=6))
punctuation = st.sampled_from(["*", "_", "`", "[", "]", "<", ">", "{", "}", "|", "#", ":",
                               "**bold**", "*it*", "`code`", "[link](https://example.org)"])
word = st.one_of(latin, latin, latin, arabic, chinese, emoji, long_word, url, punctuation)

MARK = "\x00M\x00"  # a visible place; numbered per topic before the build
LABEL = "\x00L{}\x00"  # a label of this topic; named per topic before the build
EXAMPLES = int(os.environ.get("CAREPRESS_FUZZ_EXAMPLES", "4"))

odd = st.sampled_from([
    "\\*not emphasis\\*", "a_b_c", "3 < 4 > 2", "&amp; &copy; &#169;", "C:\\\\temp", "50%",
    "`code with * and _`", "**bold *and slanted***", "~tilde~", "1) not a list", "#hashtag",
    "{braces}", "$5 to $10", "(round) [square]", "<https://example.org/a_(b)>",
    "nurse@example.org", "line with a hard break\\", "‘quotes’ “and more”", "—", "é\u0301",
])
phrase = st.lists(st.one_of(word, word, odd), min_size=1, max_size=8).map(" ".join)
plain = st.lists(latin, min_size=1, max_size=5).map(" ".join)


def visible(text: str) -> str:
    return f"{MARK} {text}"


@st.composite
def reference(draw) -> str:
    """A reference to a place that always exists (a topic's top) or may not (a label)."""
    topic = draw(st.integers(0, TOPICS - 1))
    target = draw(st.sampled_from([f"t{topic}-top", f"t{topic}-top", f"t{topic}-l{{n}}"]))
    target = target.format(n=draw(st.integers(0, 3)))
    kind = draw(st.sampled_from(["ref", "ref-text", "link", "doc", "doc-link"]))
    return {"ref": f"{{ref}}`{target}`", "ref-text": f"{{ref}}`{MARK} there <{target}>`",
            "link": f"[{MARK} this part](#{target})", "doc": f"{{doc}}`t{topic}`",
            "doc-link": f"[{MARK} that topic](t{topic}.md)"}[kind]


paragraph = st.builds(lambda a, ref, b: " ".join([visible(a), ref, b]),
                      phrase, st.one_of(st.just(""), reference()), plain)


def _list(items, depth=0, numbered=False):
    out = []
    for n, (text, children) in enumerate(items, 1):
        out.append("   " * depth + f"{f'{n}.' if numbered else '-'} {visible(text)}")
        if children:
            out.append(_list(children, depth + 1, numbered))
    return "\n".join(out)


items = st.recursive(st.lists(st.tuples(phrase, st.just([])), min_size=1, max_size=3),
                     lambda inner: st.lists(st.tuples(phrase, inner), min_size=1, max_size=3),
                     max_leaves=6)
bullets = st.builds(_list, items, numbered=st.booleans())
checklist = st.lists(phrase, min_size=1, max_size=3).map(
    lambda ls: "\n".join(f"- [{'x' if n % 2 else ' '}] {visible(x)}" for n, x in enumerate(ls)))
table = st.integers(2, 3).flatmap(lambda n: st.builds(
    lambda head, rows: "\n".join(
        ["| " + " | ".join([visible(head[0])] + head[1:]) + " |", "|" + " --- |" * n]
        + ["| " + " | ".join(row) + " |" for row in rows]),
    st.lists(plain, min_size=n, max_size=n),
    st.lists(st.lists(plain, min_size=n, max_size=n), min_size=1, max_size=3)))
code = plain.map(lambda t: f"```text\n{t}\n```")
leaf = st.one_of(paragraph, paragraph, bullets, checklist, table, code,
                 plain.map(lambda t: f"### {visible(t)}"))  # in a directive: a rubric


def _box(name: str, argument: str, options: str, children: list[tuple[str, int]]):
    """A directive fenced one colon longer than the deepest one inside it."""
    height = 1 + max((h for _, h in children), default=0)
    fence = ":" * (2 + height)
    body = "\n\n".join(text for text, _ in children)
    head = f"{fence}{{{name}}} {argument}".rstrip()
    return f"{head}\n{options}\n{body}\n{fence}", height


def containers(inner):
    """Directives around ``inner`` blocks, as writers nest them."""
    blocks = st.lists(inner, min_size=1, max_size=3)
    labelled = st.tuples(plain, blocks)
    return st.one_of(
        st.builds(lambda kind, b: _box(kind, "", "", b),
                  st.sampled_from(["note", "warning", "tip", "key-points", "call-us"]), blocks),
        st.builds(lambda t, b: _box("admonition", visible(t), "", b), plain, blocks),
        st.builds(lambda t, opt, b: _box("dropdown", visible(t), opt, b), plain,
                  st.sampled_from(["", ":open:", ":icon: alert\n:color: info"]), blocks),
        st.builds(lambda t, b: _box("card", visible(t), "", b), plain, blocks),
        st.builds(lambda tabs: _box("tab-set", "", "", [
            _box("tab-item", visible(t), "", b) for t, b in tabs]),
            st.lists(labelled, min_size=1, max_size=3)),
        st.builds(lambda n, cards: _box("grid", str(n), "", [
            _box("grid-item-card", visible(t), "", b) for t, b in cards]),
            st.integers(1, 3), st.lists(labelled, min_size=1, max_size=3)),
    )


nested = st.recursive(leaf.map(lambda text: (text, 0)), containers, max_leaves=6)


@st.composite
def topic_body(draw) -> str:
    """Sections at levels that mostly follow on, each with blocks; now and then a `#`
    heading or a skipped level, as writers make them."""
    out = ["(" + LABEL.format("top") + ")=", f"## {visible('Overview')}", ""]
    level, labels = 2, 0
    for _ in range(draw(st.integers(0, 4))):
        step = draw(st.sampled_from(["same", "same", "down", "up", "odd"]))
        if step == "odd":
            level = draw(st.sampled_from([1, level + 2]))
        elif step == "down":
            level = min(level + 1, 4)
        elif step == "up":
            level = max(level - 1, 2)
        if draw(st.booleans()):
            out.append("(" + LABEL.format(labels) + ")=")
            labels += 1
        out.append("#" * min(level, 6) + " " + visible(draw(phrase)))
        for text, _ in draw(st.lists(nested, min_size=1, max_size=3)):
            out += ["", text, ""]
        level = max(level, 2)
    return "\n".join(out)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    path = tmp_path_factory.mktemp("fuzz") / "proj"
    shutil.copytree(ROOTS / "test-basic", path)
    names = "\n".join(f"t{i}" for i in range(TOPICS))
    (path / "index.md").write_text(f"# Fuzz\n\n```{{toctree}}\n{names}\n```\n")
    (path / "basic.md").unlink()
    return Project(path)


def numbered(body: str, i: int) -> tuple[str, list[str]]:
    """The body with its markers and labels named for topic ``i``; the markers in order."""
    markers = []

    def mark(_):
        markers.append(f"qz{i}m{len(markers)}")
        return markers[-1]
    body = re.sub(re.escape(MARK), mark, body)
    body = re.sub("\x00L(\\w+)\x00", lambda m: f"t{i}-l{m[1]}" if m[1] != "top" else f"t{i}-top",
                  body)
    return body, markers


def empty_glyphs(pdf) -> dict:
    """Glyphs that draw nothing, per font. A colour emoji font's glyphs are empty outlines
    that WeasyPrint draws as pictures (named /i<font tag><glyph>): they print."""
    with pikepdf.open(pdf) as doc:
        pictures = "".join(str(name) for page in doc.pages
                           for name in page.Resources.get("/XObject", {}).keys())
    return {font: empty for font, (_, empty) in glyphs_used(pdf).items()
            if empty and f"/i{font.lstrip('/').split('+')[0]}" not in pictures}


@pytest.mark.slow
@settings(max_examples=EXAMPLES, deadline=None, database=None,
          derandomize=bool(os.environ.get("CI")),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                 HealthCheck.data_too_large, HealthCheck.large_base_example])
@given(bodies=st.lists(topic_body(), min_size=TOPICS, max_size=TOPICS))
def test_random_structure_prints_in_order_or_is_named(fuzz_project, bodies):
    project = fuzz_project
    markers = {}
    for i, body in enumerate(bodies):
        body, markers[i] = numbered(body, i)
        project.write(f"t{i}.md", FRONT.format(title=f"Topic {i}") + body + "\n")
    shutil.rmtree(project.path / "_build/pdf/testclinic", ignore_errors=True)  # no stale PDF
    run = project.carepress()
    out = run.output
    assert run.returncode in (0, 1), out
    for bad in ("Traceback", "Exception occurred", "Extension error", "Handler <",
                "the build stopped"):
        assert bad not in out, out
    problems = [ln for ln in out.splitlines() if re.search(r"\b(ERROR|WARNING):", ln)]
    for problem in problems:  # every problem names the topic it is in
        assert re.match(r"^\S*/t\d\.md(:\d+)?: (ERROR|WARNING): ", problem), problem
    for i in range(TOPICS):
        pdf, named = project.pdf(f"t{i}"), any(f"/t{i}.md" in p for p in problems)
        assert pdf.exists() or named, (f"t{i}: neither a PDF nor an error", out)
        if not pdf.exists():
            continue
        # In page order, top to bottom (the order of a PDF's drawing is not the reader's:
        # WeasyPrint may draw a table's text after the heading under it).
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        # pdftotext wraps a right-to-left run in bidi controls (U+202B ... U+202C) that
        # may join it to the next word; they are not printed, so they part words here.
        words = re.sub("[\u202a-\u202e\u2066-\u2069]", " ", text).split()
        at = 0
        for m in markers[i]:  # each after the one before (a reference may repeat one earlier)
            assert m in words, (f"t{i}: {m} was left out of the brochure", out)
            assert m in words[at:], (f"t{i}: {m} printed out of order", out)
            at = words.index(m, at) + 1
        assert "Sources" in words[at:], (f"t{i}: its Sources print before its text", out)
        assert named or "](" not in text, (f"t{i}: Markdown printed as text, unannounced", out)
        assert overflowing_words(pdf) == [], f"t{i}: text runs off the page"
        assert not empty_glyphs(pdf), f"t{i}: glyphs printed as empty boxes: {empty_glyphs(pdf)}"
