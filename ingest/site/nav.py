"""Stage 5: place every document in the navigation tree and give it its page path.

Each doc is placed by the first source that knows it:

1. the navigation document at the export root (``navigation.md`` or
   ``.navigation.md``: the nested list of links of its body, read as CommonMark), in its
   order and with its labels;
2. its ``menu.main.parent`` and ``weight``;
3. the folder tree: a folder ``x/`` and its sibling ``x.md`` (or ``x/_index.md``)
   are one section whose page is ``x.md``.

Siblings are sorted by (weight, title, path); a doc without a weight counts as
weight 0, so it comes before weighted siblings. A doc with children becomes a
section whose page is ``<name>/index.md`` (same URL), so Material's
``navigation.indexes`` makes it clickable. Folders with no page of their own get
a generated one listing their children.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ingest.files import HOME_NAMES, SECTION_NAMES, page_dest, page_url, safe_path, section_dest
from ingest.markup import parser, plain_text
from ingest.model import Document, NavigationDocument, NavNode, Problem, Severity
from ingest.read.meta import menu_weight
from ingest.transform.links import google_id
from ingest.transform.policy import escape_text


@dataclass
class GeneratedPage:
    """A page the sync writes itself: the home page or a folder's section page, listing its node's children."""

    dest: str
    title: str
    node: NavNode


@dataclass
class Navigation:
    """The placed site: its tree, each document's page path, and generated pages."""

    root: NavNode
    dest_by_source: dict[str, str] = field(default_factory=dict)
    node_by_source: dict[str, NavNode] = field(default_factory=dict)
    generated: list[GeneratedPage] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def children_of(self, source: str) -> list[NavNode]:
        node = self.node_by_source.get(source)
        return list(node.children) if node else []

    def node_titled(self, title: str) -> NavNode | None:
        """The first node in nav order whose title is ``title`` (case aside)."""
        wanted = title.strip().casefold()
        return next((node for node in self.root.walk() if node.title.strip().casefold() == wanted), None)

    def to_mkdocs(self) -> list[Any]:
        """MkDocs' ``nav``: the home page first, then the tree; titles escaped, as the theme writes them as HTML."""
        home = [{"Home": "index.md"}]
        return _escaped_titles(home + self.root.to_mkdocs())


@dataclass
class _Placement:
    parent: str | None  # source path of the parent doc, a 'dir:' folder key, or None for the root
    order: tuple[Any, ...]
    how: str


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


def _weight(doc: Document, problems: list[Problem]) -> float:
    raw = doc.menu_weight
    if raw is None or raw == "":
        return 0.0
    weight = menu_weight(raw)
    if weight is None:
        problems.append(Problem(doc.source, doc.meta_lines.get("weight"), "invalid-weight",
                                f"Doc '{doc.source}': menu weight '{raw}' is not a number; it is sorted as 0."))
        return 0.0
    return weight


def build_navigation(docs: list[Document], folder_titles: dict[str, str],
                     navigation: NavigationDocument | None = None, site_title: str | None = None,
                     top_level: frozenset[str] = frozenset(), redirects: dict[str, str] | None = None) -> Navigation:
    """Place ``docs`` (pages only: no redirect stubs) and return the tree and page paths.

    Docs in ``top_level`` (FAQ pages) go to the end of the top level unless the
    navigation document places them. ``redirects`` maps each redirect stub's source to the
    source of the doc it leads to, for navigation entries that still link to a stub.
    """
    problems: list[Problem] = []
    docs = sorted(docs, key=lambda d: d.source)
    by_source = {doc.source: doc for doc in docs}
    by_id: dict[str, Document] = {}
    for doc in docs:
        if doc.id in by_id:
            problems.append(Problem(doc.source, doc.meta_lines.get("id"), "duplicate-id",
                                    f"Doc '{doc.source}' has the same id '{doc.id}' as '{by_id[doc.id].source}'; "
                                    f"links and children by id go to '{by_id[doc.id].source}'. "
                                    "Remove one copy from the Drive folder, or re-export."))
        else:
            by_id[doc.id] = doc

    home = next((by_source[name] for name in HOME_NAMES if name in by_source), None)
    title = site_title or (home.title if home else folder_titles.get("", "Home"))
    root = NavNode(title=title, dest=None)
    placements: dict[str, _Placement] = {}
    labels: dict[str, str] = {}

    if navigation is not None:
        found, labels = _from_navigation(navigation, by_source, by_id, redirects or {}, problems)
        placements.update(found)

    copies = [doc for doc in docs if doc.is_clash_copy and _clash_original(doc.source) in by_source]
    pages = [doc for doc in docs if doc is not home and doc not in copies]
    for doc in pages:
        if doc.source in placements:
            continue
        weight = _weight(doc, problems)
        key = (1, weight, doc.title.casefold(), doc.source)
        parent_id = doc.menu_parent
        if doc.source in top_level:
            placements[doc.source] = _Placement(None, (3, 0.0, doc.title.casefold(), doc.source), "top-level")
        elif parent_id is not None:
            parent = by_id.get(parent_id)
            if parent is None:
                problems.append(Problem(doc.source, doc.meta_lines.get("parent"), "missing-parent",
                                        f"Doc '{doc.source}': menu parent '{parent_id}' is not in this export; "
                                        "the doc is shown at the top level."))
                placements[doc.source] = _Placement(None, key, "menu")
            elif parent is doc:
                problems.append(Problem(doc.source, doc.meta_lines.get("parent"), "parent-cycle",
                                        f"Doc '{doc.source}' is its own menu parent; it is shown at the top level. "
                                        "Set its parent to another doc in its menu settings."))
                placements[doc.source] = _Placement(None, key, "menu")
            elif parent is home:
                placements[doc.source] = _Placement(None, key, "menu")
            else:
                placements[doc.source] = _Placement(parent.source, key, "menu")
        else:
            placements[doc.source] = _Placement(_folder_parent(doc.source, by_source), key, "folder")

    _break_cycles(placements, problems)
    return _assemble(root, home, pages, copies, placements, by_source, folder_titles, labels, problems)


