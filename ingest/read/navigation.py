"""The navigation document at the export root: the nav editors lay out in Drive, read as CommonMark.

wikiGDrive writes ``navigation.md`` (or ``.navigation.md``) with front matter that lists every
doc's path (``links:``, not the nav) and a body that is a nested list of links, ``*`` items
nested 3 spaces a level. ``read_navigation`` reads the file and its body's entries
(``parse_navigation``); the site stage places docs by them (``ingest.site.nav``).

The entries are read here, with the file, so that the sync's read cache keeps them with it: a whole
wiki's navigation document is a tenth of a second to parse, and each re-sync would parse it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ingest.markup import parser, plain_text
from ingest.model import NavigationDocument, NavigationEntry, Problem
from ingest.read.decode import decode_bytes
from ingest.read.frontmatter import FrontMatterError, split_front_matter


def read_navigation(path: Path | str, source: str) -> tuple[NavigationDocument | None, Problem | None]:
    """The navigation document's body and entries (its front matter is wikiGDrive's list of every path,
    not the nav), or the problem that keeps it from being used."""
    try:
        text = decode_bytes(Path(path).read_bytes())[0]
    except OSError as exc:
        return None, Problem(source, None, "unreadable",
                             f"The navigation document '{source}' could not be read ({exc.strerror}); the nav comes "
                             "from the docs' menus and folders instead.")
    try:
        _, body, body_line = split_front_matter(text)
    except FrontMatterError as exc:
        return None, Problem(source, exc.line, "invalid-yaml",
                             f"The navigation document '{source}': {exc.message}; the nav comes from the docs' menus "
                             "and folders instead. Fix its front matter, or re-export it.")
    return navigation_document(source, body, body_line), None


def navigation_document(source: str, body: str, first_line: int = 1) -> NavigationDocument:
    """The navigation document with this body (starting on file line ``first_line``), its entries read."""
    return NavigationDocument(source, body, first_line, tuple(parse_navigation(body)))


def parse_navigation(text: str) -> list[NavigationEntry]:
    """The entries of a navigation document's body: its nested lists, read as CommonMark.

    wikiGDrive writes ``* [Label](path.md)`` items nested 3 spaces a level (4 by hand works too).
    An item with two links is two entries (an editor joined two lines); children go under the last.

    >>> [(e.depth, e.title, e.target) for e in parse_navigation("* [A](a.md)\\n   * [B](gdoc:1234567890ab)\\n* Plain\\n")]
    [(0, 'A', 'a.md'), (1, 'B', 'gdoc:1234567890ab'), (0, 'Plain', None)]
    """
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
    return [entry for entry in entries if entry.title]


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
