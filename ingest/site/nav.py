"""Stage 3, nav: place every document in the navigation tree and give it its page path.

Each doc is placed by the first source that knows it:

1. the navigation document at the export root (``navdoc``) (``navigation.md`` or
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

from ingest.files import HOME_NAMES, SECTION_NAMES, page_dest, page_url, safe_path, section_dest
from ingest.model import Document, NavigationDocument, NavNode, Problem, Severity
from ingest.read.meta import menu_weight
from ingest.site.navdoc import entry_doc
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
        home = [{HOME_TITLE: HOME_DEST}]
        return _escaped_titles(home + self.root.to_mkdocs())


@dataclass(frozen=True)
class FolderKey:
    """A nav node for a folder that no doc stands for: a section with a generated page."""

    folder: str

    def __str__(self) -> str:
        return f"dir:{self.folder}"  # how nodes sort: a folder before the docs in it, as it always has


@dataclass(frozen=True)
class LabelKey:
    """A nav node for a navigation-doc label without a link but with entries under it: a generated section."""

    position: int
    """The entry's position in the navigation doc."""

    title: str

    def __str__(self) -> str:
        return f"nav:{self.position}:{self.title}"


#: The home page's page path and its label: the nav's first entry, the page's heading and its tab title
#: (wikiGDrive names the home doc after its file, ``_index``).
HOME_DEST, HOME_TITLE = "index.md", "Home"

#: What a nav node stands for: a doc (its source path), a folder or a navigation-doc label.
NodeKey = str | FolderKey | LabelKey


@dataclass
class _Placement:
    parent: NodeKey | None
    """The node it goes under, None for the top level."""

    order: tuple[Any, ...]
    how: str


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
    placements: dict[NodeKey, _Placement] = {}
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
                     redirects: dict[str, str], problems: list[Problem]) -> tuple[dict[NodeKey, _Placement], dict[str, str]]:
    """Placements from the navigation document, and the label it gives each doc it places.

    An entry that points to a redirect stub places the stub's target; an entry whose doc is not in
    the export is reported and left out, and the entries under it go under its nearest ancestor.
    A plain label with nothing under it leads nowhere and is left out too.
    """
    placements: dict[NodeKey, _Placement] = {}
    labels: dict[str, str] = {}
    stack: list[tuple[int, NodeKey | None]] = []
    entries = navigation.entries
    for position, entry in enumerate(entries):
        while stack and stack[-1][0] >= entry.depth:
            stack.pop()
        parent = stack[-1][1] if stack else None
        line = navigation.first_line + entry.line - 1
        doc = entry_doc(entry.target, by_source, by_id, redirects) if entry.target is not None else None
        key: NodeKey | None
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
                key = LabelKey(position, entry.title)
                placements[key] = _Placement(parent, (0, position), "navigation")
        else:
            problems.append(Problem(navigation.source, line, "navigation-entry",
                                    f"Navigation entry '{entry.title}' links to '{entry.target}', which is not a doc "
                                    "in this export; it was left out of the nav (the entries under it moved up a "
                                    "level). Fix the link in the navigation doc, or export the doc."))
            key = parent
        stack.append((entry.depth, key))
    return placements, labels


def _folder_parent(source: str, by_source: dict[str, Document]) -> NodeKey | None:
    """The section a doc belongs to by the folder tree: the doc or folder standing for its folder."""
    folder, name = posixpath.split(source)
    if name in SECTION_NAMES:
        folder = posixpath.dirname(folder)
    if not folder:
        return None
    for candidate in (f"{folder}.md", f"{folder}.txt", *(posixpath.join(folder, n) for n in SECTION_NAMES)):
        if candidate in by_source and candidate != source:
            return candidate
    return FolderKey(folder)


def _break_cycles(placements: dict[NodeKey, _Placement], problems: list[Problem]) -> None:
    for start in sorted(placements, key=str):
        seen = [start]
        node = placements[start].parent
        while node is not None and node in placements:
            if node in seen:
                culprit = seen[-1]
                problems.append(Problem(str(culprit), None, "parent-cycle",
                                        f"Doc '{culprit}': its menu parents form a cycle ({' -> '.join(map(str, seen + [node]))}); "
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
              placements: dict[NodeKey, _Placement], by_source: dict[str, Document], folder_titles: dict[str, str],
              labels: dict[str, str], problems: list[Problem]) -> Navigation:
    nodes: dict[NodeKey, NavNode] = {}

    def node_for(key: NodeKey | None) -> NavNode:
        if key is None:
            return root
        if key in nodes:
            return nodes[key]
        if isinstance(key, FolderKey):
            folder = key.folder
            node = NavNode(title=folder_titles.get(folder) or title_from_name(posixpath.basename(folder)))
            nodes[key] = node
            parent_key = _folder_parent(folder + "/_index.md", by_source)
            parent = node_for(parent_key)
            node.sort_key = (1, 0.0, node.title.casefold(), folder)
        elif isinstance(key, LabelKey):
            node = NavNode(title=key.title)
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

    for key in sorted(placements, key=str):
        node_for(key)
    for node in [root, *nodes.values()]:
        node.children.sort(key=lambda child: child.sort_key)

    navigation = Navigation(root=root, problems=problems)
    taken: dict[str, str] = {}  # page URL -> what has it (a source path, or a folder's key)
    if home is not None:
        navigation.dest_by_source[home.source] = HOME_DEST
        taken[page_url(HOME_DEST)] = home.source
    for key in sorted(nodes, key=str):
        node = nodes[key]
        if not isinstance(key, str):
            folder = key.folder if isinstance(key, FolderKey) else posixpath.join("_sections", _slug(node.title))
            dest = safe_path(posixpath.join(folder, "index.md"))
        else:
            dest = section_dest(key) if node.children else page_dest(key)
            if page_url(dest) in taken:
                dest = page_dest(key)
        if page_url(dest) in taken:
            problems.append(_clash_problem(key, taken[page_url(dest)], dest))
            node.parent.children.remove(node)  # type: ignore[union-attr]
            continue
        taken[page_url(dest)] = str(key)
        node.dest = dest
        if not isinstance(key, str):
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
        navigation.generated.append(GeneratedPage(HOME_DEST, root.title, root))
    return navigation


def _clash_problem(key: NodeKey, holder: str, dest: str) -> Problem:
    """Two docs (or folders) would be one page: the second is left out."""
    if not isinstance(key, str):
        what = key.folder if isinstance(key, FolderKey) else key.title
        return Problem("", None, "path-clash", f"Folder '{what}' and '{holder}' would both be the page '{dest}'; "
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


def title_from_name(name: str) -> str:
    """A folder's nav title from its name, when Drive gives none: `fee-schedules` is "Fee schedules"."""
    return name.replace("-", " ").replace("_", " ").strip().capitalize() or name


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"
