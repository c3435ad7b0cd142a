"""Sync the export before MkDocs builds: the plugin's ``export_dir``, for `mkdocs build` and `mkdocs serve`.

The sync is the same one ``python -m ingest sync`` runs (atomic, and a no-op when nothing in
the export changed), so a build never sees a half-written docs_dir. What differs is how a
failure ends: `mkdocs build` stops with the sync's message; `mkdocs serve` logs it and goes on
serving the last good site, and syncs again at the export's next change.
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from ingest.commands.sync import ExportChanged, SyncError, SyncMemory, SyncResult, sync
from ingest.output.manifest import export_fingerprint, export_state
from ingest.output.report import format_summary
from ingest.output.write import OutputError
from ingest.settings import SiteSettings
from ingest.utils.filestate import list_folder

log = logging.getLogger("mkdocs.plugins.wikigdrive")

#: The longest a `mkdocs serve` rebuild waits for wikiGDrive to stop writing before it syncs anyway.
MAX_WAIT = 30.0


@dataclass
class ExportSync:
    """One site's export and docs_dir, and the export's state when it was last synced."""

    export_dir: Path
    docs_dir: Path
    settings: SiteSettings
    history_file: Path | None
    problem_level: int = logging.WARNING
    synced: str | None = None
    """The export's fingerprint at the last sync that succeeded (None before the first)."""
    memory: SyncMemory | None = None
    """What the syncs of a `mkdocs serve` keep from one to the next (None: a one-off build keeps nothing)."""

    def run(self, serving: bool, debounce: float) -> SyncResult | None:
        """Sync now; under `mkdocs serve`, writing the docs_dir once the export has stopped changing.

        After an edit under `mkdocs serve` the sync reads the export and works out the new docs_dir at once,
        while wikiGDrive may still be writing, and writes it only when nothing in the export has changed for
        ``debounce`` seconds (counted from its last change) and it is still as it was read. If it changed
        meanwhile, it is read again (only what changed). Returns the result, or None when a sync under
        `mkdocs serve` failed (logged). Raises PluginError when one under `mkdocs build` failed, so the
        build stops with its message.
        """
        if serving and self.memory is None:
            self.memory = SyncMemory()
        deadline = time.monotonic() + MAX_WAIT
        while True:
            listing = list_folder(self.export_dir, changes=True)  # one walk: the fingerprint's, then the sync's
            if serving and self.synced is not None:
                fingerprint, changed = export_state(self.export_dir, self.settings, listing)
                still = (None if fingerprint == self.synced or time.monotonic() >= deadline
                         else functools.partial(self._still, (fingerprint, changed), debounce, deadline))
            else:
                fingerprint, still = export_fingerprint(self.export_dir, self.settings, listing), None
            try:
                result = sync(self.export_dir, self.docs_dir, settings=self.settings, history_file=self.history_file,
                              memory=self.memory, fingerprint=fingerprint, confirm=still, listing=listing)
            except ExportChanged:
                continue
            except (SyncError, OutputError, OSError) as exc:
                if still is not None and not still():
                    continue  # read while wikiGDrive was writing: read again, now that it is done
                return self._failed(self._message(exc), serving)
            self.synced = fingerprint
            self._log(result)
            return result

    def _still(self, seen: tuple[str, int], debounce: float, deadline: float) -> bool:
        """Wait while wikiGDrive is still writing: until nothing in the export has changed for ``debounce``
        seconds, counted from its last change (the files' and folders' change times). True if it is then
        as ``seen`` (its fingerprint and last change), the state the sync read; False if it changed
        meanwhile (or is still changing when the longest wait is over), and must be read again."""
        same = True
        while time.monotonic() < deadline:
            elapsed = (time.time_ns() - seen[1]) / 1e9
            time.sleep(min(debounce, max(0.0, debounce - elapsed)))
            now = export_state(self.export_dir, self.settings)
            if now == seen:
                return same
            seen, same = now, False
        return False

    def _message(self, exc: Exception) -> str:
        """What a failed sync tells the user: the sync's own message, or which file could not be used."""
        if isinstance(exc, OSError):
            return f"Could not use '{exc.filename}': {exc.strerror}. Nothing was changed in {self.docs_dir}."
        return str(exc)

    def _failed(self, message: str, serving: bool) -> None:
        if not serving:
            raise PluginError(f"wikigdrive: the sync of {self.export_dir} failed: {message}")
        log.error("wikigdrive: the sync of %s failed; the last good site stays served. %s", self.export_dir, message)
        return None

    def _log(self, result: SyncResult) -> None:
        if result.up_to_date:
            log.debug("wikigdrive: %s is up to date with %s", self.docs_dir, self.export_dir)
        else:
            summary = format_summary(result, _shown(self.export_dir), _shown(self.docs_dir), problems=False)
            for line in summary.splitlines():
                log.info("wikigdrive: %s", line.strip())
        for problem in result.problems:
            log.log(self.problem_level, "wikigdrive: %s", problem)



def _shown(path: Path) -> Path:
    """A path as the log shows it: relative to the working folder (where mkdocs.yml usually is) when under it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
