"""The syntax corpus: every MyST syntax carepress enables and every sphinx-design component,
in their documented forms (tests/roots/test-corpus, one topic per group), built once as
`make` builds it (site and PDFs, warnings as errors).

What a reader needs from each brochure: every visible text is printed, in order, with no
Markdown left over; nothing runs off the page; no page is blank; the page count is
sensible. Links print what a reader needs on paper (brochure/prepare.py) and stay links
on the site. Icons print as documented in README.md (For writers).
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pypdf
from helpers import ROOTS, Project
from helpers import overflowing_words

HOSTED = "https://testville.example/topics/"

# What a reader must find in each handout, in this order (whitespace aside).
VISIBLE = {
    "boxes": [
        "Your skin is new and thin after a peel.", "Key points", "Wear sunscreen every morning.",
        "Note", "Peeling usually starts on day two or three.", "Tip",
        "A cool, damp cloth eases the tight feeling.", "Hint",
        "Set a phone reminder for sunscreen at noon.", "Important",
        "Use only the cream the nurse gave you.", "Attention",
        "Your skin may look pink for a week.", "Caution", "Hot showers can sting for a few days.",
        "Warning", "Stay out of tanning beds for six weeks.", "Danger",
        "Never use a face scrub on peeling skin.", "Error",
        "Picking the flakes can leave dark marks.", "See also",
        "Our topic on moisturisers lists gentle creams.", "Questions for your visit",
        "Write down what you want to ask before you come.",
        "Backtick fences work for boxes too.", "When to call us", "blisters or yellow crusts",
        "Call us at (555) 123-4567.", "Sources",
    ],
    "text-and-tables": [
        "Take every dose, even when you feel better.[1] Some words are bold, some slanted, some "
        "typed like a label, and some both bold and slanted.",
        "Time Dose With food?", "Morning 1 tablet Yes", "Evening 1 tablet Yes",
        "Your week at a glance", "Day What to do", "Days 1 to 3 Take the tablets and rest.",
        "Dose How much medicine you take at one time.",
        "Course All the doses, from the first to the last.",
        "Take the morning tablet.", "Read this leaflet.",
        "1. Swallow the tablet with water.", "Sit up or stand.", "3. Write the time on the chart.",
        "4. Take the empty pack back to the pharmacy.", "5. Book a check-up",
        "Ask the pharmacist if you are not sure.", "the right dose.[2]",
        "Take ONE tablet TWICE a day.", "Indented lines keep their spacing too.",
        "Brand name: Amoxil", "Pack size: 21 tablets",
        "Line one of a short address line two of the same address.",
        "Stopping early lets the germs come back stronger.",
        "Pharmacists can also check your other medicines.", "Sources",
    ],
    "pictures-and-links": [
        f"Read about germs ({HOSTED}words.html#term-germs) and soap",
        "then go to the steps (page 1) or to When to wash (page 1).",
        "Wet your hands under the tap.", "The water can be warm or cold.",
        "See the picture of the tap in the figure above (page 1), or go back to How to wash "
        "(page 1). The link How to wash (page 1) works the same way.",
        "before you eat", "after you use the toilet",
        f"Read our sun care sheet ({HOSTED}boxes.html), the antibiotic leaflet "
        f"({HOSTED}text-and-tables.html), the words we use ({HOSTED}words.html#glossary-of-words)",
        "at who.int (https://www.who.int/campaigns/world-hand-hygiene-day), and "
        "https://www.cdc.gov/clean-hands/ has posters.",
        "Email the clinic (nurse@testville.example) or call the desk (+15551234567).", "Sources",
    ],
    "words": [
        "Our leaflets use these words.", "germs Tiny living things that can make you ill.",
        "soap A cleaner that lifts germs off the skin.", "dose The amount of a medicine",
        f"Back to washing your hands ({HOSTED}pictures-and-links.html).", "Sources",
    ],
    "tabs": [
        "Care depends on how the tattoo was covered.", "Film wrap",
        "Leave the film on for three days.", "Paper dressing",
        "Take the paper off after four hours.", "Morning", "Wash with plain water in the morning.",
        "Evening", "Pat dry and add a thin layer of cream at night.", "Morning",
        "Put on loose clothes after the morning wash.", "Evening", "Sleep on a clean pillowcase.",
        "TEXT Apply twice a day.", "NONE Keep out of the sun.", "Tabs in a dropdown",
        "Pick the one that fits.", "Small tattoo", "One thin layer is enough.", "Large tattoo",
        "First week", "Days 1 to 3", "Expect some oozing.", "Days 4 to 7",
        "Expect light flaking.", "Second week", "Itching", "The itch fades in the second week.",
        "Sources",
    ],
    "cards-and-grids": [
        "The week before", "Stop taking fish oil tablets.", "Header of the day-before card",
        "The day before", "Shower and wash your hair.", "Footer of the day-before card",
        "Header from a directive", "On the day", "Eat a light breakfast.",
        "Footer from a directive", "Background picture", "Text over a picture.", "Top picture",
        "Picture above this text.", "Bottom picture", "Picture below this text.", "Our website",
        "Opens the surgery pages. the surgery pages (https://testville.example/surgery)",
        "Back to the cards", "Goes to the top of this topic. Cards (page 1)",
        f"Goes to another leaflet. Taking your antibiotic ({HOSTED}text-and-tables.html)",
        f"Goes to handwashing times. When to wash ({HOSTED}pictures-and-links.html#when-to-wash)",
        "First slide", "Bring a list of your medicines.", "Second slide",
        "Bring a friend to drive you home.", "Third slide", "Plain item A", "Plain item B",
        "Short item", "A longer item in an auto grid", "Gutter card A", "Gutter card B",
        "Nested 1.1", "Multi-line", "nested content", "Nested 1.2", "Nested content one two",
        "Nested 2.1", "a list in a card", "inside a nested grid", "Centred card",
        "Centred content", "Sources",
    ],
    "badges-and-buttons": [
        "Nurse Alex Reed (https://testville.example/team)", "October 2026", "5 min read",
        "plain label", "primary label , primary outline", "secondary label , secondary outline",
        "success label , success outline", "info label , info outline",
        "warning label , warning outline", "danger label , danger outline",
        "light label , light outline", "dark label , dark outline",
        "muted label , muted outline", "Linked labels: https://testville.example/parking ,",
        "parking map (https://testville.example/parking)", "back to the labels (page 1)",
        "https://testville.example/book", "Book a visit online (https://testville.example/book)",
        "Book with a shadow", "Book with an outline", "Book, full width", "Labels (page 1)",
        "Back to the labels (page 1)", "Labels, in bold (page 1)", "A card with a button",
        "See the map (https://testville.example/map)",
        # Icons print nothing but the text around them (README, For writers).
        "An octicon sits in this sentence.", "A material icon", "sits here.",
        "A font icon needs a web font.", "Brand icon and regular icon close the list.", "Sources",
    ],
    "dropdowns-and-steps": [
        "A dropdown with no title.", "A closed dropdown", "Closed dropdown text.",
        "An open dropdown", "Open dropdown text.", "A dropdown with an icon",
        "Icon dropdown text.", "A box with a dropdown", "Box text.", "Dropdown inside a box",
        "Inner dropdown text.", "Parent dropdown", "Child dropdown", "Child dropdown text.",
        "Will it scar?", "A small flat mark is usual.", "When can I swim?",
        "After the stitches are out.", "1. Keep it dry", "Keep the dressing dry for two days.",
        "2. Change the dressing once a day.", "3. Take out the stitches",
        "The nurse takes the stitches out.", "A side note", "Bring the wound card to every visit.",
        "The wound heals from the edges inwards.", "Text in a plain block.", "Sources",
    ],
}
MOST_PAGES = 4  # a handout of this size on more pages is a layout fault
FOOTER = re.compile(r"Testville Health Centre · \(555\)|^Last reviewed .* Next review|"
                    r"Page \d+ of \d+")
LEFT_OVER = re.compile(r"\]\(|:::|```|\{[a-z-]+\}|\^\^\^|\+\+\+")  # Markdown printed as text


def words(text: str) -> str:
    return " ".join(text.split())


def pages(pdf) -> list[str]:
    """The text of each page, its footer left out."""
    out = []
    for page in pypdf.PdfReader(pdf).pages:
        lines = [ln for ln in page.extract_text().splitlines() if not FOOTER.search(ln)]
        out.append(words("\n".join(lines)))
    return out


def pdftotext(pdf) -> str:
    return words(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                check=True).stdout)


def squashed(text: str) -> str:
    """Without white space and hyphens: a long address may wrap anywhere, and pdftotext
    joins a line that ends in a hyphen to the next."""
    return re.sub(r"[\s-]+", "", text)


def check_handout(topic: str, pdf, expected: list[str]) -> None:
    text = pdftotext(pdf)
    at = 0
    for phrase in expected:  # each one, in the order written
        found = squashed(text).find(squashed(phrase), at)
        assert found >= 0, f"{topic}: {phrase!r} is missing or out of order"
        at = found + 1
    assert not LEFT_OVER.search(text), f"{topic}: Markdown printed as text"
    assert overflowing_words(pdf) == [], f"{topic}: text runs off the page"
    printed = pages(pdf)
    assert 1 <= len(printed) <= MOST_PAGES, f"{topic}: {len(printed)} pages"
    blank = [n for n, page in enumerate(printed, 1) if len(page) < 40]
    assert not blank, f"{topic}: blank page(s) {blank}"


def test_the_corpus_prints_every_component(tmp_path):
    """One build serves every assertion (a single test, so parallel runs build it once)."""
    shutil.copytree(ROOTS / "test-corpus", tmp_path / "proj")
    corpus = Project(tmp_path / "proj")
    run = corpus.carepress_site()  # the site and the PDFs, warnings as errors
    assert run.returncode == 0, run.output
    for topic, expected in VISIBLE.items():
        check_handout(topic, corpus.pdf(topic), expected)

    # On the site, every reference stays a link.
    site = (corpus.path / "_build/html/pictures-and-links.html").read_text(encoding="utf-8")
    assert 'href="#wash-steps"' in site and 'href="words.html#term-germs"' in site
    assert 'href="boxes.html"' in site and 'href="mailto:' in site
    assert 'href="tel:+15551234567"' in site
    # A folded sheet's panels are not numbered pages: a link in it reads as its text.
    trifold = pdftotext(corpus.pdf("pictures-and-links", fmt="trifold"))
    assert "then go to the steps or to When to wash." in trifold and "(page" not in trifold
    assert squashed(f"the antibiotic leaflet ({HOSTED}text-and-tables.html)") in squashed(trifold)
