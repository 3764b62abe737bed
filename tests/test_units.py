"""The pure functions under the checks and the guards, fast (no build): how a link
checker's answer is classified, syllables for the reading level, what makes an SVG
unsafe, what of raw HTML is kept, and whether a laid-out brochure fits (WeasyPrint's
real layout of a small page)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from sphinx.builders.linkcheck import _Status

from carepress.brochure.worker import fit
from carepress.checks.links import classify
from carepress.checks.readability import DOT, _cmu, syllables
from carepress.sources.guard import _unsafe_part, clean_html
from carepress.sources.svgcheck import problem


# -- external links: Sphinx's link checker's (status, message) -> what a writer is told ----
@pytest.mark.parametrize("status, message, expected", [
    (_Status.WORKING, "", None),
    (_Status.REDIRECTED, "https://example.org/new", None),
    (_Status.WORKING, "unauthorized", None),  # linkcheck_allow_unauthorized
    (_Status.UNCHECKED, "", None),
    (_Status.IGNORED, "", None),  # linkcheck_ignore in conf.py
    (_Status.IGNORED, "service unavailable", ("unreachable", "the site answered 503 Service "
                                                             "Unavailable")),
    (_Status.TIMEOUT, "", ("unreachable", "no answer within 5 s")),
    (_Status.BROKEN, "Anchor 'dosage' not found", ("gone", "the page has no anchor 'dosage'")),
    (_Status.BROKEN, "404 Client Error: Not Found for url: https://example.org/x",
     ("gone", "the site answered 404 Not Found")),
    (_Status.BROKEN, "410 Client Error: Gone for url: https://example.org/x",
     ("gone", "the site answered 410 Gone")),
    (_Status.BROKEN, "403 Client Error: Forbidden for url: https://example.org/x",
     ("unreachable", "the site answered 403 Forbidden")),
    (_Status.BROKEN, "502 Server Error: Bad Gateway for url: https://example.org/x",
     ("unreachable", "the site answered 502 Bad Gateway")),
    (_Status.BROKEN, "unauthorized", ("unreachable", "the site answered 401 Unauthorized")),
    (_Status.BROKEN, "HTTPSConnectionPool(host='nowhere.example', port=443): Max retries "
                     "exceeded (Caused by NameResolutionError(...))",
     ("unreachable", "the site's name could not be resolved (no network or DNS failure)")),
    (_Status.BROKEN, "HTTPConnectionPool(host='127.0.0.1', port=9): Max retries exceeded "
                     "(Caused by NewConnectionError(...: [Errno 111] Connection refused'))",
     ("unreachable", "the connection was refused")),
    (_Status.BROKEN, "HTTPSConnectionPool(host='slow.example', port=443): Read timed out. "
                     "(read timeout=5)", ("unreachable", "no answer within 5 s")),
    (_Status.BROKEN, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed",
     ("unreachable", "a secure connection could not be made")),
    (_Status.BROKEN, "Something else went wrong\nwith a second line",
     ("unreachable", "Something else went wrong")),
    (_Status.BROKEN, "", ("unreachable", "no answer")),
    ("working", "", None),  # a plain string, as older Sphinx versions give it
])
def test_link_classification(status, message, expected):
    assert classify(status, message, 5) == expected


def test_an_unexplained_failure_is_cut_to_one_short_line():
    kind, why = classify(_Status.BROKEN, "x" * 500, 5)
    assert kind == "unreachable" and why == "x" * 160


# -- syllables ---------------------------------------------------------------------------
@pytest.mark.parametrize("word, count", [
    ("water", 2), ("medicine", 3), ("irritation", 4),   # the CMU dictionary
    ("doctor's", 2), ("doctor’s", 2),                    # a possessive, either apostrophe
    ("broad-spectrum", 3), ("well-known", 2),            # each part of a hyphenated word
    ("2026", 1), ("3.5", 1),                             # a numeral reads like a short word
    (f"Dr{DOT}", 2), (f"e{DOT}g{DOT}", 2), (f"U{DOT}S{DOT}", 2),  # abbreviations, as read aloud
    ("NHS", 3),                                          # an acronym, letter by letter
    ("microneedling", 4),                                # micro + needling, both in CMU
    ("quonk", 1), ("plimsy", 2), ("blorptastic", 3),     # by rule: vowel groups
    ("zorbate", 2), ("frobble", 2),                      # a silent final e; but -le is heard
    ("snarbes", 1), ("blixes", 2),                       # -es silent, unless after s, x, z
    ("glimpted", 2),                                     # -ed heard after t or d
])
def test_syllables(word, count):
    assert syllables(word) == count


def test_rule_words_are_not_in_the_dictionary():
    """The words above that test the rules must not be in CMU, or they test nothing."""
    cmu = _cmu()
    assert not [w for w in ("nhs", "quonk", "plimsy", "blorptastic", "zorbate", "frobble",
                            "snarbes", "blixes", "glimpted", "microneedling") if w in cmu]


# -- SVG images --------------------------------------------------------------------------
SVG = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
       '{}</svg>')


@pytest.mark.parametrize("svg, why", [
    (SVG.format('<defs><linearGradient id="g"/></defs><rect width="9" height="9" '
                'fill="url(#g)"/><use xlink:href="#g"/><style>rect { fill: url(#g) }</style>'),
     None),
    ('<?xml-stylesheet href="x.css"?>' + SVG.format(""),
     "it loads a stylesheet (<?xml-stylesheet?>)"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>' + SVG.format("<text>&b;</text>"),
     "it declares XML entities, which are not allowed"),
    ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + SVG.format("<text>&x;</text>"),
     "it declares XML entities, which are not allowed"),
    ('<html><body/></html>', "it is not an SVG image (its root is <html>)"),
    (SVG.format("<script>alert(1)</script>"),
     "it contains <script>, which can run code or embed other content"),
    (SVG.format("<foreignObject><div/></foreignObject>"),
     "it contains <foreignobject>, which can run code or embed other content"),
    (SVG.format("<style>@import url(other.css);</style>"),
     "its <style> imports another stylesheet (@import)"),
    (SVG.format('<style>rect { fill: url("https://evil.example/x.png") }</style>'),
     "its <style> loads 'https://evil.example/x.png'"),
    ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
     "it has an event handler (onload) on <svg>"),
    (SVG.format('<image xlink:href="file:///etc/passwd"/>'),
     "<image> points at 'file:///etc/passwd', outside the image"),
    (SVG.format('<image href="https://evil.example/x.png"/>'),
     "<image> points at 'https://evil.example/x.png', outside the image"),
    (SVG.format('<rect fill="url(https://evil.example/p)"/>'),
     "<rect> fill loads 'https://evil.example/p'"),
])
def test_svg_problem(svg, why):
    assert problem(svg.encode()) == why


def test_svg_that_does_not_parse():
    assert problem(b'<svg xmlns="http://www.w3.org/2000/svg"><rect>').startswith(
        "it is not a valid SVG file (no element found: line 1")


# -- raw HTML ----------------------------------------------------------------------------
@pytest.mark.parametrize("html, part", [
    ("<b>bold</b>", None),
    ("<mark>", None),
    ('<a href="https://example.org/">a link</a>', None),
    ("<script>alert(1)</script>", "<script>"),
    ("<SCRIPT>", "<SCRIPT>"),
    ('<img src="x.png">', "<img>"),
    ('<a href="https://example.org/" onclick="steal()">', "an event handler on <a>"),
    ('<span style="color: red">', "a style attribute on <span>"),
    ('<a href="javascript:alert(1)">x</a>', "a javascript: link"),
    ("<a href='JavaScript :void(0)'>x</a>", "a javascript: link"),
])
def test_unsafe_part_of_raw_html(html, part):
    assert _unsafe_part(html) == part


@pytest.mark.parametrize("html, kept", [
    ("<mark>x</mark>", "<mark>x</mark>"),
    ("<b>", "<b>"),     # MyST hands over inline HTML one tag at a time: a lone start tag
    ("<B>", "<b>"),
    ("</b>", "</b>"),   # and a lone end tag
    ("</B>", "</b>"),
    ("</script>", ""),
    ("<script>alert(1)</script>", ""),
    ('<img src="x.png">', ""),
    ('<p style="color: red">x</p>', "<p>x</p>"),
    ('<div class="note" id="n">A <strong>block</strong>.</div>',
     '<div class="note">A <strong>block</strong>.</div>'),
    ('<a href="https://example.org/" onclick="steal()">link</a>',
     '<a href="https://example.org/" rel="noopener noreferrer">link</a>'),
    ('<a href="tel:+15550102040">call</a>',
     '<a href="tel:+15550102040" rel="noopener noreferrer">call</a>'),
    ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
    ('<a href="file:///etc/passwd">x</a>', '<a rel="noopener noreferrer">x</a>'),
])
def test_clean_html_keeps_the_safe_subset(html, kept):
    assert clean_html(html) == kept


# -- does a brochure fit? -----------------------------------------------------------------
# The fit check finds the body and the back panel by the anchors layouts/page.html puts on
# them (fit.BODY on <main>, fit.BACK on the contact footer), and counts the words past
# the budget on the laid-out pages (the print HTML only when WeasyPrint has no box tree).
PAGE_CSS = """@page { size: 300px 300px; margin: 20px;
               @bottom-center { content: "Footer words that are never counted" } }