def _from_navigation(navigation: NavigationDocument, by_source: dict[str, Document], by_id: dict[str, Document],
                     redirects: dict[str, str], problems: list[Problem]) -> tuple[dict[str, _Placement], dict[str, str]]:
    """Placements from the navigation document, and the label it gives each doc it places.

    An entry that points to a redirect stub places the stub's target; an entry whose doc is not in
    the export is reported and left out, and the entries under it go under its nearest ancestor.
    A plain label with nothing under it leads nowhere and is left out too.
    """
    placements: dict[str, _Placement] = {}
    labels: dict[str, str] = {}
    stack: list[tuple[int, str | None]] = []
    entries = parse_navigation(navigation.text)
    for position, entry in enumerate(entries):
        while stack and stack[-1][0] >= entry.depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        line = navigation.first_line + entry.line - 1
        doc = entry_doc(entry.target, by_source, by_id, redirects) if entry.target is not None else None
        key: str | None
        if doc is not None:
            if doc.source not in placements:
                placements[doc.source] = _Placement(parent, (0, position), "navigation")
                labels[doc.source] = entry.title
            key = doc.source
        elif entry.target is None:
            following = entries[position + 1] if position + 1 < len(entries) else None
            if following is None or following.depth <= entry.depth:
                problems.append(Problem(navigation.source, line, "navigation-entry",
                                        f"Navigation entry '{entry.title}' links to no doc and has no entries under "
                                        "it; it was left out of the nav. Link it to a doc, or delete it."))
                key = parent
            else:
                key = f"nav:{position}:{entry.title}"
                placements[key] = _Placement(parent, (0, position), "navigation")
        else:
            problems.append(Problem(navigation.source, line, "navigation-entry",
                                    f"Navigation entry '{entry.title}' links to '{entry.target}', which is not a doc "
                                    "in this export; it was left out of the nav (the entries under it moved up a "
                                    "level). Fix the link in the navigation doc, or export the doc."))
            key = parent
        stack.append((entry.depth, key))
    return placements, labels


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


def _folder_parent(source: str, by_source: dict[str, Document]) -> str | None:
    """The section a doc belongs to by the folder tree: the doc or folder standing for its folder."""
    folder, name = posixpath.split(source)
    if name in SECTION_NAMES:
        folder = posixpath.dirname(folder)
    if not folder:
        return None
    for candidate in (f"{folder}.md", f"{folder}.txt", *(posixpath.join(folder, n) for n in SECTION_NAMES)):
        if candidate in by_source and candidate != source:
            return candidate
    return f"dir:{folder}"


def _break_cycles(placements: dict[str, _Placement], problems: list[Problem]) -> None:
    for start in sorted(placements):
        seen = [start]
        node = placements[start].parent
        while node is not None and node in placements:
            if node in seen:
                culprit = seen[-1]
                problems.append(Problem(culprit, None, "parent-cycle",
                                        f"Doc '{culprit}': its menu parents form a cycle ({' -> '.join(seen + [node])}); "
                                        "it is shown at the top level. Fix the parent in the menu of one of these docs."))
                placements[culprit] = _Placement(None, placements[culprit].order, placements[culprit].how)
                break
            seen.append(node)
            node = placements[node].parent


