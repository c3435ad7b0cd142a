"""Writing a file whole or not at all: through a temporary file beside it, replaced in one step, so a
process killed midway leaves the old file (or none), never a torn one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, BinaryIO, Callable

from ingest.utils import jsoncodec


def write_text_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` (UTF-8, ``\\n`` line endings) in one step."""
    _write_atomically(path, lambda stream: stream.write(text))


def write_json_atomically(path: Path, data: Any) -> None:
    """The same, of ``data`` as compact JSON (``utils.jsoncodec``); raises TypeError, writing nothing, where
    ``data`` has no JSON form."""
    data = jsoncodec.dumps(data)
    write_binary_atomically(path, lambda stream: stream.write(data))


class RecordFile:
    """A JSON record one build leaves for the next (``path``). A build that takes it marks it spent (a
    marker file beside it) until it ends and keeps it again: after a build that stopped half-way, the
    next finds no record, and makes everything again."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.marker = path.with_name(path.name + ".building")

    def take(self) -> Any:
        """The record's data (None: no record, a spent one, or no JSON in it); spent from now on."""
        data = None
        if not os.path.lexists(self.marker):
            try:
                data = jsoncodec.loads(self.path.read_bytes())
            except (OSError, ValueError):
                data = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.marker.touch()
        except OSError:  # no marker: the record goes instead
            self.path.unlink(missing_ok=True)
        return data

    def keep(self, data: Any = None) -> None:
        """End a build that ran to its end: write ``data`` as the record (None: the record as it is stands),
        and unmark it. A record that cannot be written stays spent."""
        try:
            if data is not None:
                write_json_atomically(self.path, data)
            self.marker.unlink(missing_ok=True)
        except OSError:
            pass


def write_binary_atomically(path: Path, write: Callable[[BinaryIO], Any]) -> None:
    """Write to ``path``, in one step, what ``write`` writes to the binary stream it is given."""
    _write_atomically(path, write, binary=True)


def _write_atomically(path: Path, write: Callable[[Any], Any], binary: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with (os.fdopen(handle, "wb") if binary else
              os.fdopen(handle, "w", encoding="utf-8", errors="surrogatepass", newline="\n")) as stream:
            write(stream)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