p { margin: 0 } .new { break-before: page }"""


def laid_out(body: str, folder):
    """WeasyPrint's pages of ``body`` (each ``<p class=new>`` starts a page), and the print
    HTML written to ``folder``, as the fit check gets them."""
    from weasyprint import HTML
    html = f"<html><head><style>{PAGE_CSS}</style></head><body>{body}</body></html>"
    (folder / "cuts.html").write_text(html, encoding="utf-8")
    return HTML(string=html).render().pages


def words(n: int) -> str:
    return " ".join(["word"] * n)


def handout(budget, folder):
    return SimpleNamespace(docname="cuts", fmt="handout", sheet=None, page_budget=budget,
                           html=folder / "cuts.html")


def trifold(folder):
    return SimpleNamespace(docname="cuts", fmt="trifold", sheet=object(), page_budget=None,
                           html=folder / "cuts.html")


def folded(cover: str, body: str, back: str = "<p>Call us</p>") -> str:
    return (f"<div>{cover}</div><main id={fit.BODY}>{body}</main>"
            f"<footer id={fit.BACK} class=new>{back}</footer>")


def test_a_handout_over_its_page_budget(tmp_path):
    pages = laid_out(f"<main id={fit.BODY}><p>{words(5)}</p><p class=new>{words(20)}</p>"
                     f"<p class=new>{words(23)}</p></main>", tmp_path)
    assert len(pages) == 3
    # 43 words on the pages past the budget; the footers' words are not counted
    assert fit.check(handout(1, tmp_path), pages) == (
        "cuts does not fit its page budget: the handout needs 3 pages and page_budget is 1 "
        "(about 40 words too many). Shorten it, or raise page_budget in its front matter.")
    assert fit.check(handout(3, tmp_path), pages) == ""
    assert fit.check(handout(None, tmp_path), pages) == ""


def test_a_few_words_over_are_about_ten(tmp_path):
    pages = laid_out(f"<p>{words(5)}</p><p class=new>word</p>", tmp_path)
    assert "(about 10 words too many)" in fit.check(handout(1, tmp_path), pages)


def test_a_trifold_with_more_body_panels_than_the_fold(tmp_path):
    body = "".join(f"<p class=new>{words(30)}</p>" for _ in range(6))
    pages = laid_out(folded("<p>Title</p>", body), tmp_path)
    # the anchors the check reads: the body from the second page, the back on the last
    assert [fit.BODY in p.anchors for p in pages][:2] == [False, True]
    assert [fit.BACK in p.anchors for p in pages] == [False] * 7 + [True]
    assert fit.check(trifold(tmp_path), pages) == (
        "cuts does not fit the trifold: it needs 6 panels and the fold has 4 (about 60 words "
        "too many). Shorten it, or mark long parts with :::{not-in} trifold.")


def test_a_trifold_that_fits(tmp_path):
    pages = laid_out(folded("<p>Title</p>", "<p class=new>a</p><p class=new>b</p>"
                            "<p class=new>c</p><p class=new>d</p>"), tmp_path)
    assert len(pages) == 6 and fit.check(trifold(tmp_path), pages) == ""


def test_a_cover_that_needs_two_panels(tmp_path):
    pages = laid_out(folded("<p>Title</p><p class=new>A summary too long</p>",
                            "<p class=new>Body</p>"), tmp_path)
    assert fit.check(trifold(tmp_path), pages) == (
        "the cover panel of cuts does not fit the trifold: it needs 2 panels. Shorten the "
        "title and summary in the front matter, or the brand's address.")
