"""MkDocs' listing of the docs_dir's and the theme's files, made quicker for the build's listing.

At the start of every build MkDocs 1.6.1 lists the files (``get_files``, then
``Files.add_files_from_theme``): on a whole export that is 9,400 docs_dir files and, through Jinja,
every file of the theme's folders. Two things in it cost a tenth of a second of a build that changes one
page, and of every `mkdocs serve` rebuild, for nothing a site needs:

- **Each path made a ``PurePath``**: ``File``'s ``src_path`` setter normalises the path it is given
  (``PurePath(value).as_posix()``, 3 µs). The paths ``get_files`` gives are already normal but for a
  leading ``./``; a path that is (:func:`posix_path` checks) is taken as it is.
- **The theme's hidden folders walked**: Jinja lists every file under each theme folder, and MkDocs
  then drops, with ``fnmatch``, each path one of whose parts starts with a dot (its patterns ``.*`` and
  ``*/.*``). Material keeps its 14,500 icons in the hidden ``.icons`` folder of its templates: 55 ms
  of walking and matching, for a few hundred files kept. MkDocs' own method runs with a view of the
  theme's environment whose ``list_templates`` walks no hidden folder and lists no hidden file, which
  is all MkDocs' filter would drop of them; its filter still decides the rest.

The files listed are the same, in the same order. Both are in place from :meth:`FilesListing.install`
(``on_config``) to :meth:`FilesListing.remove` (``on_files``, the next event), on POSIX (where
``PurePath`` is ``PurePosixPath``) with MkDocs 1.6.1; the theme's view only over the environment
MkDocs 1.6.1 makes (a Jinja ``FileSystemLoader``). Otherwise MkDocs lists the files itself.
"""

from __future__ import annotations

import operator
import os
from pathlib import PurePath
from typing import Any, Callable

#: The MkDocs version this was written against: ``File.src_path``'s setter normalises with ``PurePath``,
#: and ``Files.add_files_from_theme`` asks the environment for ``list_templates(filter_func=...)`` only.
SUPPORTED_MKDOCS = frozenset({"1.6.1"})


def posix_path(value: Any) -> str:
    """``PurePath(value).as_posix()`` on POSIX, without making a ``PurePath`` where ``value`` is already normal.

    >>> posix_path("./guide/index.md"), posix_path("a//b/./c/"), posix_path("a/../b.png")
    ('guide/index.md', 'a/b/c', 'a/../b.png')
    """
    if type(value) is str:
        path = value.removeprefix("./")
        if (path and path[0] != "/" and path != "." and not path.startswith("./") and not path.endswith(("/", "/."))
                and "//" not in path and "/./" not in path):
            return path
    return PurePath(value).as_posix()


def list_visible_templates(searchpath: list[str], followlinks: bool = False) -> list[str]:
    """What Jinja's ``FileSystemLoader(searchpath).list_templates()`` lists, but the paths with a part that
    starts with a dot (whose folders are not walked): sorted, each path once, ``/``-separated."""
    found: set[str] = set()
    for root in searchpath:
        for folder, folders, names in os.walk(root, followlinks=followlinks):
            folders[:] = [name for name in folders if not name.startswith(".")]
            prefix = os.path.relpath(folder, root).replace(os.path.sep, "/")
            prefix = "" if prefix == "." else prefix + "/"
            found.update(prefix + name for name in names if not name.startswith("."))
    return sorted(found)


class _VisibleListing:
    """The theme's Jinja environment as ``Files.add_files_from_theme`` asks it: ``list_templates`` lists the
    files of no hidden folder."""

    def __init__(self, env: Any) -> None:
        self.env = env

    def list_templates(self, extensions: Any = None, filter_func: Callable[[str], bool] | None = None) -> list[str]:
        if extensions is not None or filter_func is None:  # not how MkDocs asks: Jinja answers
            return self.env.list_templates(extensions, filter_func)
        names = list_visible_templates(list(self.env.loader.searchpath), self.env.loader.followlinks)
        return [name for name in names if filter_func(name)]


