"""Stage 1c, front matter: split off a document's YAML block and read it, fast where it is plain, safely where it is not.

python-frontmatter finds the block; ``flatyaml`` reads the plain YAML wikiGDrive writes, and
PyYAML's safe loader (no aliases, no tags that run code, nothing nested too deep) reads any
other. Unlike ``frontmatter.parse`` a fault is an error with its file line, not silence.
"""

from __future__ import annotations

import re
from typing import Any

import frontmatter
import yaml

from ingest.read.flatyaml import parse_flat_yaml

YAML_HANDLER = frontmatter.YAMLHandler()
_BASELOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _Loader(_BASELOADER):  # type: ignore[misc, valid-type]
    """The safe loader, except that a date that does not exist (2022-13-45) stays text for meta.py to report."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError):
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
LOADER = _Loader
#: What a front matter block can raise besides YAMLError: deep nesting, absurd numbers, odd keys.
YAML_FAILURES = (yaml.YAMLError, ValueError, TypeError, RecursionError, OverflowError, MemoryError)


_KEY_LINE_RE = re.compile(r"^[ \t]*([\w.-]+)[ \t]*:", re.MULTILINE)


def front_matter_lines(text: str) -> dict[str, int]:
    """File line of each key in a document's front matter, to point problems at it.

    >>> front_matter_lines("---\\ntitle: A\\nmenu:\\n  main:\\n    weight: ten\\n---\\nBody")
    {'title': 2, 'menu': 3, 'main': 4, 'weight': 5}
    """
    if not YAML_HANDLER.detect(text):
        return {}
    end = text.find("\n---", 3)
    block = text[: end if end >= 0 else len(text)]
    lines: dict[str, int] = {}
    for match in _KEY_LINE_RE.finditer(block):
        lines.setdefault(match.group(1), block.count("\n", 0, match.start()) + 1)
    return lines


def split_front_matter(text: str) -> tuple[dict[str, Any], str, int]:
    """Split ``text`` into (metadata, body, body_line) with python-frontmatter's YAML handler.

    Unlike ``frontmatter.parse`` this keeps the body as written (two-space line
    breaks matter) and raises ``FrontMatterError`` with a file line instead of
    swallowing bad YAML.

    >>> split_front_matter("---\\ntitle: 'A'\\n---\\n\\nHello\\n")
    ({'title': 'A'}, 'Hello\\n', 5)
    >>> split_front_matter("No front matter\\n")
    ({}, 'No front matter\\n', 1)
    """
    if not YAML_HANDLER.detect(text):
        return {}, text, 1
    try:
        raw, body = YAML_HANDLER.split(text)
    except ValueError:
        raise FrontMatterError(1, "front matter starts with '---' but is never closed with '---'")
    try:
        meta = parse_flat_yaml(raw) if raw.strip() else {}
        if meta is None:  # not the plain YAML wikiGDrive writes: the full YAML reader
            refuse_aliases(raw)
            meta = YAML_HANDLER.load(raw, Loader=LOADER)
    except YAML_FAILURES as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        raise FrontMatterError(line, f"front matter is not valid YAML ({reason})")
    if meta is None:
        meta = {}
    deep = next((key for key, value in meta.items() if _too_deep([value], MAX_FRONT_MATTER_DEPTH)), None) \
        if isinstance(meta, dict) else None
    if deep is not None:
        raise FrontMatterError(front_matter_lines(text).get(str(deep), 2),
                               f"'{deep}' nests values more than {MAX_FRONT_MATTER_DEPTH} deep")
    if not isinstance(meta, dict):
        raise FrontMatterError(2, f"front matter must be a mapping of keys to values, not {type(meta).__name__}")
    consumed = text[: len(text) - len(body)]
    body_line = consumed.count("\n") + 1
    stripped = body.lstrip("\n")
    body_line += body[: len(body) - len(stripped)].count("\n")
    return meta, stripped, body_line


#: wikiGDrive's front matter nests 3 deep (menu.main.weight); every later stage walks it recursively.
MAX_FRONT_MATTER_DEPTH = 20


def _too_deep(value: Any, limit: int) -> bool:
    """Whether lists and mappings nest deeper than ``limit`` (walked without recursion).

    >>> _too_deep({"a": [[1]]}, 3), _too_deep({"a": [[1]]}, 2)
    (False, True)
    """
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 >= limit:
                    return True
                stack.append((child, depth + 1))
    return False


def refuse_aliases(raw: str) -> None:
    """wikiGDrive never writes YAML aliases (``*name``); one that refers to itself, or a few
    that nest ("billion laughs"), would make every later stage loop or explode."""
    if "*" not in raw:
        return
    for event in yaml.parse(raw, Loader=LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise yaml.YAMLError(f"it uses a YAML alias (*{event.anchor}), which the sync does not follow")


class FrontMatterError(ValueError):
    """Front matter that cannot be read; ``line`` is the file line of the fault."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message
