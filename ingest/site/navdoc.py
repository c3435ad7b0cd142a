"""The navigation document at the export root: the nav editors lay out in Drive, read as CommonMark.

wikiGDrive writes ``navigation.md`` (or ``.navigation.md``) with front matter that lists every
doc's path (``links:``, not the nav) and a body that is a nested list of links, ``*`` items
nested 3 spaces a level. ``parse_navigation`` reads the body's entries; ``entry_doc`` finds the
doc an entry links to (by path, Drive URL or ``gdoc:`` id, through a stub to where it leads).
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from ingest.markup import parser, plain_text
from ingest.model import Document
from ingest.transform.links import google_id


@dataclass(frozen=True)
class NavigationEntry:
    """One link (or plain label) of the navigation document."""

    depth: int
    """0 for a top-level item, 1 for an item in its sub-list, and so on."""

    title: str
    """The label editors gave the entry: what the nav shows for it."""

    target: str | None
    """Where it links (a path in the export, a Drive URL, ``gdoc:id``), or None for a plain label."""

    line: int
    """1-based line of the navigation document's body."""


def parse_navigation(text: str) -> list[NavigationEntry]:
    """The entries of a navigation document's body: its nested lists, read as CommonMark.

    Kept for the last few texts (a pure function, and a whole wiki's navigation document is a tenth
    of a second to parse: `mkdocs serve` re-syncs it unchanged after every edit).

    wikiGDrive writes ``* [Label](path.md)`` items nested 3 spaces a level (4 by hand works too).
    An item with two links is two entries (an editor joined two lines); children go under the last.

    >>> [(e.depth, e.title, e.target) for e in parse_navigation("* [A](a.md)\\n   * [B](gdoc:1234567890ab)\\n* Plain\\n")]
    [(0, 'A', 'a.md'), (1, 'B', 'gdoc:1234567890ab'), (0, 'Plain', None)]
    """
    return list(_parsed_navigation(text))


@functools.lru_cache(maxsize=4)
def _parsed_navigation(text: str) -> tuple[NavigationEntry, ...]:
    entries: list[NavigationEntry] = []
    depth = -1
    line = 1
    for token in parser().parse(text):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "list_item_open":
            line = token.map[0] + 1 if token.map else line
            entries.append(NavigationEntry(depth, "", None, line))  # filled by the item's first inline
        elif token.type == "inline" and depth >= 0 and entries and not entries[-1].title and entries[-1].depth == depth:
            item = entries.pop()
            found = _links_of(token.children or [])
            if found:
                entries.extend(NavigationEntry(depth, title, target, item.line) for title, target in found)
            elif plain_text(token.children or []).strip():
                entries.append(NavigationEntry(depth, " ".join(plain_text(token.children or []).split()), None,
                                               item.line))
    return tuple(entry for entry in entries if entry.title)


def _links_of(tokens: list[Any]) -> list[tuple[str, str]]:
    """(label, href) of each link in an item's inline tokens."""
    links: list[tuple[str, str]] = []
    inside: list[Any] | None = None
    href = ""
    for token in tokens:
        if token.type == "link_open":
            inside, href = [], str(token.attrs.get("href", ""))
        elif token.type == "link_close" and inside is not None:
            links.append((" ".join(plain_text(inside).split()) or href, href))
            inside = None
        elif inside is not None:
            inside.append(token)
    return links


def entry_doc(target: str, by_source: dict[str, Document], by_id: dict[str, Document],
               redirects: dict[str, str]) -> Document | None:
    """The doc a navigation entry links to, through a redirect stub to the doc it leads to."""
    drive_id = google_id(target)
    if drive_id:
        return by_id.get(drive_id)
    path = posixpath.normpath(unquote(target.split("#")[0]).lstrip("/"))
    for candidate in (path, posixpath.splitext(path)[0] + ".txt", posixpath.splitext(path)[0] + ".md"):
        if candidate in by_source:
            return by_source[candidate]
        if candidate in redirects and redirects[candidate] in by_source:
            return by_source[redirects[candidate]]
    return None
