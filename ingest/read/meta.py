"""Stage 1d, front matter checks: check the front matter of one document before any other stage reads it.

Editors (and broken exports) write front matter of any shape, and MkDocs and
Material read some keys without checking them: ``tags: 5`` or ``icon: x``
stops ``mkdocs build``, and a ``source`` or ``description`` is put into the
page's HTML as it is. Each check here keeps a good value, repairs or drops a
bad one, and says so with the key's file line, the way ``Config.validate``
collects (key, message) pairs. Keys nobody checks are kept as they are.

Every function is pure: a dict in, a new dict and the problems out.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any, Callable
from urllib.parse import urlsplit

from ingest.chardata import HEADING_RE
from ingest.model import Problem

#: Keys that make Material read a file of the theme by name (a wrong name stops the build).
THEME_FILE_KEYS = ("template", "icon")

#: Keys the sync writes itself; a doc's own value would forge a generated page or an activity card.
RESERVED_KEYS = ("generated", "ingest_source", "activity")



@dataclass
class FrontMatter:
    """One doc's front matter while it is checked: the values, their lines, what was found."""

    source: str
    meta: dict[str, Any]
    lines: dict[str, int]
    problems: list[Problem] = field(default_factory=list)

    def warn(self, key: str, kind: str, message: str) -> None:
        self.problems.append(Problem(self.source, self.lines.get(key), kind, f"Doc '{self.source}': {message}"))

    def drop(self, key: str, kind: str, message: str) -> None:
        self.warn(key, kind, message)
        del self.meta[key]


