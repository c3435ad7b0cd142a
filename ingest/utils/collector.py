"""The garbage collector in a process that runs one command and ends: the ``ingest`` command line and a
command-line `mkdocs build` (``ingest.mkdocs.processend``)."""

from __future__ import annotations

import gc

#: The collector's first threshold in such a process (Python's default: 700 new objects). A sync or a
#: build makes millions of objects it keeps to the end (docs, pages, the manifest; MkDocs' files and
#: pages), and each collection of the oldest generation walks them all again: a tenth of a re-sync and
#: a fifth of a one-page build. As mypy does, such a process collects less often; it makes little
#: garbage that only a collection frees, and the memory of what it keeps is the same.
COMMAND_THRESHOLD = 200_000


def collect_less() -> None:
    """Have the collector run a few hundred times less often in this process."""
    gc.set_threshold(COMMAND_THRESHOLD, 30, 30)
