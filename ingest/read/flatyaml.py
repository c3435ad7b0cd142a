"""Read the plain YAML wikiGDrive writes as front matter, fast; anything else is left to PyYAML.

wikiGDrive writes every front matter block the same way: single-quoted strings,
whole numbers, ``true``/``false``, ``[]``, nested mappings indented by two spaces
and lists of quoted strings. PyYAML builds its result in Python even with libyaml's
C parser, about 0.5 ms a doc (a quarter of a whole sync of a doc); reading this
subset line by line with string methods gives the same dict in a fraction of that.

``parse_flat_yaml`` returns None for anything outside the subset (comments, plain
strings, flow collections, anchors, multi-line strings, odd characters...), and
the caller then uses PyYAML, so what a doc means never depends on which path
read it (a property test and the corpus test check that both give the same).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

#: A key that may be a plain YAML scalar: no indicator first, no ':', '#' or tab, no space at either end.
_PLAIN_KEY_RE = re.compile(r"""[^\s\-?:,\[\]{}#&*!|>'"%@`][^:#\t]*(?<! )\Z""")
_STRING_TAG = "tag:yaml.org,2002:str"
#: Characters outside this set make YAML fold lines, refuse the text or treat it specially.
_ODD_CHARACTER_RE = re.compile("[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|\u2028|\u2029")
_INT_RE = re.compile(r"-?(?:0|[1-9][0-9]*)\Z")
_CONSTANTS = {"true": True, "false": False}

_RESOLVER = yaml.resolver.Resolver()


class _NotFlat(Exception):
    """A value beyond the subset."""


def parse_flat_yaml(raw: str) -> dict[str, Any] | None:
    """The mapping ``raw`` holds, or None if it is not in the subset wikiGDrive writes.

    >>> parse_flat_yaml("title: 'It''s'\\nversion: 3\\nmenu:\\n  main:\\n    weight: 10\\nlinks: []")
    {'title': "It's", 'version': 3, 'menu': {'main': {'weight': 10}}, 'links': []}
    >>> parse_flat_yaml("links:\\n- 'a'\\ndraft: true\\nempty:")
    {'links': ['a'], 'draft': True, 'empty': None}
    >>> parse_flat_yaml("title: plain words") is None
    True
    """
    if "\t" in raw or not (raw.replace("\n", "").isprintable() if raw.isascii() else not _ODD_CHARACTER_RE.search(raw)):
        return None
    try:
        return _parse(raw)
    except _NotFlat:
        return None


def _parse(raw: str) -> dict[str, Any] | None:
    root: dict[str, Any] = {}
    stack: list[tuple[int, Any]] = [(0, root)]  # the open containers, innermost last, with their indent
    pending: tuple[dict[str, Any], str, int] | None = None  # a ``key:`` whose value is the block below, if any
    for line in raw.split("\n"):
        content = line.lstrip(" ")
        if not content:
            if line:
                return None  # spaces alone: let PyYAML decide
            continue
        indent = len(line) - len(content)
        is_item = content.startswith("- ")
        if pending is not None:
            parent, parent_key, parent_indent = pending
            pending = None
            if is_item and indent >= parent_indent:
                parent[parent_key] = []
                stack.append((indent, parent[parent_key]))
            elif not is_item and indent > parent_indent:
                parent[parent_key] = {}
                stack.append((indent, parent[parent_key]))
            else:
                parent[parent_key] = None
        # Close what this line is outside of; a key also ends a list written at its own indent.
        while len(stack) > 1 and (stack[-1][0] > indent
                                  or (not is_item and stack[-1][0] == indent and isinstance(stack[-1][1], list))):
            stack.pop()
        container_indent, container = stack[-1]
        if container_indent != indent:
            return None
        if is_item:
            if not isinstance(container, list):
                return None
            container.append(_value(content[2:].strip(" "), in_list=True))
            continue
        key, colon, rest = content.partition(":")
        if not colon or (rest and rest[0] != " ") or not isinstance(container, dict) or key in container \
                or not _is_string_key(key):
            return None
        rest = rest.strip(" ")
        if rest:
            container[key] = _value(rest)
        else:
            pending = (container, key, indent)
    if pending is not None:
        pending[0][pending[1]] = None
    return root or None  # nothing but blank lines: YAML's null, PyYAML's to say


@functools.lru_cache(maxsize=4096)
def _is_string_key(key: str) -> bool:
    """Whether PyYAML reads ``key`` as this very string (not a number, date, bool or null)."""
    return bool(_PLAIN_KEY_RE.match(key)) and _RESOLVER.resolve(yaml.ScalarNode, key, (True, False)) == _STRING_TAG


def _value(text: str, in_list: bool = False) -> Any:
    """A scalar of the subset, as PyYAML reads it; _NotFlat for anything else."""
    if text[:1] == "'":
        inner = text[1:-1]
        if len(text) < 2 or text[-1] != "'" or "'" in inner.replace("''", ""):
            raise _NotFlat
        return inner.replace("''", "'")
    if text in _CONSTANTS:
        return _CONSTANTS[text]
    if not in_list and text in ("[]", "{}"):
        return [] if text == "[]" else {}
    if _INT_RE.match(text):
        return int(text)
    raise _NotFlat
