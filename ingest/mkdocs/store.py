"""Where the caches keep their entries: one SQLite file a cache, shared by the build and its workers.

The render and theme caches hold a few entries a page (its rendering, search entries, themed HTML
and that HTML post-processed): 3,300 on the whole 2023 export. Kept one file each, a cold build
spent an eighth of its time creating, renaming and listing small files. Here they are rows of one
table, written a batch at a time in one transaction (a forked worker writes its own through a
connection of its own), read by key, and pruned in one statement.

It is a cache: a file that is missing, locked for too long, damaged or of another format costs
only time (entries are read as missing, a damaged file is made anew), and deleting it is always safe.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
from pathlib import Path

log = logging.getLogger("mkdocs.plugins.wikigdrive")

#: The table's layout; a file of another layout is made anew.
FORMAT = 1

#: Entries held in memory before they are written (their size, in characters).
BATCH_CHARS = 16 * 2**20

#: The file gives its free space back when more than 1/VACUUM_WHEN_FREE of it is free: a change to the
#: nav makes every page's entries new, and giving back their old space only for the next build to take
#: it again was a tenth of such a build; the file stays under twice the size of what it holds.
VACUUM_WHEN_FREE = 2

#: Seconds a writer waits for another process's transaction (a worker's, or another build's).
LOCK_TIMEOUT = 60.0

#: Connections a forked worker found open in its parent: never used, nor closed (closing one could
#: tidy the file up under the parent's feet); the worker ends without finalising them.
_INHERITED: list[sqlite3.Connection] = []


class EntryStore:
    """Named texts in one SQLite file (``path``), or in memory only (``path`` None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._memory: dict[str, str] = {}
        """The entries, where there is no file."""
        self._pending: dict[str, str] = {}
        """Entries put and not written yet."""
        self._pending_chars = 0
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._broken = False

    def reset(self) -> None:
        """Start a build: a file that could not be used in the last one is tried again."""
        self._broken = False

    # --- reading ------------------------------------------------------------------------------

    def get(self, name: str) -> str | None:
        """The text kept under ``name``, or None."""
        if name in self._pending:
            return self._pending[name]
        if self.path is None:
            return self._memory.get(name)
        db = self._connect()
        if db is None:
            return None
        try:
            rows = db.execute("SELECT value FROM entries WHERE name = ?", (name,)).fetchall()
        except sqlite3.Error as exc:
            self._failed("read", exc)
            return None
        return rows[0][0] if rows else None

    def names(self) -> set[str]:
        """The names of every entry kept."""
        if self.path is None:
            return set(self._memory) | set(self._pending)
        db = self._connect()
        found: set[str] = set(self._pending)
        if db is not None:
            try:
                found.update(name for (name,) in db.execute("SELECT name FROM entries").fetchall())
            except sqlite3.Error as exc:
                self._failed("read", exc)
        return found

    # --- writing ------------------------------------------------------------------------------

    def put(self, name: str, text: str) -> None:
        """Keep ``text`` under ``name`` (written with the next batch, or at :meth:`flush`)."""
        if self.path is None:
            self._memory[name] = text
            return
        self._pending_chars += len(text) - len(self._pending.get(name, ""))
        self._pending[name] = text
        if self._pending_chars > BATCH_CHARS:
            self.flush()

    def flush(self) -> bool:
        """Write the entries put since the last flush, in one transaction; False where they could not be."""
        if not self._pending:
            return True
        pending, self._pending, self._pending_chars = self._pending, {}, 0
        db = self._connect()
        if db is None:
            return False
        try:
            with _transaction(db):
                db.executemany("INSERT OR REPLACE INTO entries (name, value) VALUES (?, ?)", pending.items())
        except sqlite3.Error as exc:
            self._failed("write", exc)
            return False
        return True

    def keep_only(self, names: set[str]) -> None:
        """Remove every entry but those of ``names``."""
        self._pending = {name: text for name, text in self._pending.items() if name in names}
        if self.path is None:
            self._memory = {name: text for name, text in self._memory.items() if name in names}
            return
        self.flush()
        db = self._connect()
        if db is None:
            return
        try:
            # The names kept are listed and compared here: a build that changes one page removes one or two
            # entries of thousands (a temporary table of every name kept took four times as long).
            with _transaction(db):
                gone = [(name,) for (name,) in db.execute("SELECT name FROM entries").fetchall() if name not in names]
                if gone:
                    db.executemany("DELETE FROM entries WHERE name = ?", gone)
            free, pages = (db.execute(f"PRAGMA {name}").fetchall()[0][0] for name in ("freelist_count", "page_count"))
            if free * VACUUM_WHEN_FREE > pages:  # else the next build's entries take the free pages again
                db.executescript("PRAGMA incremental_vacuum;")  # run to its end (execute() frees one page)
        except sqlite3.Error as exc:
            self._failed("prune", exc)

    def close(self) -> None:
        """Close this process's connection (entries put and not flushed are dropped); the next use opens it again."""
        self._pending, self._pending_chars = {}, 0
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        elif self._db is not None:
            _INHERITED.append(self._db)  # a parent's, in a forked worker: left alone
        self._db = None

    # --- the file -----------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        """This process's connection to the file (a forked worker opens its own: a connection must not
        cross a fork), made with its table if new, made anew if damaged; None where it cannot be used."""
        if self.path is None or self._broken:
            return None
        if self._db is not None:
            if self._pid == os.getpid():
                return self._db
            _INHERITED.append(self._db)
            self._db = None
        for attempt in (1, 2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None, check_same_thread=False)
                db.execute("PRAGMA auto_vacuum = INCREMENTAL")  # before the table is made: pruning gives space back
                db.execute("PRAGMA journal_mode = WAL")  # readers go on while a worker writes
                db.execute("PRAGMA synchronous = NORMAL")
                db.execute("CREATE TABLE IF NOT EXISTS entries (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
                version = db.execute("PRAGMA user_version").fetchall()[0][0]
                if version not in (0, FORMAT):
                    raise sqlite3.DatabaseError(f"a cache file of layout {version}")
                if version == 0:
                    db.execute(f"PRAGMA user_version = {FORMAT}")
            except (sqlite3.Error, OSError) as exc:
                if attempt == 2 or isinstance(exc, OSError) or "locked" in str(exc):
                    self._failed("open", exc)
                    return None
                log.debug("The cache file %s cannot be used (%s): it is made anew.", self.path, exc)
                _remove_database(self.path)
                continue
            self._db, self._pid = db, os.getpid()
            return db
        return None  # pragma: no cover - the loop returns

    def _failed(self, what: str, exc: Exception) -> None:
        """A cache that cannot be read or written costs only time: say so, and use no file until the next
        build (:meth:`reset`)."""
        log.debug("The cache file %s could not be %s (%s): its pages are made again.", self.path,
                  {"read": "read", "write": "written", "prune": "pruned", "open": "opened"}[what], exc)
        if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
            self._db = None
            if self.path is not None:
                _remove_database(self.path)  # damaged: the next build makes it anew
        self._broken = True


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection):
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")
