"""Where each file of the site is: one owner for paths and URLs, like MkDocs' ``File``.

Three kinds of path, all '/'-separated strings: a *source* is a file's path in the export, a
*dest* its path in the docs_dir, a *URL* the site path MkDocs gives it (directory URLs: the page
``a/b.md`` is ``a/b/``, ``a/index.md`` is ``a/``). Every stage asks here; none spells a rule of
its own. ``PagePath`` carries a dest with its URL for the code that needs both.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

#: Names of the export's home page, at its root.
HOME_NAMES = ("index.md", "_index.md", "index.txt", "_index.txt")
#: Names of a folder's own page, inside it.
SECTION_NAMES = ("_index.md", "index.md", "_index.txt", "index.txt")


#: Suffixes of the images a page can show (other files of the export are attachments, linked to).
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".ico", ".tif", ".tiff"})


@dataclass(frozen=True)
class PagePath:
    """A file of the docs_dir: its path there and its URL.

    >>> page = PagePath("a/README.md")
    >>> page.url, page.url_relative_to(PagePath("b/c.md")), page.relative_to("a/x.png")
    ('a/', '../../a/', 'x.png')
    """

    dest: str
    """Path in the docs_dir, '/'-separated."""

    @property
    def url(self) -> str:
        """The site path MkDocs gives it ('' for the home page)."""
        return page_url(self.dest)

    def url_relative_to(self, other: PagePath) -> str:
        """This page's URL as a link written on ``other``'s page (what a browser follows)."""
        relative = posixpath.relpath(self.url or ".", other.url or ".")
        return "./" if relative == "." else relative + "/"

    def relative_to(self, dest: str) -> str:
        """A Markdown link from this page's file to another file of the docs_dir (MkDocs makes it a URL)."""
        return relative_url(self.dest, dest)


def safe_path(path: str) -> str:
    """A docs_dir path every URL, HTML attribute and redirect can carry as it is.

    File names from Drive may hold '#', '?' and '%' (which end or escape a URL path)
    and '"', "'", '<', '>' (which end an HTML attribute; mkdocs-redirects writes the
    target into a script): each becomes '-'. Spaces and letters of any script stay.

    >>> safe_path('c#/what?100%.md'), safe_path('a "b" <c>.md'), safe_path("café/résumé.md")
    ('c-/what-100-.md', 'a -b- -c-.md', 'café/résumé.md')
    """
    return _UNSAFE_PATH_RE.sub("-", path)


_UNSAFE_PATH_RE = re.compile(r"[\"#%'<>?\\`\x00-\x1f\x7f]")


def page_dest(source: str) -> str:
    """The page path of a doc with no children: ``.txt`` becomes ``.md``.

    >>> page_dest("faq.txt")
    'faq.md'
    """
    stem, ext = posixpath.splitext(source)
    return safe_path(stem + ".md" if ext.lower() == ".txt" else source)


def source_url(source: str) -> str:
    """The URL a doc's page has, wherever the nav puts it (``x.md`` and ``x/index.md`` are both ``x/``).

    >>> source_url("a/b.md"), source_url("a/_index.md"), source_url("_index.md"), source_url("faq.txt")
    ('a/b/', 'a/', '', 'faq/')
    """
    name = posixpath.basename(source)
    return page_url(section_dest(source) if name in SECTION_NAMES else page_dest(source))


def page_url(dest: str) -> str:
    """The URL MkDocs gives a page path (directory URLs): two pages with one URL cannot both be built.

    >>> page_url("a/index.md"), page_url("a/README.md"), page_url("a.md"), page_url("index.md")
    ('a/', 'a/', 'a/', '')
    """
    stem = posixpath.splitext(dest)[0]
    if posixpath.basename(stem) in ("index", "README"):
        stem = posixpath.dirname(stem)
    return stem + "/" if stem else ""


def section_dest(source: str) -> str:
    """The page path of a doc with children: ``x.md`` becomes ``x/index.md`` (same URL).

    >>> section_dest("a/measures.md"), section_dest("a/b/_index.md")
    ('a/measures/index.md', 'a/b/index.md')
    """
    folder, name = posixpath.split(source)
    if name in SECTION_NAMES:
        return safe_path(posixpath.join(folder, "index.md"))
    return safe_path(posixpath.join(folder, posixpath.splitext(name)[0], "index.md"))


def relative_url(from_page: str, to_path: str) -> str:
    """A relative link from one docs_dir path to another, as MkDocs wants it.

    >>> relative_url("a/b/index.md", "a/c.md")
    '../c.md'
    >>> relative_url("a.md", "a.assets/x.png")
    'a.assets/x.png'
    >>> relative_url("a/b/c.md", "a/b"), relative_url("x/y.md", "x/y/z.md"), relative_url("ab/c.md", "a/d.md")
    ('.', 'y/z.md', '../a/d.md')
    """
    start = posixpath.normpath(posixpath.dirname(from_page) or ".")
    target = posixpath.normpath(to_path)
    if start.startswith(("/", "..")) or target.startswith(("/", "..")):
        return posixpath.relpath(target, start)
    # posixpath.relpath asks the OS for the working directory on every call (a third of this stage's
    # path work); docs_dir paths are relative and normalised, so the common prefix is all it takes.
    start_parts = [] if start == "." else start.split("/")
    target_parts = [] if target == "." else target.split("/")
    common = 0
    for a, b in zip(start_parts, target_parts):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(start_parts) - common) + target_parts[common:]) or "."


def encode_path(path: str) -> str:
    """Percent-encode what a URL path cannot hold as it is: '%', '#' and '?' in file names.

    >>> encode_path("c#/100%.assets/a?.png")
    'c%23/100%25.assets/a%3F.png'
    """
    return path.replace("%", "%25").replace("#", "%23").replace("?", "%3F")


def beside_docs_dir(out_dir: Path | str, suffix: str) -> Path:
    """A hidden file or folder the sync keeps beside a docs_dir, not in it (the docs_dir is swapped as a
    whole): ``.<docs_dir's name><suffix>``, e.g. ``.docs_src.ingest.lock``.

    >>> beside_docs_dir("/site/docs_src", ".ingest.lock").as_posix()
    '/site/.docs_src.ingest.lock'
    """
    out_dir = Path(out_dir).absolute()
    return out_dir.parent / f".{out_dir.name}{suffix}"
