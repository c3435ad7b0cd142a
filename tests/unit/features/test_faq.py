"""Tests for ingest/faq.py: spotting FAQ pages and giving each question a heading."""

from __future__ import annotations

import re

import frontmatter
import ftfy
import markdown
import pytest
from helpers import SHARED

from ingest.features.faq import is_faq, strip_scraped_chrome, structure_faq


def normalised(text: str) -> str:
    """A body normalised roughly as ingest/normalize.py does: mojibake, nbsp, '•' bullets."""
    body = ftfy.fix_text(frontmatter.loads(text).content, uncurl_quotes=False).replace("\xa0", " ")
    return re.sub(r"^[ \t]*•[ \t]*", "- ", body, flags=re.MULTILINE)


def sentences(text: str) -> list[str]:
    """Every sentence of ``text``, without list markers, heading marks or bold markers."""
    found = []
    for line in text.split("\n"):
        if line.startswith("#"):
            line = re.sub(r"\s+#+\s*$", "", line)
        line = re.sub(r"^\s*(?:[-*+]|\d+[.)]|#{1,6})\s+", "", line).replace("**", "").strip()
        found.extend(part for part in re.split(r"(?<=[.?!;:])\s+", line) if part)
    return found


def assert_nothing_lost(before: str, after: str) -> None:
    flat = " ".join(after.replace("**", "").split())
    lost = [sentence for sentence in sentences(before) if " ".join(sentence.split()) not in flat]
    assert not lost, f"sentences lost by structure_faq: {lost}"


# --- which documents are FAQs -----------------------------------------------------------
# label, title, source_path, meta, expected
IS_FAQ_CASES = [
    ("title word", "CME FAQ", "guides/cme.md", {}, True),
    ("title plural, lower case", "Billing faqs", "guides/billing.md", {}, True),
    ("title spelt out", "Frequently Asked Questions", "guides/help.md", {}, True),
    ("file name", "Help", "guides/mips-faq.md", {}, True),
    ("file name with underscore", "Help", "guides/mips_faq.md", {}, True),
    ("front matter flag", "Help", "guides/help.md", {"faq": True}, True),
    ("front matter flag as text", "Help", "guides/help.md", {"faq": "yes"}, True),
    ("front matter opt-out wins", "FAQ Search Tips", "guides/faq-tips.md", {"faq": False}, False),
    ("word inside another word", "Faquir tours", "guides/faqir.md", {}, False),
    ("folder name does not count", "Help", "faq/help.md", {}, False),
    ("ordinary page", "AHE 6 - Provide Education", "ia/ahe-6.md", {"faq": None}, False),
]


@pytest.mark.parametrize("label, title, path, meta, expected", IS_FAQ_CASES, ids=[c[0] for c in IS_FAQ_CASES])
def test_is_faq(label, title, path, meta, expected):
    assert is_faq(title, path, meta) is expected


# --- scraped page chrome ----------------------------------------------------------------
# label, body, expected (body, removed)
CHROME_CASES = [
    ("first line", "FAQ Search\n\nThe criteria are:", ("The criteria are:", ["FAQ Search"])),
    ("after blank lines", "\n\nFAQ Search  \nText.", ("Text.", ["FAQ Search"])),
    ("not at the top", "Intro.\n\nFAQ Search", ("Intro.\n\nFAQ Search", [])),
    ("part of a longer line", "FAQ Search results below", ("FAQ Search results below", [])),
    ("nothing to strip", "Text.", ("Text.", [])),
]


@pytest.mark.parametrize("label, body, expected", CHROME_CASES, ids=[c[0] for c in CHROME_CASES])
def test_strip_scraped_chrome(label, body, expected):
    assert strip_scraped_chrome(body) == expected