class FilesListing:
    """MkDocs' ``File.src_path`` setter through :func:`posix_path`, and its ``Files.add_files_from_theme``
    given :class:`_VisibleListing` of its environment, from :meth:`install` to :meth:`remove`; outside
    that, and where they do not apply, MkDocs' own."""

    def __init__(self) -> None:
        self.originals: tuple[Any, Callable[..., None]] | None = None

    def install(self) -> None:
        import jinja2
        import mkdocs
        from mkdocs.structure.files import File, Files

        if mkdocs.__version__ not in SUPPORTED_MKDOCS or os.sep != "/" or self.originals is not None:
            return
        src_path, add_files_from_theme = File.__dict__["src_path"], Files.add_files_from_theme

        def set_src_path(file: Any, value: str) -> None:
            file.src_uri = posix_path(value)

        def add_theme_files(files: Any, env: Any, config: Any) -> None:
            if type(env.loader) is jinja2.FileSystemLoader:
                env = _VisibleListing(env)
            add_files_from_theme(files, env, config)

        add_theme_files.__doc__ = add_files_from_theme.__doc__
        self.originals = (src_path, add_files_from_theme)
        File.src_path = src_path.setter(set_src_path)  # type: ignore[method-assign]
        Files.add_files_from_theme = add_theme_files  # type: ignore[method-assign]

    def remove(self) -> None:
        from mkdocs.structure.files import File, Files

        if self.originals is not None:
            File.src_path, Files.add_files_from_theme = self.originals  # type: ignore[method-assign]
            self.originals = None


class DocumentationPages:
    """MkDocs' ``Files.documentation_pages`` answered from the last answer while the files are the same.

    A build asks for the Markdown pages a dozen times (the nav, each loop over the pages, each template's
    context, the plugins), and each time MkDocs asks every one of the 9,400 files of a whole export whether
    it is a page: 2-4 ms a time, 20-40 ms of a build that changes one page. Here the pages found are kept on
    the ``Files`` with its files, in order: while the very same files are there (compared by identity), the
    pages are the ones kept and only the inclusion asked for is checked again. A file added, removed,
    replaced or moved in the order is a new listing. (A file's being a page is told by its ``src_uri``,
    which is also its key in the ``Files``: a file that changes it in place is not supported by MkDocs.)

    In place from :meth:`install` (``on_config``) to :meth:`remove` (the end of the build); with MkDocs 1.6.1
    (whose ``Files`` keeps its files in the dict ``_src_uris``) only, otherwise MkDocs' own.
    """

    def __init__(self) -> None:
        self.original: Callable[..., Any] | None = None

    def install(self) -> None:
        import mkdocs
        from mkdocs.structure.files import Files, InclusionLevel

        if (mkdocs.__version__ not in SUPPORTED_MKDOCS or self.original is not None
                or getattr(Files.documentation_pages, "ingest_kept", False)):  # another build's, still in place
            return
        original = Files.documentation_pages

        def documentation_pages(files: Any, *, inclusion: Callable[[Any], bool] = InclusionLevel.is_included) -> Any:
            listing = files.__dict__.get("_src_uris")
            if type(listing) is not dict:  # not the Files MkDocs 1.6.1 makes
                return original(files, inclusion=inclusion)
            kept = files.__dict__.get("_ingest_pages")
            if kept is None or len(kept[0]) != len(listing) or not all(map(operator.is_, listing.values(), kept[0])):
                held = list(listing.values())
                kept = files.__dict__["_ingest_pages"] = (held, [file for file in held if file.is_documentation_page()])
            return [file for file in kept[1] if inclusion(file.inclusion)]

        documentation_pages.__doc__ = original.__doc__
        documentation_pages.ingest_kept = True  # type: ignore[attr-defined]
        self.original = original
        Files.documentation_pages = documentation_pages  # type: ignore[method-assign]

    def remove(self) -> None:
        from mkdocs.structure.files import Files

        if self.original is not None:
            Files.documentation_pages = self.original  # type: ignore[method-assign]
            self.original = None
