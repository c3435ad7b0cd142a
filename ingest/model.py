"""The small value types passed between the stages of a sync.

Like MkDocs' ``structure`` package: each stage takes these and returns new ones
(``dataclasses.replace``), nothing is mutated behind a caller's back, and every
path is a '/'-separated string relative to the export (``source``) or to the
docs_dir (``dest``).
"""

from __future__ import annotations

import dataclasses
import enum
import re
from dataclasses import dataclass, field
from typing import Any, Iterator


class Severity(str, enum.Enum):
    """How bad a problem is."""

    WARNING = "warning"
    """The site builds; something was guessed, repaired or left out of the nav."""

    ERROR = "error"
    """Something was lost: a document could not be read and is not in the site."""


@dataclass(frozen=True)
class Problem:
    """One thing the user should know about, tied to a file and, where known, a line."""

    file: str
    """Path relative to the export root ('/'-separated), or '' for the export as a whole."""

    line: int | None
    """1-based line in the file, or None when the problem is not tied to a line."""

    kind: str
    """A short stable code, e.g. 'invalid-yaml', 'missing-parent', 'unknown-shortcode'."""

    message: str
    """What is wrong and what to do, quoting the bad value."""

    severity: Severity = Severity.WARNING
    """Whether the site lost something (error) or only needed help (warning)."""

    def __str__(self) -> str:
        where = self.file or "export"
        if self.line:
            where = f"{where}:{self.line}"
        return f"{self.severity.value.upper()}: {where}: {self.message} [{self.kind}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "kind": self.kind,
            "severity": self.severity.value,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        """The inverse of ``to_dict`` (problems are kept in the manifest for a sync with nothing to do)."""
        return cls(str(data.get("file", "")), data.get("line"), str(data.get("kind", "")), str(data.get("message", "")),
                   Severity(data.get("severity", "warning")))


@dataclass(frozen=True)
class Document:
    """A Google Doc as exported by wikiGDrive, carried through the pipeline."""

    source: str
    """Path of the exported file relative to the export root, '/'-separated."""

    meta: dict[str, Any]
    """Front matter (unknown keys kept). Stages add derived keys but never drop any."""

    body: str
    """Markdown body without the front matter, LF line endings."""

    body_line: int = 1
    """Line of the exported file on which ``body`` starts, to report problems by file line."""

    fixes: tuple[str, ...] = ()
    """Names of the text fixes that changed this document, in the order applied."""

    dest: str = ""
    """Path of the page in the docs_dir, set by the nav stage."""

    encoding: str = "utf-8"
    """The encoding the file was decoded from."""

    meta_lines: dict[str, int] = field(default_factory=dict)
    """File line of each front matter key (nested keys by their own name, e.g. 'parent')."""

    @property
    def id(self) -> str:
        """The Drive id from front matter (always set: the reader derives one from the path)."""
        return str(self.meta.get("id", ""))

    @property
    def title(self) -> str:
        return str(self.meta.get("title", ""))

    @property
    def menu(self) -> dict[str, Any]:
        """``menu.main`` from the front matter, or an empty dict."""
        menu = self.meta.get("menu")
        main = menu.get("main") if isinstance(menu, dict) else None
        return main if isinstance(main, dict) else {}

    @property
    def menu_parent(self) -> str | None:
        parent = self.menu.get("parent")
        return str(parent) if parent not in (None, "") else None

    @property
    def menu_weight(self) -> Any:
        """The raw ``menu.main.weight`` value (validated by the nav stage)."""
        return self.menu.get("weight")

    @property
    def redirect_to(self) -> str | None:
        """The Drive id this stub redirects to (wikiGDrive writes one after a rename)."""
        target = self.meta.get("redirectTo")
        return str(target) if target else None

    @property
    def is_redirect_stub(self) -> bool:
        """A stub wikiGDrive left where a renamed or moved doc was: ``redirectTo``, or a rename placeholder."""
        return self.redirect_to is not None or self.is_rename_placeholder

    @property
    def is_rename_placeholder(self) -> bool:
        """Current wikiGDrive marks a renamed doc with a doc titled ``Redirect to: X`` (``Conflict: Redirect
        to: X`` when two docs took the name) whose body is ``Renamed to: [X](x.md)``, without ``redirectTo``."""
        return bool(_PLACEHOLDER_TITLE_RE.match(self.title)) and _PLACEHOLDER_BODY_RE.match(self.body) is not None

    @property
    def is_conflict_placeholder(self) -> bool:
        return self.is_rename_placeholder and self.title.startswith("Conflict:")

    @property
    def redirect_url(self) -> str | None:
        """Where a stub says its doc went, as a path relative to the stub: its ``url``, else a placeholder's link."""
        url = self.meta.get("url")
        if isinstance(url, str) and url.strip():
            return url.strip()
        match = _PLACEHOLDER_BODY_RE.match(self.body) if self.is_rename_placeholder else None
        return match.group("target").strip("<>") if match else None

    @property
    def is_clash_copy(self) -> bool:
        """wikiGDrive names the second of two docs with one name ``name@1.md``."""
        stem = self.source.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return "@" in stem and stem.rsplit("@", 1)[1].isdigit()

    def line_of(self, body_offset_line: int) -> int:
        """File line of a 1-based line of ``body``."""
        return self.body_line + body_offset_line - 1

    def with_fix(self, name: str, body: str) -> Document:
        """Return a copy with a new body, recording the fix when it changed anything."""
        if body == self.body:
            return self
        return dataclasses.replace(self, body=body, fixes=self.fixes + (name,))


