"""What one built page shows, read from its HTML: its nav, headings, links, ids and prose lines.

One pass of Python's HTML parser per page; nothing else of the page is kept, so a whole
site of a thousand pages is checked in seconds.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit


@dataclass
class NavItem:
    """One entry of the site's nav as a page shows it."""

    label: str
    url: str | None
    """Site path of the page it opens ('functions/e-chart/', '' for the home page), None for a bare label."""

    children: list[NavItem] = field(default_factory=list)


@dataclass
class PageFacts:
    """What the checks read of one page."""

    url: str
    """Site path of the page, '/'-separated, '' for the home page."""

    title: str = ""
    """The text of the page's first H1."""

    h1_count: int = 0
    ids: set[str] = field(default_factory=set)
    """Every id (and ``<a name>``) of the page."""

    links: list[tuple[str, str]] = field(default_factory=list)
    """(tag, URL) of every link and image of the page's content, as written."""

    prose_lines: list[str] = field(default_factory=list)
    """The content's text outside code, one line per paragraph line, cell or item."""

    content_html: str = ""
    """The page's content (the article) as HTML, code included."""

    source_broken_anchors: list[str] = field(default_factory=list)
    """Links the sync found broken in the doc itself (shown as text, marked ``ingest-broken-anchor``)."""

    nav: list[NavItem] = field(default_factory=list)
    """The primary nav as this page renders it (pruned: its own branch open, the others closed)."""

    is_redirect: bool = False
    """A redirect page (mkdocs-redirects), not a page of the wiki."""


#: Elements whose start and end break a line of prose.
_BLOCKS = frozenset({"p", "li", "td", "th", "dd", "dt", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
                     "summary", "details", "table", "tr", "ul", "ol", "dl", "figure", "figcaption", "section"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})


def is_redirect_page(html: str) -> bool:
    """Whether a page is one of mkdocs-redirects' (a refresh to the page's new URL)."""
    return 'http-equiv="refresh"' in html[:2000] and "Redirecting" in html[:4000]


def read_page(html: str, url: str) -> PageFacts:
    """The facts of one page's HTML; ``url`` is its site path (to resolve its relative links)."""
    facts = PageFacts(url)
    if is_redirect_page(html):
        facts.is_redirect = True
        return facts
    start, end = html.find("<article"), html.rfind("</article>")
    if start >= 0 and end > start:
        facts.content_html = html[start:end]
    parser = _PageParser(facts)
    parser.feed(html)
    parser.close()
    facts.prose_lines = [line.strip() for line in "".join(parser.prose).split("\n") if line.strip()]
    return facts


def resolve(page_url: str, link: str) -> tuple[str, str] | None:
    """(site path, fragment) a relative link of a page leads to; None for other sites, mail and scripts.

    >>> resolve("a/b/", "../c/#x"), resolve("a/", "https://example.org"), resolve("a/", "#top")
    (('a/c/', 'x'), None, ('a/', 'top'))
    """
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("mailto:", "tel:", "data:", "javascript:")):
        return None
    if not parts.path:
        return page_url, unquote(parts.fragment)
    path = posixpath.normpath(posixpath.join(page_url or ".", unquote(parts.path)))
    path = "" if path == "." else path
    if parts.path.endswith("/") and path:
        path += "/"
    return path, unquote(parts.fragment)


class _PageParser(HTMLParser):
    def __init__(self, facts: PageFacts):
        super().__init__(convert_charrefs=True)
        self.facts = facts
        self.prose: list[str] = []
        self.depth = 0
        self.article_depth: int | None = None
        self.code_depth: int | None = None
        self.h1_depth: int | None = None
        self.h1_text: list[str] = []
        # the primary nav
        self.nav_depth: int | None = None
        self.skip_depth: int | None = None  # the page's own table of contents inside the primary nav
        self.items: list[tuple[int, NavItem, bool]] = []  # open nav items: (depth, item, label taken)
        self.label_depth: int | None = None
        self.label: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        classes = values.get("class", "").split()
        if values.get("id"):
            self.facts.ids.add(values["id"])
        if tag == "a" and values.get("name"):
            self.facts.ids.add(values["name"])
        if tag in _VOID:
            self._void(tag, values)
            return
        self.depth += 1
        if tag == "article" and self.article_depth is None:
            self.article_depth = self.depth
        elif tag == "nav" and "md-nav--primary" in classes and self.nav_depth is None:
            self.nav_depth = self.depth
        elif tag == "nav" and "md-nav--secondary" in classes and self.nav_depth is not None and self.skip_depth is None:
            self.skip_depth = self.depth
        if self._in_nav():
            self._nav_start(tag, values, classes)
        if self.article_depth is None:
            return
        if tag in ("pre", "code") and self.code_depth is None:
            self.code_depth = self.depth
        if tag == "h1":
            self.facts.h1_count += 1
            if self.h1_depth is None and not self.facts.title:
                self.h1_depth, self.h1_text = self.depth, []
        if tag == "a" and values.get("href"):
            self.facts.links.append(("a", values["href"]))
        if tag == "span" and "ingest-broken-anchor" in classes:
            self.facts.source_broken_anchors.append(values.get("title", ""))
        if tag in _BLOCKS:
            self.prose.append("\n")

    def _void(self, tag: str, values: dict[str, str]) -> None:
        if self.article_depth is None:
            return
        if tag == "img" and values.get("src"):
            self.facts.links.append(("img", values["src"]))
        if tag in ("br", "hr"):
            self.prose.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        if self.article_depth is not None and tag in _BLOCKS:
            self.prose.append("\n")
        if self.h1_depth == self.depth:
            self.facts.title = " ".join("".join(self.h1_text).split())
            self.h1_depth = None
        if self._in_nav():
            self._nav_end()
        if self.code_depth == self.depth:
            self.code_depth = None
        if self.skip_depth == self.depth:
            self.skip_depth = None
        if self.nav_depth == self.depth:
            self.nav_depth = None
        if self.article_depth == self.depth:
            self.article_depth = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.label_depth is not None:
            self.label.append(data)
        if self.article_depth is None:
            return
        if self.h1_depth is not None:
            self.h1_text.append(data)
        if self.code_depth is None:
            self.prose.append(data.replace("\n", " "))

    # -- the nav ------------------------------------------------------------------------------

    def _in_nav(self) -> bool:
        return self.nav_depth is not None and self.skip_depth is None

    def _nav_start(self, tag: str, values: dict[str, str], classes: list[str]) -> None:
        if tag == "li" and "md-nav__item" in classes:
            item = NavItem("", None)
            parent = self.items[-1][1].children if self.items else self.facts.nav
            parent.append(item)
            self.items.append((self.depth, item, False))
        elif not self.items:
            return
        elif tag == "a" and "md-nav__link" in classes and values.get("href") is not None:
            if self.items[-1][1].url is None:  # the active page's entry has its label (the toc toggle) first
                target = resolve(self.facts.url, values["href"])
                self.items[-1][1].url = target[0] if target else None
        elif tag == "span" and "md-ellipsis" in classes and not self.items[-1][2]:
            self.label_depth, self.label = self.depth, []

    def _nav_end(self) -> None:
        if self.label_depth == self.depth:
            depth, item, _ = self.items[-1]
            item.label = " ".join("".join(self.label).split())
            self.items[-1] = (depth, item, True)
            self.label_depth = None
        if self.items and self.items[-1][0] == self.depth:
            self.items.pop()
