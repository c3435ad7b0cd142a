"""Show how far a sync has got: a bar on a terminal, plain lines in a log.

The sync calls ``stage(name, total)`` at the start of each stage and
``advance()`` as it goes. On a terminal a tqdm bar appears only for a stage that
runs longer than half a second; elsewhere (CI logs, pipes) each stage prints one
plain line when it ends, with its count and time.
"""

from __future__ import annotations

import time
from typing import IO, TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tqdm import tqdm


class Progress(Protocol):
    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, count: int = 1) -> None: ...

    def close(self) -> None: ...


class NoProgress:
    """Shows nothing (the library default, and ``--quiet``)."""

    def stage(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class LineProgress:
    """One line a stage, printed when it ends: ``ingest: transforming docs: 175 done in 0.43 s``."""

    def __init__(self, stream: IO[str]):
        self.stream = stream
        self._name: str | None = None
        self._total: int | None = None
        self._done = 0
        self._started = 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        self.close()
        self._name, self._total, self._done, self._started = name, total, 0, time.perf_counter()

    def advance(self, count: int = 1) -> None:
        self._done += count

    def close(self) -> None:
        if self._name is None:
            return
        count = f"{self._total} " if self._total is not None else ""
        print(f"ingest: {self._name}: {count}done in {time.perf_counter() - self._started:.2f} s",
              file=self.stream, flush=True)
        self._name = None


class BarProgress:
    """A tqdm bar a stage, shown only once the stage has run for ``delay`` seconds, and cleared after."""

    def __init__(self, stream: IO[str], delay: float = 0.5):
        self.stream = stream
        self.delay = delay
        self._bar: tqdm | None = None

    def stage(self, name: str, total: int | None = None) -> None:
        from tqdm import tqdm  # only on a terminal; a sync in a log or a pipe never loads it

        self.close()
        self._bar = tqdm(total=total, desc=f"ingest: {name}", file=self.stream, delay=self.delay, leave=False,
                         unit="file", dynamic_ncols=True)

    def advance(self, count: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(count)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


def progress_for(stream: IO[str], quiet: bool = False) -> Progress:
    """The right progress display for ``stream``: a bar on a terminal, lines otherwise, nothing when quiet."""
    if quiet:
        return NoProgress()
    if getattr(stream, "isatty", lambda: False)():
        return BarProgress(stream)
    return LineProgress(stream)