# --- questions --------------------------------------------------------------------------
# label, body, expected
QUESTION_CASES = [
    ("heading level made ##", "# What is MIPS?\nAn incentive program.",
     "## What is MIPS?\n\nAn incentive program."),
    ("deep heading without '?'", "Intro.\n\n#### How to attest\n\nLog in.",
     "Intro.\n\n## How to attest\n\nLog in."),
    ("closing hashes and bold dropped", "### **Who pays?** ###\n\nCMS.", "## Who pays?\n\nCMS."),
    ("bold line, answer on the next line", "**Is it free?**\nYes.", "## Is it free?\n\nYes."),
    ("bold line without '?'", "**Deadlines**\n\nMarch 31.", "## Deadlines\n\nMarch 31."),
    ("plain one-line paragraph", "Intro.\n\nCan I attest twice?\n\nNo.",
     "Intro.\n\n## Can I attest twice?\n\nNo."),
    ("plain line followed by a list", "Which apply?\n- one\n- two", "## Which apply?\n\n- one\n- two"),
    ("plain line with a hard break", "Can I attest twice?  \nNo.", "## Can I attest twice?\n\nNo."),
    ("question in quotes", "What is \u201cMOC?\u201d\n\nA board program.",
     "## What is \u201cMOC?\u201d\n\nA board program."),
    ("question right after a heading", "## Eligibility\nWho is eligible?\n\nClinicians.",
     "## Eligibility\n\n## Who is eligible?\n\nClinicians."),
]


@pytest.mark.parametrize("label, body, expected", QUESTION_CASES, ids=[c[0] for c in QUESTION_CASES])
def test_questions_become_h2(label, body, expected):
    out = structure_faq(body)
    assert out == expected
    assert structure_faq(out) == out
    assert_nothing_lost(body, out)


# label, body
NO_QUESTION_CASES = [
    ("paragraphs and a list", "The criteria are:\n\n- one;\n- two\n\nPublished"),
    ("list item ending in '?'", "Ask yourself:\n\n- Is it safe?\n- Is it timely?"),
    ("several sentences ending in '?'", "Is it required? No. Why wait?"),
    ("line inside a paragraph", "You may wonder\nwhy this matters?\n\nIt does."),
    ("indented continuation", "- item\n\n    Does this continue the item?"),
    ("lazy continuation of a list", "- item\n**Bold continuation**"),
    ("bold label introducing a list", "**Note:**\n\n- one"),
    ("inside a code fence", "```\n# Is this a comment?\n**Not a question?**\n```"),
    ("too long to be a question", "Is it " + "very " * 60 + "long?"),
    ("empty", ""),
]


@pytest.mark.parametrize("label, body", NO_QUESTION_CASES, ids=[c[0] for c in NO_QUESTION_CASES])
def test_body_without_questions_is_unchanged(label, body):
    assert structure_faq(body) == body


# --- the scraped CME FAQ seed -----------------------------------------------------------

def seed_004() -> str:
    if not SHARED.is_dir():
        pytest.skip(f"shared folder {SHARED} is absent")
    matches = sorted(SHARED.glob("seeds/004_*.txt"))
    if not matches:
        pytest.skip(f"seed 004 is not in {SHARED / 'seeds'}")
    return normalised(matches[0].read_text(encoding="utf-8"))


def test_seed_004_chrome_is_reported():
    body = seed_004()
    stripped, removed = strip_scraped_chrome(body)
    assert removed == ["FAQ Search"]
    assert stripped.startswith("The criteria are:")
    assert stripped == body.split("\n", 2)[2]


def test_seed_004_surviving_question_is_a_heading_and_nothing_is_lost():
    body, _ = strip_scraped_chrome(seed_004())
    out = structure_faq(body)

    question = "Can you give me some examples of CME Improvement Activities?"
    assert f"\n## {question}\n" in out
    assert [line for line in out.split("\n") if line.startswith("#")] == [f"## {question}"]
    assert_nothing_lost(body, out)
    assert out.replace(f"## {question}", question) == body  # the only change

    html = markdown.markdown(out, extensions=["toc"])
    assert '<h2 id="can-you-give-me-some-examples-of-cme-improvement-activities">' in html
    bullets = sum(1 for line in body.split("\n") if line.startswith("- "))
    assert bullets == 17 and html.count("<li>") == bullets
    answer = html.split(question + "</h2>", 1)[1]
    assert answer.lstrip().startswith("<ul>\n<li>Our clinicians complete a self-evaluation")
    assert "<p>Published</p>" in html  # scraped status text is kept, not judged here


def test_seed_004_intro_before_the_question_is_untouched():
    body, _ = strip_scraped_chrome(seed_004())
    intro, _ = body.split("Can you give me some examples", 1)
    assert structure_faq(body).startswith(intro)
