"""Check a built site, page by page, for what a reader would meet: the classes of ``KINDS``.

With the export it was built from, the nav is checked against the navigation doc (every entry
there, in its order, with its label, under its parent), the docs' menu weights and the docs'
titles. Pure but for reading the files: ``check_site`` reads, ``check_pages`` decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from ingest.check.page import NavItem, PageFacts, read_page, resolve
from ingest.model import shorten

#: What the check looks for: code → what it means. Each finding has one of these.
KINDS = {
    "nav-label": "a nav label that is no doc's title, no navigation-doc label and no generated page's title",
    "nav-missing": "a navigation-doc entry whose doc is in the export but not in the nav",
    "nav-order": "an entry out of the navigation doc's order or parent, or siblings against their menu weights",
    "shortcode": "a shortcode or sync marker left on the page (code included)",
    "mojibake": "text decoded with the wrong encoding ('Â ', 'â€™')",
    "spilled-list": "a list marker shown as text ('1. ', '* ') at the start of a line",
    "h1": "more than one H1 on the page",
    "broken-link": "a link or image to a file or page the site does not have",
    "broken-fragment": "a link to a #fragment that is no id of its page",
    "stub-page": "a redirect stub or rename placeholder shown as a page",
    "source-anchor": "a link that was broken in the doc itself (listed, not counted): the sync shows it as text",
}
#: Kinds that are listed but do not make the check fail.
NOT_COUNTED = frozenset({"source-anchor"})

_MARKER_RE = re.compile(r"\{\{[%<]|[%>]\}\}|<!--ingest:|&lt;!--ingest:")
_MOJIBAKE_RE = re.compile("Â[\u00a0 -~]|â€|Ã[\u0080-\u00bf]|Ã©|Ã¨|â„¢|ï»¿")
_SPILLED_RE = re.compile(r"^(?:\d{1,3}[.)]|[*•+])\s+\S")
_LITERAL_RE = re.compile(r'<(?P<tag>div|code|span) class="ingest-literal">.*?</(?P=tag)>', re.DOTALL)
_STUB_TITLE_RE = re.compile(r"^(?:Conflict:\s*)?Redirect to:", re.IGNORECASE)
#: Titles of the pages the sync writes itself, besides the folders' own.
GENERATED_TITLES = frozenset({"Home", "All activities", "Tags", "Frequently Asked Questions"})


@dataclass(frozen=True)
class Finding:
    """One thing found on one page."""

    page: str
    """Site path of the page ('' for the home page), or 'nav' for the site's nav as a whole."""

    kind: str
    """One of ``KINDS``."""

    detail: str
    """What exactly, quoting the page."""

    def to_dict(self) -> dict[str, str]:
        return {"page": self.page, "kind": self.kind, "detail": self.detail}


@dataclass(frozen=True)
class ExportFacts:
    """What the check needs of the export: where each doc's page is, its title and weight, the navigation doc."""

    titles: dict[str, str] = field(default_factory=dict)
    """Site path of each doc's page → the doc's title."""

    weights: dict[str, float] = field(default_factory=dict)
    """Site path → the doc's menu weight, for docs that have one."""

    navigation: list[tuple[int, str, str | None]] = field(default_factory=list)
    """The navigation doc's entries: (depth, label, site path of its doc or None)."""

    generated_titles: frozenset[str] = GENERATED_TITLES
    """Titles the sync may give pages it writes (folder titles among them)."""


@dataclass
class SiteReport:
    """Every finding of a check, by page."""

    pages: int
    findings: list[Finding]

    @property
    def failures(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind not in NOT_COUNTED]

    def counts(self) -> dict[str, int]:
        return {kind: sum(finding.kind == kind for finding in self.findings) for kind in KINDS}

    def to_dict(self) -> dict[str, Any]:
        return {"pages": self.pages, "counts": self.counts(), "failures": len(self.failures),
                "findings": [finding.to_dict() for finding in self.findings]}


def check_site(site_dir: Path, export: ExportFacts | None = None) -> SiteReport:
    """Read every page of ``site_dir`` and check it (and the nav against ``export``, when given)."""
    pages = []
    for path in sorted(site_dir.rglob("index.html")):
        rel = path.parent.relative_to(site_dir).as_posix()
        url = "" if rel == "." else rel + "/"
        if url.startswith(("search/", "assets/")):
            continue
        pages.append(read_page(path.read_text("utf-8", errors="replace"), url))
    files = {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file()}
    return check_pages([page for page in pages if not page.is_redirect], files,
                       {page.url for page in pages if page.is_redirect}, export)


def check_pages(pages: list[PageFacts], files: set[str], redirects: set[str] = frozenset(),
                export: ExportFacts | None = None) -> SiteReport:
    """Findings for these pages; ``files`` are every file of the site (paths), ``redirects`` the redirect pages."""
    by_url = {page.url: page for page in pages}
    findings: list[Finding] = []
    for page in pages:
        findings += _page_findings(page, by_url, files, redirects)
    nav = merged_nav(pages)
    if export is not None:
        findings += _nav_findings(nav, export)
    return SiteReport(len(pages), findings)