@dataclass(frozen=True)
class Asset:
    """A file copied as it is: images, SVG drawings, anything in ``*.assets/``."""

    source: str
    """Path relative to the export root; also its path in the docs_dir."""

    size: int = 0
    mtime_ns: int = 0
    """When the export's file was last written, as read (0: not known), to tell a new download from the last."""


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


@dataclass(frozen=True)
class NavigationDocument:
    """The navigation document at the export root (``navigation.md``): the nav editors laid out in Drive."""

    source: str
    """Its path in the export."""

    text: str
    """Its body: a nested list of links. Its front matter is not the nav (wikiGDrive lists every
    doc's path there, as ``links:``)."""

    first_line: int = 1
    """The file line the body starts on, to report an entry by its line."""

    entries: tuple[NavigationEntry, ...] = ()
    """The body's entries, in order (``ingest.read.navigation.parse_navigation``)."""


@dataclass
class NavNode:
    """One entry of the navigation tree: a page, or a section with its own page."""

    title: str
    """What the nav shows."""

    dest: str | None = None
    """The page's path in the docs_dir, or None for the root."""

    doc_id: str | None = None
    """Id of the document behind the page; None for generated pages and the root."""

    children: list[NavNode] = field(default_factory=list)
    parent: NavNode | None = field(default=None, repr=False, compare=False)

    sort_key: tuple[Any, ...] = field(default=(), repr=False, compare=False)
    """Where the node goes among its siblings (set by the nav stage)."""

    def walk(self) -> Iterator[NavNode]:
        """Every node below this one, depth first, in nav order."""
        for child in self.children:
            yield child
            yield from child.walk()

    def to_mkdocs(self) -> list[Any]:
        """The nested list MkDocs' ``nav`` setting accepts, for this node's children."""
        items: list[Any] = []
        for child in self.children:
            if child.children:
                items.append({child.title: [child.dest, *child.to_mkdocs()]})
            else:
                items.append({child.title: child.dest})
        return items

    def __str__(self) -> str:
        """An indented tree, one node a line, so tests compare it with a dedented string."""
        return "\n".join(self._lines(0))

    def _lines(self, depth: int) -> Iterator[str]:
        for child in self.children:
            yield f"{'    ' * depth}{child.title} ({child.dest})"
            yield from child._lines(depth + 1)


_PLACEHOLDER_TITLE_RE = re.compile(r"^(?:Conflict:\s*)?Redirect to:", re.IGNORECASE)
_PLACEHOLDER_BODY_RE = re.compile(r"\A\s*Renamed to:\s*\[[^\]]*\]\((?P<target><[^>]*>|[^)\s]+)[^)]*\)", re.IGNORECASE)


def shorten(text: str, limit: int = 80) -> str:
    """Text quoted in a message: on one line, and cut with '…' past ``limit`` characters.

    >>> shorten("a  long\\n text", 8), shorten("short")
    ('a long …', 'short')
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def problem_order(problem: Problem) -> tuple[Any, ...]:
    return (problem.file, problem.line or 0, problem.kind, problem.message)
