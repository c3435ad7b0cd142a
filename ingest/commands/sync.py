"""Run the whole pipeline: read and check everything, then write the docs_dir at once.

Like MkDocs' ``build()``, this reads top to bottom in pipeline order, and no
file is written until every page has been produced: a bad export leaves the
previous site as it was.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ingest.model import Document, Problem, problem_order
from ingest.output.historyfile import history_text, read_history, write_history
from ingest.output.manifest import MANIFEST, code_stamp, docs_dir_intact, export_fingerprint, read_manifest
from ingest.output.write import PageReader, check_owned, docs_dir_lock, output_files, plan_write, recover, write_plan
from ingest.settings import SiteSettings
from ingest.site.history import MANIFEST_FORMAT, DocRecord, Manifest, UrlHistory, changes_since, with_history
from ingest.utils.filestate import FileState, FolderListing, file_state, list_folder
from ingest.utils.parallel import default_jobs
from ingest.utils.progress import NoProgress, Progress

if TYPE_CHECKING:
    from ingest.output.precopy import AssetCopy
    from ingest.read.export import KnownFiles
    from ingest.site.build import Site


class SyncError(Exception):
    """A problem that stops the sync before anything is written; the message says what to do."""


class ExportChanged(Exception):
    """The export changed while the sync read it (its ``confirm`` said so): nothing was written."""


@dataclass
class SyncResult:
    """What a sync did: the report printed on the console and written by ``--report``."""

    counts: dict[str, int]
    changes: dict[str, list[dict[str, Any]]]
    fixes: dict[str, int]
    problems: list[Problem]
    redirects: dict[str, str]
    docs: dict[str, DocRecord]
    first_sync: bool
    files: dict[str, int]
    """Files of the docs_dir written, left unchanged and removed (what would be, in a dry run)."""

    dry_run: bool = False
    up_to_date: bool = False
    """Nothing in the export changed since the last sync, which was therefore not redone."""

    from_history: bool = False
    """There was no docs_dir to compare with, only the URL history: edits to text are not told apart."""

    history_file: str | None = None
    """The URL history file this sync kept up to date, if any."""

    history_written: bool = False
    """Whether the URL history changed (and was written, unless in a dry run)."""

    manifest: Manifest | None = None
    """The docs_dir's manifest after the sync (as it would be, in a dry run): its nav and redirects."""

    def report(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "files": self.files,
            "dry_run": self.dry_run,
            "up_to_date": self.up_to_date,
            "history": {"file": self.history_file, "written": self.history_written} if self.history_file else None,
            "changes": self.changes,
            "fixes": self.fixes,
            "problems": [p.to_dict() for p in sorted(self.problems, key=problem_order)],
        }

    @classmethod
    def of_site(cls, site: Site, files: dict[str, int], dry_run: bool = False) -> SyncResult:
        return cls(site.counts, site.changes, dict(sorted(site.fixes.items())), site.problems, site.redirects,
                   site.docs, site.first_sync, files, dry_run)

    @classmethod
    def unchanged(cls, manifest: Manifest, dry_run: bool = False) -> SyncResult:
        """The result of a sync with nothing to do: the last sync's report, every doc unchanged."""
        changes = changes_since(manifest, manifest.docs, manifest.redirects)
        return cls(dict(manifest.counts), changes, dict(manifest.fixes), list(manifest.problems),
                   dict(manifest.redirects), manifest.docs, False,
                   {"written": 0, "unchanged": len(manifest.files), "removed": 0}, dry_run, up_to_date=True)


@dataclass
class SyncMemory:
    """What a long-running process (`mkdocs serve`) keeps from one sync to the next, so a re-sync reads
    only what changed: each doc, SVG and ``.wgd-directory.yaml`` as it was read (by its file's size, dates and
    inode), the docs_dir's manifest and the normalising cache as this process last wrote them, and the URL
    history while its file holds the very text a sync would write (by their files' state)."""

    files: KnownFiles = field(default_factory=dict)
    """Each doc, SVG and ``.wgd-directory.yaml`` as it was read, by its source path."""
    manifest: tuple[FileState, Manifest] | None = None
    normalized: tuple[FileState, dict[str, Any]] | None = None
    history: tuple[FileState, UrlHistory] | None = None
    """Set only where the file was found to hold this history's text: a sync then neither reads nor writes it."""


def _remembered(kept: tuple[FileState, Any] | None, path: Path) -> Any:
    """What ``kept`` holds, if it was kept of ``path`` as the file is now; else None."""
    if kept is None or kept[0] != file_state(path):
        return None
    return kept[1]


def same_site(previous: Manifest, documents: list[Document]) -> bool:
    """Whether the last sync was of the same Drive folder: some of its doc ids are still here.

    The export may sit in another local folder (a new download), so ids decide, not paths.
    An export sharing no id with the last sync is another Drive folder, and its site
    starts without the old one's history of moves and redirects.
    """
    before = set(previous.docs)
    return bool(before & {doc.id for doc in documents})