def check_front_matter(source: str, meta: dict[str, Any], lines: dict[str, int], body: str,
                       has_front_matter: bool, directory: dict[str, Any] | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """Check and repair a doc's front matter; ``id`` and ``title`` are always set, as strings.

    ``directory`` is the doc's entry in ``.wgd-directory.yaml``, which names docs
    without front matter. A doc without any front matter (a plain text export) gets
    an id from its path and a title from its body without a warning.

    >>> meta, problems = check_front_matter("a.md", {"id": "1a", "title": ["A"], "tags": 5}, {"title": 3},
    ...                                     "# From body", True)
    >>> meta
    {'id': '1a', 'title': 'From body'}
    >>> [(p.line, p.kind) for p in problems]
    [(None, 'invalid-tags'), (3, 'invalid-title')]
    """
    fm = FrontMatter(source, dict(meta), lines)
    directory = directory or {}
    for check in CHECKS:
        check(fm)
    _check_id(fm, directory, has_front_matter)
    _check_title(fm, directory, has_front_matter, body)
    return fm.meta, fm.problems


def _check_id(fm: FrontMatter, directory: dict[str, Any], has_front_matter: bool) -> None:
    value = fm.meta.get("id")
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        fm.meta["id"] = str(value).strip()
        return
    replacement = str(directory.get("id") or path_id(fm.source))
    if value not in (None, ""):
        fm.warn("id", "invalid-id", f"id {_quote(value)} is not a Drive id; the doc is known by its path "
                                    f"('{replacement}') instead. Re-export the doc.")
    elif has_front_matter and not directory.get("id"):
        fm.warn("id", "missing-id", "the front matter has no id, so the doc is known by its path: Drive links "
                                    "to it are not recognised and a rename looks like a new page. Re-export it.")
    fm.meta["id"] = replacement


def _check_title(fm: FrontMatter, directory: dict[str, Any], has_front_matter: bool, body: str) -> None:
    value = fm.meta.get("title")
    if isinstance(value, str) and value.strip():
        fm.meta["title"] = value.strip()
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        fm.warn("title", "invalid-title", f"title {value!r} is a number, not text; it is shown as '{value}'. "
                                          "Quote the title in the front matter.")
        fm.meta["title"] = str(value)
        return
    title = str(directory.get("title") or fallback_title(body, fm.source))
    if value not in (None, ""):
        fm.warn("title", "invalid-title", f"title {_quote(value)} is not text; the page is titled '{title}' instead. "
                                          "Write the title as plain text in the front matter.")
    elif has_front_matter and not directory.get("title"):
        fm.warn("title", "missing-title", f"the front matter has no title; the page is titled '{title}' "
                                          "(its first heading or line, else its file name).")
    fm.meta["title"] = title


def fallback_title(body: str, source: str) -> str:
    """A title for a doc without one: its first heading, else its first line, else its file name.

    >>> fallback_title("\\n## Setup\\ntext", "a/b.md")
    'Setup'
    >>> fallback_title("FAQ Search\\n\\nThe criteria", "faq.txt")
    'FAQ Search'
    >>> fallback_title("", "guides/getting-started.md")
    'Getting Started'
    """
    for line in body.splitlines():
        match = HEADING_RE.match(line)
        if match and _plain(match.group("text")):
            return _plain(match.group("text"))
    for line in body.splitlines():
        if _plain(line.strip()):
            return _plain(line.strip())[:120].strip()
    stem = PurePosixPath(source).stem
    return stem.replace("-", " ").replace("_", " ").strip().title() or source


def _plain(text: str) -> str:
    """Drop Markdown emphasis and link syntax from a one-line title."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]+", "", text).strip()


def path_id(source: str) -> str:
    """A stable id for a document that has none, derived from its path.

    >>> path_id("faq.txt") == path_id("faq.txt")
    True
    >>> path_id("faq.txt").startswith("path-")
    True
    """
    return "path-" + hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def _check_menu(fm: FrontMatter) -> None:
    """``menu.main`` must be a mapping (Hugo's shorthand ``menu: main`` is allowed and places nothing)."""
    menu = fm.meta.get("menu")
    if menu is None or isinstance(menu, str) or (isinstance(menu, list) and all(isinstance(m, str) for m in menu)):
        return
    main = menu.get("main") if isinstance(menu, dict) else None
    parent = main.get("parent") if isinstance(main, dict) else None
    if isinstance(menu, dict) and (main is None or isinstance(main, dict)) and \
            (parent is None or isinstance(parent, (str, int)) and not isinstance(parent, bool)):
        return
    fm.drop("menu", "invalid-menu", f"menu {_quote(menu)} is not 'main:' with a 'parent' id and a 'weight'; "
                                    "it was ignored, so the doc is placed by its folder. Fix its menu settings.")


def _check_date(fm: FrontMatter) -> None:
    value = fm.meta.get("date")
    if value is None or isinstance(value, (datetime.date, datetime.datetime)) or \
            isinstance(value, str) and _parses_as_date(value):
        return
    fm.drop("date", "invalid-date", f"date {_quote(value)} is not a date (e.g. 2023-03-21T16:40:02Z); "
                                    "the page shows no 'Last updated'.")


def _parses_as_date(text: str) -> bool:
    """ISO 8601, as wikiGDrive writes it ('2023-03-21T16:40:02.733Z').

    >>> _parses_as_date("2023-03-21T16:40:02.733Z"), _parses_as_date("2022-13-45"), _parses_as_date("soon")
    (True, False, False)
    """
    try:
        datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _check_tags(fm: FrontMatter) -> None:
    """Material's tags plugin wants a list of names; a comma-separated string is split."""
    for key in ("tags", "labels"):
        value = fm.meta.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            fm.meta[key] = [part.strip() for part in value.split(",") if part.strip()]
        elif isinstance(value, list) and all(_is_scalar(item) for item in value):
            fm.meta[key] = [str(item) for item in value if item is not None and str(item).strip()]
        else:
            fm.drop(key, "invalid-tags", f"{key} {_quote(value)} is not a list of names; they were left out.")


def _check_theme_settings(fm: FrontMatter) -> None:
    """``hide`` and ``search`` as Material reads them; keys that name theme files are not passed on."""
    hide = fm.meta.get("hide")
    if isinstance(hide, str):
        fm.meta["hide"] = [hide]
    elif hide is not None and not (isinstance(hide, list) and all(isinstance(item, str) for item in hide)):
        fm.drop("hide", "invalid-theme-setting", f"hide {_quote(hide)} is not a list such as [toc, navigation]; "
                                                 "it was left out.")
    search = fm.meta.get("search")
    if search is not None and not (isinstance(search, dict) and set(search) <= {"exclude", "boost"}
                                   and isinstance(search.get("exclude", False), bool)
                                   and _is_number(search.get("boost", 1))):
        fm.drop("search", "invalid-theme-setting", f"search {_quote(search)} is not {{exclude: true/false, "
                                                   "boost: a number}; it was left out.")
    for key in THEME_FILE_KEYS:
        if key in fm.meta:
            fm.drop(key, "invalid-theme-setting", f"'{key}: {fm.meta[key]}' would make the theme load a file by that "
                                                  "name; the sync does not pass it on. Remove it from the front matter.")


def _check_reserved(fm: FrontMatter) -> None:
    for key in RESERVED_KEYS:
        if key in fm.meta:
            fm.drop(key, "reserved-key", f"'{key}' is set by the sync itself; the doc's own value was ignored.")


def _check_source(fm: FrontMatter) -> None:
    """``source`` becomes the "Edit in Google Docs" link, so it must be a plain web address."""
    value = fm.meta.get("source")
    if value is None or isinstance(value, str) and is_web_url(value):
        return
    fm.drop("source", "unsafe-url", f"source {_quote(value)} is not an http(s) address; the page has no "
                                    "'Edit in Google Docs' link. Re-export the doc.")


_NOT_IN_WEB_URL_RE = re.compile("[<>\"'` \x00-\x1f]")


def is_web_url(value: str) -> bool:
    """An absolute http(s) URL with a host and nothing that could end an HTML attribute.

    >>> is_web_url("https://drive.google.com/open?id=1abc"), is_web_url("javascript:alert(1)")
    (True, False)
    >>> is_web_url('https://x.org/" onclick="y'), is_web_url("https:///etc/passwd")
    (False, False)
    """
    if _NOT_IN_WEB_URL_RE.search(value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


CHECKS: tuple[Callable[[FrontMatter], None], ...] = (
    _check_reserved, _check_menu, _check_date, _check_tags, _check_theme_settings, _check_source,
)


def menu_weight(raw: Any) -> float | None:
    """A menu weight as a number, or None when it is not one (text, a boolean, NaN or infinity).

    >>> menu_weight(10), menu_weight("2.5"), menu_weight("ten"), menu_weight(True), menu_weight(".nan")
    (10.0, 2.5, None, None, None)
    """
    if isinstance(raw, bool):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError, OverflowError):
        return None
    return value if math.isfinite(value) else None


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool, datetime.date))


def _is_number(value: Any) -> bool:
    return menu_weight(value) is not None


def _quote(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 80 else text[:77] + "..."
