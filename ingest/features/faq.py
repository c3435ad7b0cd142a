"""Stage 2b, FAQ pages: give each question its own ``##`` heading.

A FAQ exported from Google Docs (or scraped from a web page into one) writes
its questions as headings, as bold lines or as plain one-line paragraphs
ending in '?'. Only headings get a permalink, a table-of-contents entry and a
search result of their own in MkDocs Material, so :func:`structure_faq` turns
every question into a ``##`` heading and leaves the answers exactly as they
are. Nothing is invented and nothing is dropped: the only lines that change
are the questions, plus the blank lines a heading needs around it.

:func:`strip_scraped_chrome` takes off page furniture copied with a scraped
page ("FAQ Search") and says what it took, so the caller can decide whether
to drop it and report it.

All functions are pure: strings in, strings out.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

from ingest.chardata import FENCE_START_RE, HEADING_RE, LIST_START_RE
from ingest.model import Document

#: Lines of web-page furniture that scraping leaves at the top of a body.
SCRAPED_CHROME_LINES = ("FAQ Search",)

#: Questions longer than this are taken for answer paragraphs that end in '?'.
MAX_QUESTION_LENGTH = 250

FAQ_WORD_RE = re.compile(r"(?<![A-Za-z0-9])(?:faqs?|frequently[ _-]asked[ _-]questions)(?![A-Za-z0-9])",
                         re.IGNORECASE)
BOLD_LINE_RE = re.compile(r"^(?P<mark>\*\*|__)(?P<text>(?:(?!\*\*|__).)+?)(?P=mark)(?P<brk>[ \t]{2,}|\\)?[ \t]*$")
QUESTION_LINE_RE = re.compile(r"^(?P<text>[^\s#>|<!{].*?\?[\"'\u201d\u2019)*_]*)(?P<brk>[ \t]{2,}|\\)?[ \t]*$")
SENTENCE_BREAK_RE = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+[A-Z]")
TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})


def is_faq(title: str, source_path: str, meta: dict[str, Any]) -> bool:
    """Whether a document is a FAQ page.

    True when the title or the file name has the word 'FAQ' (or 'FAQs',
    'Frequently Asked Questions') in any case, or the front matter says
    ``faq: true``. An explicit ``faq: false`` wins over the title and name, so
    a page such as "FAQ Search Tips" can opt out.

    >>> is_faq("CME FAQ", "guides/cme.md", {}), is_faq("Help", "mips_faqs.md", {})
    (True, True)
    >>> is_faq("Help", "guides/help.md", {"faq": True}), is_faq("FAQ", "faq.md", {"faq": "no"})
    (True, False)
    >>> is_faq("Faquir tours", "guides/faqir.md", {})
    False
    """
    flag = _as_bool(meta.get("faq"))
    if flag is not None:
        return flag
    name = source_path.replace("\\", "/").rsplit("/", 1)[-1]
    return bool(FAQ_WORD_RE.search(title) or FAQ_WORD_RE.search(name))


def strip_scraped_chrome(body: str) -> tuple[str, list[str]]:
    """The body without the page furniture at its top, and the lines taken off.

    Only whole lines equal to one of :data:`SCRAPED_CHROME_LINES` at the very
    top (after any blank lines) go, with the blank lines after them. A body
    without them comes back unchanged, with an empty list.

    >>> strip_scraped_chrome("FAQ Search\\n\\nThe criteria are:")
    ('The criteria are:', ['FAQ Search'])
    >>> strip_scraped_chrome("Intro.\\n\\nFAQ Search")
    ('Intro.\\n\\nFAQ Search', [])
    """
    lines = body.split("\n")
    removed: list[str] = []
    index = 0
    while True:
        while index < len(lines) and not lines[index].strip():
            index += 1
        if index < len(lines) and lines[index].strip() in SCRAPED_CHROME_LINES:
            removed.append(lines[index].strip())
            index += 1
        else:
            break
    if not removed:
        return body, []
    return "\n".join(lines[index:]), removed


def question_text(lines: list[str], index: int) -> str | None:
    """The question on ``lines[index]``, without its markup, or None if the line is not one.

    A question is one of:

    - a Markdown heading of any level;
    - a line at the left margin that is bold and nothing else, unless it ends
      in ':' (that introduces a list rather than asks) or sits in a list item;
    - a single sentence ending in '?' that is a paragraph of its own: it starts
      a paragraph at the left margin and is followed by a blank line, a list,
      a heading or a hard line break (wikiGDrive writes one paragraph a line).

    Indented lines (list item content, code) never are.

    >>> question_text(["### What is MIPS? ###"], 0), question_text(["**Who can attest?**", "Anyone."], 0)
    ('What is MIPS?', 'Who can attest?')
    >>> question_text(["", "Can you give examples?", "- one"], 1)
    'Can you give examples?'
    >>> question_text(["Yes. Why wait? Start now?"], 0) is None   # not one sentence
    True
    >>> question_text(["An answer", "that goes on?"], 1) is None  # not a paragraph of its own
    True
    """
    line = lines[index]
    heading = HEADING_RE.match(line)
    if heading:
        text = _unbold(heading.group("text").strip())
        return text or None
    if LIST_START_RE.match(line):
        return None
    previous = lines[index - 1] if index else ""
    following = index + 1 < len(lines) and lines[index + 1].strip() != ""
    bold = BOLD_LINE_RE.match(line)
    if bold:
        text = bold.group("text").strip()
        in_list_item = previous.strip() and (LIST_START_RE.match(previous) or previous[0].isspace())
        return None if in_list_item or text.endswith(":") else text
    plain = QUESTION_LINE_RE.match(line)
    if not plain or (previous.strip() and not HEADING_RE.match(previous)):
        return None
    text = plain.group("text").strip()
    if len(text) > MAX_QUESTION_LENGTH or SENTENCE_BREAK_RE.search(text):
        return None
    if following and not plain.group("brk") and not _starts_block(lines[index + 1]):
        return None
    return text


def structure_faq(body: str) -> str:
    """Turn every question of a FAQ body into a ``##`` heading; keep everything else.

    Text before the first question stays as the introduction. Each answer
    (paragraphs, lists, notes up to the next question) follows its heading
    unchanged. A body without questions comes back unchanged.

    >>> print(structure_faq("Intro.\\n\\n**Is it free?**\\nYes.\\n\\n# How do I apply?\\n\\n- online\\n- by mail"))
    Intro.
    <BLANKLINE>
    ## Is it free?
    <BLANKLINE>
    Yes.
    <BLANKLINE>
    ## How do I apply?
    <BLANKLINE>
    - online
    - by mail
    >>> structure_faq("No questions here.\\n\\n- a list")
    'No questions here.\\n\\n- a list'
    """
    lines = body.split("\n")
    out: list[str] = []
    in_fence = False
    for index, line in enumerate(lines):
        if FENCE_START_RE.match(line):
            in_fence = not in_fence
        question = None if in_fence or FENCE_START_RE.match(line) else question_text(lines, index)
        if question is None:
            out.append(line)
            continue
        if out and out[-1].strip():
            out.append("")
        out.append(f"## {question}")
        if index + 1 < len(lines) and lines[index + 1].strip():
            out.append("")
    return "\n".join(out)


def _starts_block(line: str) -> bool:
    """Whether ``line`` starts a block of its own (a list, heading or fence), ending a paragraph."""
    return bool(LIST_START_RE.match(line) or HEADING_RE.match(line) or FENCE_START_RE.match(line))


def _unbold(text: str) -> str:
    """``text`` without bold markers around the whole of it.

    >>> _unbold("**What is MIPS?**"), _unbold("What is **MIPS**?")
    ('What is MIPS?', 'What is **MIPS**?')
    """
    match = BOLD_LINE_RE.match(text)
    return match.group("text").strip() if match else text


def _as_bool(value: Any) -> bool | None:
    """A front matter flag as a bool, or None when it is absent or not a yes/no value.

    >>> _as_bool(True), _as_bool("Yes"), _as_bool("off"), _as_bool(None), _as_bool("maybe")
    (True, True, False, None, None)
    """
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if value is not None else ""
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def as_faq_page(doc: Document) -> Document:
    """An FAQ doc: scraped page chrome goes, each question becomes its own heading."""
    body, removed = strip_scraped_chrome(doc.body)
    meta = {**doc.meta, "faq": True}
    if removed and doc.title in removed:
        meta["title"] = "Frequently Asked Questions"  # the title was only the scraped page's chrome
    body = structure_faq(body)
    return dataclasses.replace(doc, body=body, meta=meta, fixes=doc.fixes + (("faq",) if body != doc.body else ()))