def sync(export_dir: Path, out_dir: Path, strict: bool = False, dry_run: bool = False,
         lock_timeout: float = 10.0, progress: Progress = NoProgress(), jobs: int | None = None,
         settings: SiteSettings = SiteSettings(), history_file: Path | None = None,
         memory: SyncMemory | None = None, fingerprint: str | None = None,
         confirm: Callable[[], bool] | None = None, listing: FolderListing | None = None) -> SyncResult:
    """Read ``export_dir``, build the site and bring ``out_dir`` up to date in one atomic step.

    Only files that changed are written; with nothing changed in the export,
    nothing is written at all. ``dry_run`` works out the same report and writes
    nothing. Raises SyncError, writing nothing, when the export cannot be used or
    when ``strict`` is set and any problem was found; LockedError when another
    sync holds ``out_dir`` for longer than ``lock_timeout`` seconds. ``jobs`` is the number of
    processes for a big export (default: every core this process may use). ``settings`` are the
    site's (``mkdocs.yml``); a change to them makes the pages again. ``history_file`` is the URL
    history committed beside ``mkdocs.yml``: read with the docs_dir's manifest (or instead of it,
    when the docs_dir is new), and brought up to date after the docs_dir is written. ``memory`` is what
    this process kept of the last sync (see :class:`SyncMemory`); the result is the same without it.
    ``fingerprint`` is the export's ``export_fingerprint`` if the caller has just worked it out, and
    ``listing`` the walk of the export it was worked out from (``utils.filestate.list_folder``), if at hand.
    ``confirm``, when the export may still be changing (`mkdocs serve`), is asked once the new docs_dir is
    worked out and before anything is written whether the export is still as it was read; if not, the
    sync raises ExportChanged and writes nothing.
    """
    export_dir = Path(export_dir).resolve()
    out_dir = Path(out_dir).absolute()
    if not export_dir.is_dir():
        raise SyncError(f"Export folder '{export_dir}' does not exist or is not a folder.")
    check_owned(out_dir)
    lock = None if dry_run else docs_dir_lock(out_dir, lock_timeout)
    try:
        if lock is not None:
            recover(out_dir)
        return _sync_locked(export_dir, out_dir, strict, dry_run, progress, jobs or default_jobs(), settings,
                            Path(history_file).absolute() if history_file is not None else None, memory,
                            fingerprint, confirm, listing)
    finally:
        progress.close()
        if lock is not None:
            lock.release()


def _sync_locked(export_dir: Path, out_dir: Path, strict: bool, dry_run: bool, progress: Progress,
                 jobs: int, settings: SiteSettings, history_file: Path | None,
                 memory: SyncMemory | None = None, fingerprint: str | None = None,
                 confirm: Callable[[], bool] | None = None, listing: FolderListing | None = None) -> SyncResult:
    progress.stage("checking the export for changes")
    if fingerprint is None:  # one walk of the export, for the fingerprint and then the reading
        listing = list_folder(export_dir, changes=True)
        fingerprint = export_fingerprint(export_dir, settings, listing)
    previous = _remembered(memory.manifest if memory else None, out_dir / MANIFEST) or read_manifest(out_dir)
    history = _read_history(history_file, memory) if history_file is not None else None
    if (previous is not None and _up_to_date(previous, fingerprint, export_dir, out_dir)
            and (history is None or UrlHistory.of(previous) == history)):
        result = SyncResult.unchanged(previous, dry_run)
        if strict and result.problems:
            raise StrictError(result)
        if memory is not None:
            _prime(memory, export_dir, out_dir, previous, jobs)
        return _keep_history(result, previous, history_file, dry_run, memory)

    progress.stage("reading the export")
    # The stages are imported only now: a sync with nothing to do never needs them.
    from ingest.output.readcache import known_files_cache
    from ingest.read.export import read_export
    from ingest.site.build import build_site

    # What earlier syncs read of each doc: kept in memory by `mkdocs serve`, else in a file beside the docs_dir.
    known_cache = known_files_cache(out_dir) if memory is None else None
    known = memory.files if memory is not None else known_cache.read()  # type: ignore[union-attr]
    export = read_export(export_dir, jobs, known, listing)
    if not export.documents:
        raise SyncError(f"No documents (.md or .txt files) were found in '{export_dir}'. "
                        "Point the sync at the folder wikiGDrive exported to.")
    # A sync that writes every file copies the images ahead, while the pages are made (``output.precopy``).
    ahead = _copy_ahead(export, export_dir, out_dir) if not dry_run and memory is None and previous is None else None
    try:
        before = with_history(previous, history)
        before = before if before is not None and same_site(before, export.documents) else None
        # Without history (first sync, or another Drive folder) moves and redirects start afresh.
        reader = PageReader(out_dir, previous) if previous is not None and _same_format(previous) else None
        from ingest.output.normalcache import cache_path, normalized_cache, write_normalized

        normal_cache = normalized_cache(out_dir)
        normalized = _remembered(memory.normalized if memory else None, cache_path(out_dir))
        if normalized is None:
            normalized = normal_cache.read()
        site = build_site(export, before, progress=progress, jobs=jobs, previous_page=reader, settings=settings,
                          code=code_stamp(), normalized=normalized)
        files = output_files(site.texts, site.assets, export_dir, reader.checked if reader is not None else None)
        plan = plan_write(out_dir, files, site.manifest(str(export_dir), fingerprint), previous)
        if confirm is not None and not confirm():
            raise ExportChanged(export_dir)
        result = SyncResult.of_site(site, plan.summary(), dry_run)
        result.from_history = previous is None and before is not None
        if strict and site.problems:
            raise StrictError(result)
        if not dry_run:
            progress.stage("writing the docs_dir", len(plan.files) if plan.changes_files else 0)
            write_plan(plan, progress.advance, ahead.finish() if ahead is not None else None)
            if site.normalized.keys() != normalized.keys():
                write_normalized(normal_cache, out_dir, site.normalized)
            if known_cache is not None:
                known_cache.write(known)  # the entries read again only, if any (``utils.picklefile``)
            if memory is not None:
                state = file_state(out_dir / MANIFEST)
                memory.manifest = (state, plan.manifest) if state is not None else None
                state = file_state(cache_path(out_dir))
                memory.normalized = (state, site.normalized) if state is not None else None
        return _keep_history(result, plan.manifest, history_file, dry_run, memory)
    finally:
        if ahead is not None:
            ahead.cancel()  # ended early (an error, strict mode): what it made, the next sync reconciles