def _page_findings(page: PageFacts, by_url: dict[str, PageFacts], files: set[str],
                   redirects: set[str]) -> Iterable[Finding]:
    content = _LITERAL_RE.sub("", page.content_html)  # shortcodes a doc shows as written, on purpose
    end = -1
    for match in _MARKER_RE.finditer(content):
        if match.start() < end:
            continue  # the closing half of one already reported
        end = content.find("}}", match.end()) + 2 if match.group(0).startswith("{{") else match.end()
        yield Finding(page.url, "shortcode", f"'{_around(content, match.start())}'")
    for line in page.prose_lines:
        if _MOJIBAKE_RE.search(line):
            yield Finding(page.url, "mojibake", f"'{shorten(line)}'")
        if _SPILLED_RE.match(line):
            yield Finding(page.url, "spilled-list", f"'{shorten(line)}'")
    if page.h1_count > 1:
        yield Finding(page.url, "h1", f"{page.h1_count} H1 headings")
    if _STUB_TITLE_RE.match(page.title) or (page.prose_lines and page.prose_lines[0].startswith("Renamed to:")):
        yield Finding(page.url, "stub-page", f"'{page.title}'")
    for tag, link in page.links:
        target = resolve(page.url, link)
        if target is None:
            continue
        path, fragment = target
        if path.endswith("/") or path == "":
            exists = path in by_url or path in redirects or (path + "index.html") in files
        else:
            exists = path in files or (path + "/index.html") in files
        if not exists:
            yield Finding(page.url, "broken-link", f"{tag} '{link}'")
        elif fragment and tag == "a":
            landing = by_url.get(path) or by_url.get(path + "/")
            if landing is not None and fragment not in landing.ids:
                yield Finding(page.url, "broken-fragment", f"'{link}'")
    for title in page.source_broken_anchors:
        yield Finding(page.url, "source-anchor", title)


# --- the nav ---------------------------------------------------------------------------------

def merged_nav(pages: list[PageFacts]) -> dict[str | None, list[NavItem]]:
    """The whole nav from the pruned one each page shows: each item's children where a page shows them.

    Keyed by the parent's site path (None for the top level); each value is in nav order.
    """
    children: dict[str | None, list[NavItem]] = {}

    def visit(items: list[NavItem], parent: str | None) -> None:
        if items and (parent not in children or len(items) > len(children[parent])):
            children[parent] = items
        for item in items:
            if item.children:
                visit(item.children, item.url)

    for page in pages:
        visit(page.nav, None)
    return children


def _nav_findings(nav: dict[str | None, list[NavItem]], export: ExportFacts) -> list[Finding]:
    findings: list[Finding] = []
    placed: dict[str, tuple[str | None, int, str]] = {}  # url -> (parent url, position, label)
    for parent, items in nav.items():
        for position, item in enumerate(items):
            if item.url is not None:
                placed.setdefault(item.url, (parent, position, item.label))
    known = {_words(title) for title in
             [*export.titles.values(), *(label for _, label, _ in export.navigation), *export.generated_titles]}
    for parent, items in nav.items():
        for item in items:
            if _words(item.label) not in known:
                findings.append(Finding(item.url or "nav", "nav-label", f"'{item.label}' is no doc's title or label"))
    findings += _navigation_doc_order(placed, nav, export)
    findings += _weight_order(nav, export)
    return findings


def _navigation_doc_order(placed: dict[str, tuple[str | None, int, str]], nav: dict[str | None, list[NavItem]],
                          export: ExportFacts) -> list[Finding]:
    """Each navigation-doc entry is in the nav with its label, under its nearest listed ancestor, in order.

    A plain label with entries under it is a section of that label (the sync writes its page).
    """
    findings: list[Finding] = []
    ancestors: list[tuple[int, str | None]] = []
    last_position: dict[str | None, tuple[int, str]] = {}
    for depth, label, url in export.navigation:
        while ancestors and ancestors[-1][0] >= depth:
            ancestors.pop()
        parent_url = ancestors[-1][1] if ancestors else None
        if url is None:
            section = next((item.url for item in nav.get(parent_url, []) if _words(item.label) == _words(label)), None)
            ancestors.append((depth, section or parent_url))
            continue
        if url not in export.titles:
            ancestors.append((depth, parent_url))
            continue  # a doc not in the export (the sync reports those)
        if url not in placed:
            findings.append(Finding(url, "nav-missing", f"navigation doc entry '{label}' is not in the nav"))
            continue
        parent, position, shown = placed[url]
        expected_parent = ancestors[-1][1] if ancestors else None
        if _words(shown) != _words(label):
            findings.append(Finding(url, "nav-label", f"the nav shows '{shown}', the navigation doc '{label}'"))
        if expected_parent is not None and parent != expected_parent and expected_parent in placed:
            findings.append(Finding(url, "nav-order", f"'{label}' is under '{parent}', the navigation doc puts it "
                                                      f"under '{expected_parent}'"))
        elif parent in last_position and position < last_position[parent][0]:
            findings.append(Finding(url, "nav-order", f"'{label}' comes before '{last_position[parent][1]}' in the "
                                                      "nav, after it in the navigation doc"))
        last_position[parent] = (position, label)
        ancestors.append((depth, url))
    return findings


def _weight_order(nav: dict[str | None, list[NavItem]], export: ExportFacts) -> list[Finding]:
    """Siblings that the navigation doc does not place come in the order of their menu weights."""
    listed = {url for _, _, url in export.navigation if url}
    findings = []
    for items in nav.values():
        weighted = [(export.weights[item.url], item) for item in items
                    if item.url in export.weights and item.url not in listed]
        for (before, first), (after, second) in zip(weighted, weighted[1:]):
            if after < before:
                findings.append(Finding(second.url or "nav", "nav-order",
                                        f"'{second.label}' (weight {after:g}) comes after '{first.label}' "
                                        f"(weight {before:g})"))
    return findings


def _words(text: str) -> str:
    """Text as a page shows it: runs of spaces are one."""
    return " ".join(text.split())


def _around(text: str, where: int, width: int = 40) -> str:
    return " ".join(text[max(0, where - width // 2):where + width].split())


