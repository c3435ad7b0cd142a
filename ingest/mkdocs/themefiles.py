"""The theme's static files, listed as MkDocs lists them, without walking the hidden folders it then drops.

At every build MkDocs 1.6.1 adds the theme's static files (``Files.add_files_from_theme``): it has
Jinja list every file under each theme folder (an ``os.walk``), then drops with ``fnmatch`` each path
one of whose parts starts with a dot (its patterns ``.*`` and ``*/.*``), and the templates, Python
files and read-mes. Material keeps its 14,500 icons in the hidden ``.icons`` folder of its templates:
walking and matching them was 50 ms of every build and of every `mkdocs serve` rebuild, for a few
hundred files kept.

So for the build's listing (:meth:`ThemeListing.install` in ``on_config``, :meth:`ThemeListing.remove`
in ``on_files``, the next event), MkDocs' own method runs with a view of the theme's environment
whose ``list_templates`` walks no hidden folder and lists no hidden file, which is everything
MkDocs' filter would drop of them: the files added are the same, in the same order, and MkDocs'
filter still decides the rest. It applies to the environment MkDocs 1.6.1 makes (a Jinja
``FileSystemLoader`` over the theme's folders); with any other loader, or any other MkDocs version,
MkDocs lists the files itself.
"""

from __future__ import annotations

import os
from typing import Any, Callable

#: The MkDocs version whose ``Files.add_files_from_theme`` this was written against (it asks the
#: environment for ``list_templates(filter_func=...)`` and nothing else).
SUPPORTED_MKDOCS = frozenset({"1.6.1"})


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
        names = list_visible_templates(list(self.env.loader.searchpath), self.env.loader.followlinks)
        if extensions is not None or filter_func is None:  # not how MkDocs asks: Jinja answers
            return self.env.list_templates(extensions, filter_func)
        return [name for name in names if filter_func(name)]


class ThemeListing:
    """MkDocs' ``Files.add_files_from_theme`` given :class:`_VisibleListing` of its environment, from
    :meth:`install` to :meth:`remove`; outside that, and where it does not apply, MkDocs' own."""

    def __init__(self) -> None:
        self.original: Callable[..., None] | None = None

    def install(self) -> None:
        import jinja2
        import mkdocs
        from mkdocs.structure.files import Files

        if mkdocs.__version__ not in SUPPORTED_MKDOCS or self.original is not None:
            return
        original = Files.add_files_from_theme

        def add_files_from_theme(files: Any, env: Any, config: Any) -> None:
            if type(env.loader) is jinja2.FileSystemLoader:
                env = _VisibleListing(env)
            original(files, env, config)

        add_files_from_theme.__doc__ = original.__doc__
        self.original = original
        Files.add_files_from_theme = add_files_from_theme  # type: ignore[method-assign]

    def remove(self) -> None:
        from mkdocs.structure.files import Files

        if self.original is not None:
            Files.add_files_from_theme = self.original  # type: ignore[method-assign]
            self.original = None
