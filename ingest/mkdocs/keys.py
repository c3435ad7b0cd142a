"""What the caches key on: a setting, a page's data or a template's context as plain JSON data that is
the same from one run to the next, so a key holds across builds and changes when the value does.

One rule for the render, theme and search caches: a value that is not plain data is keyed by its ``repr``,
never by its type alone (a ``repr`` with an address makes every build miss, which costs time, never a stale
page).
"""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from typing import Any, Callable

#: Modules whose objects are plain data by their attributes: Material's tags (the tags plugin puts a
#: page's tags in the template context as ``TagReference`` objects).
PLAIN_BY_ATTRIBUTES = ("material.plugins.tags.structure.",)


#: What JSON writes as it is, by exact type: :func:`plain` gives these back as they are (subclasses go the longer way).
JSON_SCALARS = frozenset({str, int, float, bool, type(None)})


def _first(item: tuple[Any, Any]) -> Any:
    return item[0]


def _first_as_text(item: tuple[Any, Any]) -> str:
    return str(item[0])


def plain(value: Any, otherwise: Callable[[Any], Any] | None = None) -> Any:
    """``value`` as JSON-able data that is the same from one run to the next.

    Mappings (MkDocs' ``Config`` objects among them) and sequences are walked; MkDocs' ``Theme`` is
    its name, folders and variables; a callable is its qualified name. Anything else is not plain: it
    raises ``TypeError``, or, given ``otherwise``, is that of it, where it stands (the rest stays plain).
    """
    kind = type(value)
    if kind in JSON_SCALARS:
        return value
    if kind is dict:  # the common case first: front matter and context, walked on every page of every build
        keys_are_text = all(type(key) is str for key in value)
        return {str(key): item if type(item) in JSON_SCALARS else plain(item, otherwise)
                for key, item in sorted(value.items(), key=_first if keys_are_text else _first_as_text)}
    if kind is list:
        return [item if type(item) in JSON_SCALARS else plain(item, otherwise) for item in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Mapping):
        return {str(key): plain(item, otherwise) for key, item in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, (list, tuple)):
        return [plain(item, otherwise) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((plain(item, otherwise) for item in value), key=repr)
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    from mkdocs.structure.nav import Link
    from mkdocs.theme import Theme

    if isinstance(value, Link):
        return {"link": [value.title, value.url]}
    if type(value).__module__.startswith(PLAIN_BY_ATTRIBUTES):
        return {"class": type(value).__qualname__, "attributes": plain(vars(value), otherwise)}
    if isinstance(value, Theme):
        return {"name": value.name, "dirs": list(value.dirs), "static_templates": sorted(value.static_templates),
                "vars": plain({key: value[key] for key in value}, otherwise)}
    if isinstance(value, functools.partial):
        return {"partial": plain(value.func, otherwise), "args": plain(value.args, otherwise),
                "keywords": plain(value.keywords, otherwise)}
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '')}.{value.__qualname__}"
    if type(value).__module__.startswith("babel."):  # the theme's locale
        return str(value)
    if hasattr(value, "isoformat"):  # dates in front matter
        return value.isoformat()
    if otherwise is not None:
        return otherwise(value)
    raise TypeError(f"not plain data: {type(value).__qualname__}")


def plain_or_repr(value: Any) -> Any:
    """:func:`plain`, each part that is not plain data by its ``repr``: never less than the value says of
    itself (a ``repr`` with an address makes every build miss, which costs time, never a stale page), and
    only that part, so the plain rest (a callable by its name) keeps the key from one run to the next."""
    return plain(value, otherwise=repr)
