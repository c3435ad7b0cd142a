"""The URL history's file (``wikigdrive-history.json`` beside ``mkdocs.yml``): read, written, shown in a diff.

The file is committed, so it is written for people and for git: sorted, one doc or redirect a
line (a change is a one-line diff and two branches' changes merge like a lockfile's), and
rewritten only when its text changes.
"""

from __future__ import annotations

import json
from pathlib import Path

from ingest.output.write import OutputError
from ingest.site.history import HistoryFormatError, UrlHistory
from ingest.utils.atomicfile import write_text_atomically

ABOUT = ("Written by the wikigdrive sync (python -m ingest sync, or the MkDocs plugin): each doc's page and every "
         "old page that redirects, so moved docs keep their links. Commit it beside mkdocs.yml.")


def history_text(history: UrlHistory) -> str:
    """The file's text: JSON with one doc or redirect a line, in a stable order."""
    data = history.to_dict()

    def block(name: str, entries: dict) -> str:
        if not entries:
            return f'  "{name}": {{}}'
        lines = [f"    {_dumps(key)}: {_dumps(value)}" for key, value in entries.items()]
        return f'  "{name}": {{\n' + ",\n".join(lines) + "\n  }"

    parts = [f'  "about": {_dumps(ABOUT)}', f'  "format": {data["format"]}',
             block("docs", data["docs"]), block("redirects", data["redirects"])]
    return "{\n" + ",\n".join(parts) + "\n}\n"


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def read_history(path: Path) -> UrlHistory | None:
    """The URL history in ``path``; None when there is no such file.

    A file that is not a URL history (a merge left conflict markers in it, a hand edit broke
    it) raises OutputError naming the file and line: the sync stops before writing anything,
    since going on would forget old URLs.
    """
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(f"Could not read the URL history '{path}': {exc}. Fix or restore it from git.") from None
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(("<<<<<<<", ">>>>>>>")) or line == "=======":
            raise OutputError(f"{path}:{number}: a git merge left conflict markers in the URL history. Keep the "
                              "lines of both sides (each doc and redirect is one line), remove the markers and "
                              "sync again.")
    try:
        return UrlHistory.from_dict(json.loads(text))
    except json.JSONDecodeError as exc:
        raise OutputError(f"{path}:{exc.lineno}: the URL history is not valid JSON ({exc.msg}). Fix that line, "
                          "or restore the file from git, and sync again.") from None
    except HistoryFormatError as exc:
        raise OutputError(f"{path}: {exc}. Restore the file from git (or delete it to start the history "
                          "afresh: old URLs would stop redirecting) and sync again.") from None


def write_history(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` in one step, unless it is there already; whether it was written."""
    try:
        if path.read_text("utf-8") == text:
            return False
    except (OSError, UnicodeDecodeError):
        pass
    write_text_atomically(path, text)
    return True
