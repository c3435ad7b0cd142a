"""Writing a file whole or not at all: through a temporary file beside it, replaced in one step, so a
process killed midway leaves the old file (or none), never a torn one."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, TextIO


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8, ``\\n`` line endings) in one step."""
    _write_atomically(path, lambda stream: stream.write(text))


def write_json_atomically(path: Path, data: Any) -> None:
    """The same, of ``data`` as compact JSON (written as it is encoded: a cache may be tens of MB)."""
    _write_atomically(path, lambda stream: json.dump(data, stream, ensure_ascii=False, separators=(",", ":")))


def take_json(path: Path) -> Any:
    """The JSON data in ``path``, which is removed: a record a build uses up, so one that stops half-way
    leaves none. None where there is no file, or no JSON in it."""
    try:
        data = json.loads(path.read_text("utf-8"))
        path.unlink()
    except (OSError, ValueError):
        return None
    return data


def _write_atomically(path: Path, write: Callable[[TextIO], Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="surrogatepass", newline="\n") as stream:
            write(stream)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