def _clash_original(source: str) -> str:
    """The doc a ``name@1.md`` copy clashes with: ``name.md``.

    >>> _clash_original("a/codes@1.md")
    'a/codes.md'
    """
    stem, ext = posixpath.splitext(source)
    return stem.rsplit("@", 1)[0] + ext


def _assemble(root: NavNode, home: Document | None, pages: list[Document], copies: list[Document],
              placements: dict[str, _Placement], by_source: dict[str, Document], folder_titles: dict[str, str],
              labels: dict[str, str], problems: list[Problem]) -> Navigation:
    nodes: dict[str, NavNode] = {}

    def node_for(key: str | None) -> NavNode:
        if key is None:
            return root
        if key in nodes:
            return nodes[key]
        if key.startswith("dir:"):
            folder = key[4:]
            node = NavNode(title=folder_titles.get(folder) or _title_from_name(posixpath.basename(folder)))
            nodes[key] = node
            parent_key = _folder_parent(folder + "/_index.md", by_source)
            parent = node_for(parent_key)
            node.sort_key = (1, 0.0, node.title.casefold(), folder)
        elif key.startswith("nav:"):
            node = NavNode(title=key.split(":", 2)[2])
            nodes[key] = node
            parent = node_for(placements[key].parent)
            node.sort_key = placements[key].order
        else:
            doc = by_source[key]
            node = NavNode(title=labels.get(key) or doc.title, doc_id=doc.id)
            nodes[key] = node
            placement = placements[key]
            parent = node_for(placement.parent if placement.parent != key else None)
            node.sort_key = placement.order
        node.parent = parent
        parent.children.append(node)
        return node

    for key in sorted(placements):
        node_for(key)
    for node in [root, *nodes.values()]:
        node.children.sort(key=lambda child: child.sort_key)

    navigation = Navigation(root=root, problems=problems)
    taken: dict[str, str] = {}  # page URL -> what has it
    if home is not None:
        navigation.dest_by_source[home.source] = "index.md"
        taken[page_url("index.md")] = home.source
    for key in sorted(nodes):
        node = nodes[key]
        if key.startswith(("dir:", "nav:")):
            folder = key[4:] if key.startswith("dir:") else posixpath.join("_sections", _slug(node.title))
            dest = safe_path(posixpath.join(folder, "index.md"))
        else:
            dest = section_dest(key) if node.children else page_dest(key)
            if page_url(dest) in taken:
                dest = page_dest(key)
        if page_url(dest) in taken:
            problems.append(_clash_problem(key, taken[page_url(dest)], dest))
            node.parent.children.remove(node)  # type: ignore[union-attr]
            continue
        taken[page_url(dest)] = key
        node.dest = dest
        if key.startswith(("dir:", "nav:")):
            navigation.generated.append(GeneratedPage(dest, node.title, node))
        else:
            navigation.dest_by_source[key] = dest
            navigation.node_by_source[key] = node
    for doc in copies:
        dest = page_dest(doc.source)
        if page_url(dest) in taken:
            problems.append(_clash_problem(doc.source, taken[page_url(dest)], dest))
            continue
        taken[page_url(dest)] = doc.source
        navigation.dest_by_source[doc.source] = dest
        problems.append(Problem(doc.source, None, "name-clash",
                                f"'{doc.source}' is a second doc named like '{_clash_original(doc.source)}' in Drive "
                                "(wikiGDrive added the '@'); its page is built but left out of the nav. Rename one "
                                "of the two docs in Drive."))
    if home is None:
        navigation.generated.append(GeneratedPage("index.md", root.title, root))
    return navigation


def _clash_problem(key: str, holder: str, dest: str) -> Problem:
    """Two docs (or folders) would be one page: the second is left out."""
    if key.startswith(("dir:", "nav:")):
        return Problem("", None, "path-clash", f"Folder '{key[4:]}' and '{holder}' would both be the page '{dest}'; "
                                               "the folder's generated page was left out. Rename one of them in Drive.")
    return Problem(key, None, "path-clash",
                   f"Doc '{key}' and '{holder}' would both be the page '{dest}' (one URL); '{key}' was left out of "
                   "the site. Rename one of them in Drive.", Severity.ERROR)


def _escaped_titles(items: list[Any]) -> list[Any]:
    """A MkDocs nav with every title passed through policy.escape_text.

    >>> _escaped_titles([{"<b>": ["a/index.md", {"x": "a/x.md"}]}])
    [{'&lt;b&gt;': ['a/index.md', {'x': 'a/x.md'}]}]
    """
    return [{escape_text(title): _escaped_titles(value) if isinstance(value, list) else value
             for title, value in item.items()} if isinstance(item, dict) else item for item in items]


def _title_from_name(name: str) -> str:
    return name.replace("-", " ").replace("_", " ").strip().capitalize() or name


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
