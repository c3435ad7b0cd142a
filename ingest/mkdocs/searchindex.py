"""Make Material's search index light: one entry a page, a short teaser, the other words to match.

Material's search plugin writes ``search/search_index.json`` with an entry for
every heading of every page: its location, its title and all of its text. On a
wiki of Google Docs most of those bytes are locations repeated for headings
such as "Overview" or "Resources", and words repeated within a page. Staff
download the whole index on their first search, so after the plugin has
written it, :func:`compact_index` rewrites it:

- the sections of a page become part of its one entry (their titles too),
  except on pages listed in ``keep_sections`` (FAQ pages, where each question
  is meant to be its own result, linking to its anchor);
- ``text`` keeps the first ``teaser`` characters of that text, as plain text:
  it is what a search result shows;
- the rest goes to a ``words`` field, each word once, without the words the
  teaser or title already has and without the stop words that Material's
  search drops from every query anyway.

The index config gets ``words`` as a search field with the boost of ``text``,
so every word on a page still finds it, while only ``title`` and ``text`` are
shown. Material searches by prefix (``word*``), so a word is kept without the
punctuation around it. What is lost: how often a word occurs (ranking still
favours titles, tags and boosts), and hits on a section of a long page land on
the page.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any, Iterable

from ingest.utils import jsoncodec

#: lunr's English stop words, as Material's search worker filters them from indexes and queries.
STOP_WORDS = frozenset("""
a able about across after all almost also am among an and any are as at be because been but by can cannot could
dear did do does either else ever every for from get got had has have he her hers him his how however i if in
into is it its just least let like likely may me might most must my neither no nor not of off often on only or
other our own rather said say says she should since so some than that the their them then there these they this
tis to too twas us wants was we were what when where which while who whom why will with would yet you your
""".split())

#: Characters a search result shows of an entry's text.
TEASER = 320

WORDS_FIELD = "words"
_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"\s+")
_EDGE_RE = re.compile(r"^\W+|\W+$")


def plain_text(html_text: str) -> str:
    """The text of an index entry without the tags Material keeps, spaces collapsed.

    >>> plain_text("<p>Log into <code>Acme</code>.</p> <ul><li>One</li></ul>")
    'Log into Acme . One'
    """
    return _SPACE_RE.sub(" ", _TAG_RE.sub(" ", html_text)).strip()


def teaser(text: str, limit: int = TEASER) -> tuple[str, str]:
    """Split plain ``text`` into (teaser of at most ``limit`` characters, the rest), at a space.

    >>> teaser("one two three", 8)
    ('one two …', 'three')
    >>> teaser("short", 8)
    ('short', '')
    """
    if len(text) <= limit:
        return text, ""
    cut = text.rfind(" ", 0, limit - 1)
    if cut < limit // 2:
        cut = limit - 1
    return text[:cut].rstrip() + " …", text[cut:].strip()


def word_key(token: str) -> str:
    """A token as Material's prefix search matches it: lower case, no punctuation at either end.

    >>> word_key("(Preceptor),"), word_key("IA_AHE_6"), word_key("e.g.")
    ('preceptor', 'ia_ahe_6', 'e.g')
    """
    if token.isalnum():
        return token.casefold()  # most words: no punctuation to strip
    return _EDGE_RE.sub("", token).casefold()


def distinct_words(text: str, separator: re.Pattern[str], known: set[str]) -> list[str]:
    """The words of ``text`` not in ``known`` and not stop words, each once, in order of appearance.

    ``known`` is updated with the words returned.

    >>> distinct_words("The chart, the Chart and charts", re.compile(r"[\\s\\-]+"), {"and"})
    ['chart', 'charts']
    """
    words = []
    for token in dict.fromkeys(separator.split(text)):  # each spelling once: pages repeat their words
        key = word_key(token)
        if key and key not in known and key not in STOP_WORDS:
            known.add(key)
            words.append(key)
    return words


def _page_of(location: str) -> str:
    return location.split("#", 1)[0]


def merge_sections(docs: Iterable[dict[str, Any]], keep_sections: Iterable[str] = ()) -> list[dict[str, Any]]:
    """One entry a page: the text of each section (with its title) joins the page's entry.

    Pages whose location is in ``keep_sections`` keep an entry for each section.

    >>> merge_sections([{"location": "a/", "title": "A", "text": "intro"},
    ...                 {"location": "a/#s", "title": "S", "text": "more"}])
    [{'location': 'a/', 'title': 'A', 'text': 'intro S more'}]
    """
    keep = set(keep_sections)
    merged: list[dict[str, Any]] = []
    pages: dict[str, dict[str, Any]] = {}
    for doc in docs:
        page = _page_of(doc["location"])
        entry = pages.get(page)
        if entry is None or page in keep:
            entry = dict(doc)
            pages.setdefault(page, entry)
            merged.append(entry)
        else:
            entry["text"] = " ".join(part for part in (entry["text"], doc.get("title", ""), doc.get("text", "")) if part)
    return merged


def compact_entry(doc: dict[str, Any], separator: re.Pattern[str], limit: int = TEASER) -> dict[str, Any]:
    """An entry with a plain-text teaser as ``text`` and its other words in ``words``.

    >>> compact_entry({"location": "a/", "title": "Guide", "text": "<p>Read the guide to charts, tables and charts.</p>"},
    ...               re.compile(r"\\s+"), limit=16)
    {'location': 'a/', 'title': 'Guide', 'text': 'Read the guide …', 'words': 'charts tables'}
    """
    text = plain_text(doc.get("text", ""))
    head, rest = teaser(text, limit)
    entry = {**doc, "text": head}
    entry.pop(WORDS_FIELD, None)
    rest = " ".join(part for part in (rest, doc.get(WORDS_FIELD, "")) if part)
    if rest:
        known = {word_key(token) for token in separator.split(f"{doc.get('title', '')} {head}")}
        words = distinct_words(rest, separator, known)
        if words:
            entry[WORDS_FIELD] = " ".join(words)
    return entry


def compact_index(index: dict[str, Any], keep_sections: Iterable[str] = (), limit: int = TEASER,
                  memo: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """The index Material wrote, made light (see the module docstring); the input is left as it was.

    ``memo`` keeps each entry's compact form from one call to the next (the entries of the last call
    only), by a hash of the entry and the settings: most pages of a rebuild did not change. It is
    plain JSON, for the plugin to keep between builds.
    """
    config = dict(index.get("config") or {})
    separator = re.compile(config.get("separator") or r"[\s\-]+")
    fields = dict(config.get("fields") or {})
    fields.setdefault(WORDS_FIELD, dict(fields.get("text") or {"boost": 1.0}))
    config["fields"] = fields
    docs = merge_sections(index.get("docs") or [], keep_sections)
    if memo is None:
        return {**index, "config": config, "docs": [compact_entry(doc, separator, limit) for doc in docs]}
    compacted, known = [], dict(memo)
    memo.clear()
    for doc in docs:
        key = hashlib.sha256(jsoncodec.dumps([separator.pattern, limit, doc], sort_keys=True)).hexdigest()
        entry = known.get(key) or compact_entry(doc, separator, limit)
        memo[key] = entry
        compacted.append(entry)
    return {**index, "config": config, "docs": compacted}
