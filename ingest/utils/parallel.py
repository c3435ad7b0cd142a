"""Per-document work on every core, for big exports.

The stages are pure functions of one document plus read-only context (the link
index, the nav), so they map over documents. Workers are forked: they inherit the
context from the parent's memory instead of receiving it pickled, and only each
document's result travels back. Small exports stay in one process, where starting
workers would cost more than it saves.
"""

from __future__ import annotations

import os
from typing import Any, Callable, TypeVar

Context = TypeVar("Context")
Result = TypeVar("Result")

#: Below this many items one process does the work.
PARALLEL_MIN_ITEMS = 300

_context: Any = None
"""The context in a worker process, set once when it starts (see ``_start_worker``)."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _start_worker(context: Any) -> None:
    global _context
    _context = context


def _run_chunk(task: tuple[Callable[[Any, int], Any], int, int]) -> list[Any]:
    fn, start, stop = task
    return [fn(_context, i) for i in range(start, stop)]


def map_items(fn: Callable[[Context, int], Result], context: Context, count: int, jobs: int = 1,
              advance: Callable[[int], None] = lambda n: None) -> list[Result]:
    """``[fn(context, i) for i in range(count)]``, in order, on ``jobs`` processes when ``count`` is large.

    ``fn`` must be a module-level function (it is sent to the workers by name).
    """
    if jobs <= 1 or count < PARALLEL_MIN_ITEMS or not _can_fork():
        results = []
        for i in range(count):
            results.append(fn(context, i))
            advance(1)
        return results
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    chunk = max(8, count // (jobs * 16))
    tasks = [(fn, start, min(start + chunk, count)) for start in range(0, count, chunk)]
    results = []
    with ProcessPoolExecutor(jobs, mp_context=get_context("fork"), initializer=_start_worker,
                             initargs=(context,)) as pool:
        for part in pool.map(_run_chunk, tasks):
            results.extend(part)
            advance(len(part))
    return results


def _can_fork() -> bool:
    """Whether workers can be forked here; ``multiprocessing`` is imported only when a pool may be wanted (7 ms of
    a re-sync that needs none)."""
    from multiprocessing import get_all_start_methods

    return "fork" in get_all_start_methods()