def _copy_ahead(export: Any, export_dir: Path, out_dir: Path) -> AssetCopy | None:
    """Start copying the export's assets into the staging folder (``output.precopy``), if worth it."""
    from ingest.output.precopy import copy_assets_ahead
    from ingest.output.write import OutputFile, spare_path

    root = os.fspath(export_dir)
    return copy_assets_ahead(spare_path(out_dir), [OutputFile.copied(asset, root) for asset in export.assets])


def _prime(memory: SyncMemory, export_dir: Path, out_dir: Path, manifest: Manifest, jobs: int) -> None:
    """After a sync with nothing to do, fill the memory of a process that will sync again (`mkdocs serve`):
    the next sync, after an edit, then reads only what the edit changed. What the last syncs read, kept
    beside the docs_dir, is not read again."""
    from ingest.output.normalcache import cache_path, normalized_cache
    from ingest.output.readcache import known_files_cache
    from ingest.read.export import read_export

    state = file_state(out_dir / MANIFEST)
    memory.manifest = (state, manifest) if state is not None else None
    if memory.normalized is None:
        state = file_state(cache_path(out_dir))
        memory.normalized = (state, normalized_cache(out_dir).read()) if state is not None else None
    if not memory.files:
        memory.files.update(known_files_cache(out_dir).read())
        read_export(export_dir, jobs, memory.files)


def _read_history(history_file: Path, memory: SyncMemory | None) -> UrlHistory | None:
    """The URL history in ``history_file`` (``read_history``); under `mkdocs serve`, the one remembered while
    the file is as the last sync found it (parsing 2,000 docs' history is a twentieth of a second a re-sync)."""
    history = _remembered(memory.history if memory else None, history_file)
    return history if history is not None else read_history(history_file)


def _keep_history(result: SyncResult, manifest: Manifest, history_file: Path | None, dry_run: bool,
                  memory: SyncMemory | None = None) -> SyncResult:
    """Bring the URL history file in step with the docs_dir's manifest (after the docs_dir is written)."""
    result.manifest = manifest
    if history_file is None:
        return result
    result.history_file = str(history_file)
    history = UrlHistory.of(manifest)
    if not dry_run and _remembered(memory.history if memory else None, history_file) == history:
        result.history_written = False  # the file holds this history already: nothing to write or compare
        return result
    text = history_text(history)
    if dry_run:
        try:
            result.history_written = history_file.read_text("utf-8") != text
        except OSError:
            result.history_written = True
        return result
    state = file_state(history_file)
    try:
        result.history_written = write_history(history_file, text)
    except OSError as exc:
        raise SyncError(f"The docs_dir was written, but not the URL history '{history_file}': {exc.strerror}. "
                        "Make it writable and sync again (nothing else needs redoing).") from None
    if memory is not None and not result.history_written and state is not None and file_state(history_file) == state:
        memory.history = (state, history)  # the file holds this very text: the next sync need not read it
    return result


def _same_format(previous: Manifest) -> bool:
    """The manifest is of this layout (an older one is treated as a first sync's)."""
    return previous.format == MANIFEST_FORMAT


def _up_to_date(previous: Manifest, fingerprint: str, export_dir: Path, out_dir: Path) -> bool:
    """The last sync read this very export with this very ingest, and its docs_dir is as it left it."""
    return (_same_format(previous) and previous.fingerprint == fingerprint
            and previous.export_path == str(export_dir) and docs_dir_intact(out_dir, previous))


class StrictError(SyncError):
    """``--strict`` and the sync found problems: nothing was written."""

    def __init__(self, result: SyncResult):
        counts = result.counts
        super().__init__(f"Aborted in strict mode with {counts['warnings']} warning(s) and {counts['errors']} error(s); "
                         "nothing was written.")
        self.result = result
