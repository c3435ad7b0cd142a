"""Hear the export change at once under `mkdocs serve`.

MkDocs watches with watchdog's polling observer: every half second it walks every watched folder,
so an edit waits up to half a second before the rebuild is even asked for, and a big export is
walked twice a second for as long as the server runs (20,000 docs: a third of a core). Where the
kernel reports changes (inotify on a local disk), :class:`ExportWatcher` watches the export with
watchdog's native observer instead: it hears each write as it happens and asks for the rebuild as
MkDocs' own watcher does. The export folder itself is looked at once a second, so a folder moved
away or made anew at its path (a new download) is watched in its turn.

On a file system whose changes may be made elsewhere (a network mount, a virtual machine's shared
folder) or where inotify cannot be used, MkDocs' polling watches the export as before.

This reaches into MkDocs: asking for a rebuild is what the callback of MkDocs 1.6.1's
``LiveReloadServer.watch`` does, so it is done only with that version (:data:`SUPPORTED_MKDOCS`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from pathlib import Path
from typing import Any

import mkdocs

from ingest.utils.filestate import file_identity

log = logging.getLogger("mkdocs.plugins.wikigdrive")

#: The MkDocs versions whose live-reload server this asks for rebuilds.
SUPPORTED_MKDOCS = frozenset({"1.6.1"})

#: Events that are no change: a file opened, or closed without a write (the sync reads the export).
NOT_CHANGES = frozenset({"opened", "closed_no_write"})

#: File systems whose every change goes through this machine's kernel, which reports it to inotify.
LOCAL_FILE_SYSTEMS = frozenset({
    "ext2", "ext3", "ext4", "xfs", "btrfs", "bcachefs", "f2fs", "jfs", "reiserfs", "zfs", "tmpfs", "ramfs", "overlay",
})

#: How often (seconds) the export folder itself is looked at: moved away, removed or made anew.
ROOT_CHECK_INTERVAL = 1.0

MOUNTS = Path("/proc/self/mounts")


def can_ask(server: Any, version: str | None = None) -> bool:
    """Whether ``server`` is the live-reload server this asks for rebuilds the way it was read against."""
    return ((version if version is not None else mkdocs.__version__) in SUPPORTED_MKDOCS
            and hasattr(server, "_rebuild_cond") and hasattr(server, "_want_rebuild"))


def ask_for_rebuild(server: Any) -> None:
    """What MkDocs 1.6.1's watch callback does on a change: the build loop wakes and rebuilds."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def file_system(path: Path, mounts: str | None = None) -> str | None:
    """The type of the file system ``path`` is on (the longest mount point above it in ``mounts``,
    /proc/self/mounts by default), or None where that is not known."""
    if mounts is None:
        try:
            mounts = MOUNTS.read_text("utf-8", errors="replace")
        except OSError:
            return None
    target = os.path.realpath(path)
    best, kind = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = re.sub(r"\\([0-7]{3})", lambda match: chr(int(match[1], 8)), fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


class ExportWatcher:
    """A native (inotify) watch of the export that asks the server for a rebuild on each change."""

    def __init__(self) -> None:
        self.observer: Any = None
        self.path: Path | None = None
        self._server: Any = None
        self._handler: Any = None
        self._identity: tuple[int, int] | None = None
        self._stopped = threading.Event()

    def start(self, server: Any, path: Path) -> bool:
        """Watch ``path`` for ``server`` (instead of what was watched before); False where MkDocs' polling
        must watch it: another MkDocs, a file system changes may reach from elsewhere, or no inotify."""
        self.stop()
        kind = file_system(path)
        if not can_ask(server) or kind not in LOCAL_FILE_SYSTEMS:
            log.debug("wikigdrive: %s (%s) is watched by MkDocs' polling.", path, kind or "file system not known")
            return False
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        if Observer is PollingObserver:  # no native observer on this system
            return False

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.event_type not in NOT_CHANGES:
                    ask_for_rebuild(server)

        handler, observer = Handler(), Observer()
        observer.daemon = True
        try:
            observer.schedule(handler, str(path), recursive=True)
            observer.start()
        except OSError as exc:  # e.g. inotify's limit of watches reached
            with contextlib.suppress(Exception):
                observer.stop()
            log.debug("wikigdrive: %s is watched by MkDocs' polling (inotify: %s).", path, exc)
            return False
        self.observer, self.path, self._server, self._handler = observer, path, server, handler
        self._identity = file_identity(path)
        self._stopped = threading.Event()
        threading.Thread(target=self._watch_root, args=(self._stopped,), name="wikigdrive-export-root",
                         daemon=True).start()
        return True

    def stop(self) -> None:
        self._stopped.set()
        if self.observer is not None:
            self.observer.stop()
            self.observer = self.path = self._server = None

    def _watch_root(self, stopped: threading.Event) -> None:
        """Look at the export folder once a second: when another folder is at its path (or none), watch that
        one instead and ask for a rebuild (inotify follows a folder, not a path)."""
        while not stopped.wait(ROOT_CHECK_INTERVAL):
            observer, path, server = self.observer, self.path, self._server
            if observer is None or path is None:
                return
            now = file_identity(path)
            if now == self._identity:
                continue
            self._identity = now
            observer.unschedule_all()
            try:
                if now is not None:
                    observer.schedule(self._handler, str(path), recursive=True)
            except OSError as exc:  # e.g. inotify's limit of watches reached: MkDocs' polling watches it now
                log.debug("wikigdrive: %s is watched by MkDocs' polling from now on (inotify: %s).", path, exc)
                server.watch(str(path))
                self.stop()
            ask_for_rebuild(server)
