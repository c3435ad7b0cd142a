"""The garbage collector kept out of the way: in a process that runs one command and ends (the ``ingest``
command line, a command-line `mkdocs build`: ``ingest.mkdocs.processend``), and between the builds of one
that builds again and again (`mkdocs serve`)."""

from __future__ import annotations

import gc
import threading

#: The collector's first threshold in such a process (Python's default: 700 new objects). A sync or a
#: build makes millions of objects it keeps to the end (docs, pages, the manifest; MkDocs' files and
#: pages), and each collection of the oldest generation walks them all again: a tenth of a re-sync and
#: a tenth of a one-page build. As mypy does, such a process collects less often; it makes little
#: garbage that only a collection frees, and the memory of what it keeps is the same.
COMMAND_THRESHOLD = 200_000


def collect_less() -> None:
    """Have the collector run a few hundred times less often in this process."""
    gc.set_threshold(COMMAND_THRESHOLD, 30, 30)


#: A count of collections the oldest generation's never reaches while a build runs.
_NEVER = 2**30


class CollectionBetweenBuilds:
    """For a process that builds again and again (`mkdocs serve`): the oldest generation is not collected
    while a build runs, but a moment after it, when nothing is waiting for the build.

    Each rebuild leaves the last build's files, pages and nav as garbage in reference cycles, which only a
    collection of the oldest generation frees; two such collections fell inside every rebuild of a
    2,000-doc site under serve, 0.3 s of the time from an edit to the page served. The collection after
    the build frees the same garbage, so memory stays what it was; ``delay`` seconds after the build, the
    browser has the page it reloaded.
    """

    def __init__(self, delay: float = 1.0) -> None:
        self.delay = delay
        self.thresholds: tuple[int, int, int] | None = None
        """The collector's thresholds before the build (None: no build running)."""
        self.timer: threading.Timer | None = None

    def building(self) -> None:
        """A build starts: no collection is waiting to run, and the collector runs less often until it ends."""
        self._cancel()
        if self.thresholds is None:
            self.thresholds = gc.get_threshold()
            young, middle, _ = self.thresholds
            gc.set_threshold(young, middle, _NEVER)  # the young generations as usual: they are cheap

    def built(self) -> None:
        """A build ended (or failed): the collector as it was, and a collection in ``delay`` seconds."""
        if self.thresholds is None:
            return
        gc.set_threshold(*self.thresholds)
        self.thresholds = None
        self._cancel()
        self.timer = threading.Timer(self.delay, gc.collect)
        self.timer.daemon = True
        self.timer.start()

    def stop(self) -> None:
        """The process stops building: nothing left to run later, the collector as it was."""
        self._cancel()
        if self.thresholds is not None:
            gc.set_threshold(*self.thresholds)
            self.thresholds = None

    def _cancel(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
