"""Stage 7, write: write the docs_dir in one step, rewriting only what changed.

The new docs_dir is prepared in a staging folder beside the old one. A file
whose content is unchanged becomes a hard link to the old one (same inode, same
mtime), so `mkdocs serve` sees only real changes; the rest is written fresh.
Then the two folders trade places in one atomic rename (Linux's
``renameat2(RENAME_EXCHANGE)``): at every moment the docs_dir is wholly the old
one or wholly the new one, even if the sync is killed. A sync that would change
nothing writes nothing. The docs_dir belongs to the sync: a folder the sync did
not write is never replaced, and a lock file beside it keeps two syncs apart.

The staging folder is kept after the swap (``.<docs_dir>.ingest-spare``, holding the old docs_dir)
and made into the next docs_dir by the next sync: only what differs is linked, written or
removed there, instead of thousands of folders and links made again (and the old ones
removed) for every edit. Nothing in it is ever written into: a file is replaced (unlinked,
then made), since its inode may be the docs_dir's or the built site's too.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Mapping

import filelock

from ingest.files import beside_docs_dir
from ingest.model import Asset
from ingest.output.manifest import MANIFEST, manifest_bytes
from ingest.site.history import FileRecord, Manifest

__all__ = ["OutputError", "LockedError", "OutputFile", "WritePlan", "check_owned", "docs_dir_lock", "lock_path",
           "plan_write", "recover", "spare_path", "write_plan"]

STAGING_PREFIX = ".ingest-staging-"
RETIRED_PREFIX = ".ingest-old-"
SPARE_SUFFIX = ".ingest-spare"


class OutputError(Exception):
    """The docs_dir cannot be written; the message says why and what to do."""


class LockedError(OutputError):
    """Another sync holds the docs_dir's lock."""


@dataclass(frozen=True)
class OutputFile:
    """One file of the new docs_dir: generated text, or an asset copied from the export."""

    dest: str
    """Path in the docs_dir, '/'-separated."""

    key: str
    """What the content is: a hash of generated data, or the source's size and mtime for an asset."""

    size: int
    text: str | None = None
    """Generated content; None for an asset. Held as text and encoded again when written, so a big
    site's pages are in memory once (not as text and as bytes)."""

    source: str | None = None
    """The export file an asset is copied from (a path: 9,000 ``Path`` objects were a tenth of a re-sync)."""

    @classmethod
    def generated(cls, dest: str, text: str) -> OutputFile:
        data = text.encode("utf-8")
        return cls(dest, "sha1:" + hashlib.sha1(data).hexdigest(), len(data), text=text)

    @classmethod
    def copied(cls, asset: Asset, export_dir: Path | str) -> OutputFile:
        """An asset, by the size and mtime the export's reader found (stat-ed here if it did not)."""
        source = os.path.join(export_dir, asset.source)
        size, mtime_ns = asset.size, asset.mtime_ns
        if not mtime_ns:
            status = os.stat(source)
            size, mtime_ns = status.st_size, status.st_mtime_ns
        return cls(asset.source, f"stat:{size}:{mtime_ns}", size, source=source)


@dataclass(frozen=True)
class WritePlan:
    """What a sync will do to the docs_dir: what it keeps, writes and removes."""

    out_dir: Path
    files: list[OutputFile]
    manifest: Manifest
    """The manifest as it will be written: the sync's, with the files of this plan."""

    keep: list[str] = field(default_factory=list)
    """Unchanged files: hard-linked from the old docs_dir, not rewritten."""

    kept_files: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Which file (device, inode) each unchanged one is in the old docs_dir, as the plan found it there:
    the staging folder may hold that very file already."""

    write: list[str] = field(default_factory=list)
    """New or changed files."""

    remove: list[str] = field(default_factory=list)
    """Files of the old docs_dir that the new one does not have."""

    manifest_changed: bool = True
    manifest_bytes: bytes = b""
    """``manifest`` as its file's bytes."""

    @property
    def changes_files(self) -> bool:
        return bool(self.write or self.remove)

    @property
    def changes_anything(self) -> bool:
        return self.changes_files or self.manifest_changed

    @property
    def files_written(self) -> int:
        """Files a run of this plan writes (the manifest counts as one)."""
        if self.changes_files:
            return len(self.write) + 1
        return 1 if self.manifest_changed else 0

    def summary(self) -> dict[str, int]:
        return {"written": self.files_written, "unchanged": len(self.keep), "removed": len(self.remove)}


def check_owned(out_dir: Path) -> None:
    """Refuse a docs_dir that the sync did not write."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"'{out_dir}' is a file, not a folder; choose another --out.")
    if out_dir.is_dir() and not (out_dir / MANIFEST).is_file() and not _fresh(out_dir):
        raise OutputError(f"'{out_dir}' is not empty and was not written by ingest (it has no {MANIFEST}); "
                          "it is left alone. Choose an empty or new folder with --out, or empty this one.")


def _fresh(out_dir: Path) -> bool:
    """An empty folder, or one holding only the ``.gitignore`` a sync writes (a fresh clone's docs_dir)."""
    entries = list(out_dir.iterdir())
    if not entries:
        return True
    if [entry.name for entry in entries] != [GITIGNORE]:
        return False
    try:
        return (out_dir / GITIGNORE).read_text("utf-8") == GITIGNORE_TEXT
    except (OSError, UnicodeDecodeError):
        return False


def lock_path(out_dir: Path) -> Path:
    """The lock file of a docs_dir: beside it, since the docs_dir itself is swapped."""
    return beside_docs_dir(out_dir, ".ingest.lock")


def spare_path(out_dir: Path) -> Path:
    """The staging folder a docs_dir keeps beside it: the docs_dir before the last swap, made into the next."""
    return beside_docs_dir(out_dir, SPARE_SUFFIX)


def docs_dir_lock(out_dir: Path, timeout: float) -> filelock.BaseFileLock:
    """Take the docs_dir's lock, waiting up to ``timeout`` seconds for another sync to finish.

    The lock is an OS file lock (flock), so a sync that was killed never leaves it held.
    """
    path = lock_path(out_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(path, timeout=timeout, preserve_lock_file=True, thread_local=False)
    try:
        lock.acquire()
    except filelock.Timeout:
        raise LockedError(f"Another sync is writing '{out_dir}': it holds the lock '{path}' and did not finish "
                          f"within {timeout:g} s. Wait for it to end and run the sync again "
                          "(or give it longer with --lock-timeout).") from None
    return lock


def recover(out_dir: Path) -> None:
    """Tidy up after a sync that was killed: put a retired docs_dir back if it is missing, drop staging folders.

    Call with the lock held.
    """
    out_dir = Path(out_dir).absolute()
    parent = out_dir.parent
    if not parent.is_dir():
        return
    staging = sorted(p for p in parent.iterdir() if p.name.startswith(f"{STAGING_PREFIX}{out_dir.name}-"))
    retired = sorted(p for p in parent.iterdir() if p.name.startswith(f"{RETIRED_PREFIX}{out_dir.name}-"))
    if not out_dir.exists() and retired:
        os.replace(retired.pop(), out_dir)  # killed between the two renames of the fallback swap
    spare = spare_path(out_dir)
    if spare.is_symlink() or (spare.exists() and not spare.is_dir()):
        staging.append(spare)  # not one the sync made: a staging folder is a folder
    for path in staging + retired:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


#: The docs_dir ignores itself in git but for this file, so that committing the folder commits only this,
#: and a fresh clone has the docs_dir MkDocs insists on (its config check runs before any plugin).
GITIGNORE = ".gitignore"
GITIGNORE_TEXT = ("# Written by the wikigdrive sync: this folder is made from the export, and only this file is\n"
                  "# committed (MkDocs needs the folder to exist before its plugin can fill it).\n*\n!.gitignore\n")


def output_files(texts: dict[str, str], assets: Iterable[Asset], export_dir: Path,
                 checked: Mapping[str, tuple[str, str, int]] | None = None) -> list[OutputFile]:
    """Every file of the new docs_dir but the manifest, in path order: generated text (and the docs_dir's
    ``.gitignore``), and assets (stat-ed). ``checked`` (``PageReader.checked``) gives the key and size of
    texts read back from the docs_dir: the very text read there is not hashed again."""
    checked = checked or {}
    files = []
    for dest, text in {**texts, GITIGNORE: GITIGNORE_TEXT}.items():
        known = checked.get(dest)
        files.append(OutputFile(dest, known[1], known[2], text=text) if known is not None and known[0] is text
                     else OutputFile.generated(dest, text))
    root = os.fspath(export_dir)  # a string joined 9,000 times, not a ``Path`` turned into one each time
    files += [OutputFile.copied(asset, root) for asset in assets]
    return sorted(files, key=lambda f: f.dest)


def plan_write(out_dir: Path, files: Iterable[OutputFile], manifest: Manifest,
               previous: Manifest | None) -> WritePlan:
    """Compare the new docs_dir with the old one: which files stay, which are written, which go.

    A file is kept only when the old manifest gives it the same content (key, or an
    asset's content hash) and the file on disk still has the recorded size and was
    not touched after that sync. The plan's manifest is ``manifest`` with these files.
    """
    out_dir = Path(out_dir).absolute()
    files = list(files)
    old_files = previous.files if previous is not None else {}
    try:
        written_at = os.stat(out_dir / MANIFEST).st_mtime_ns
    except OSError:
        written_at = -1
    records: dict[str, FileRecord] = {}
    keep, write = [], []
    kept_files: dict[str, tuple[int, int]] = {}
    root = os.fspath(out_dir)
    for file in files:
        old = old_files.get(file.dest)
        same = old is not None and old.key == file.key and old.size == file.size
        if file.source is not None and old is not None and not same and old.size == file.size:
            # An asset whose date changed at the same size (a fresh download rewrites every file): settled by
            # its content, against the docs_dir's copy (or the hash an older manifest kept). Nothing is hashed
            # otherwise, and no hash is kept, so the manifest is the same whatever the syncs before it were.
            same = _file_sha1(file.source) == (old.sha1 or _untouched_sha1(os.path.join(root, file.dest), file.size,
                                                                          written_at))
        records[file.dest] = FileRecord(file.key, file.size, None)
        identity = _untouched_identity(f"{root}/{file.dest}", file.size, written_at,
                                       changed=file.text is not None) if same else None
        if identity is not None:
            keep.append(file.dest)
            kept_files[file.dest] = identity
        else:
            write.append(file.dest)
    new_dests = {file.dest for file in files}
    written = manifest.with_files(records)
    data = manifest_bytes(written)
    return WritePlan(out_dir, files, written, keep, kept_files, write,
                     sorted(dest for dest in old_files if dest not in new_dests), _read_bytes(out_dir / MANIFEST) != data,
                     data)


class PageReader:
    """``dest`` → the text the last sync wrote there, or None if the file is gone or not as written.

    The build reuses such a page when it would come out the same (see ``ingest.site.build``); a file
    changed since (by its change time) has its content key checked too, so a page edited by hand is always
    made again, whatever dates it was given. Each text it gives is
    kept with that key (``checked``), so the docs_dir's plan does not hash the page again.
    """

    def __init__(self, out_dir: Path, manifest: Manifest) -> None:
        self.files = manifest.files
        self.root = os.fspath(out_dir)
        try:
            self.written_at: int | None = os.stat(Path(out_dir) / MANIFEST).st_mtime_ns
        except OSError:
            self.written_at = None
        self.checked: dict[str, tuple[str, str, int]] = {}
        """Each page given, by its path: (its text, its content key, its size)."""

    def __call__(self, dest: str) -> str | None:
        entry = self.files.get(dest)
        if entry is None or self.written_at is None:
            return None
        try:
            with open(os.path.join(self.root, dest), "rb") as handle:
                status = os.fstat(handle.fileno())
                if not _as_written(status, entry.size, self.written_at):
                    return None
                data = handle.read()
            # Unchanged since the manifest was written: the content the manifest names. Otherwise (a date set
            # back by hand) it is hashed to tell.
            if _changed_after(status, self.written_at) and "sha1:" + hashlib.sha1(data).hexdigest() != entry.key:
                return None
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self.checked[dest] = (text, entry.key, len(data))
        return text


def _untouched(path: str, size: int, written_at: int) -> bool:
    """The file the last sync wrote is still there, as it was written."""
    return _untouched_identity(path, size, written_at) is not None


def _untouched_identity(path: str, size: int, written_at: int, changed: bool = False) -> tuple[int, int] | None:
    """Which file (device, inode) the last sync wrote at ``path``, if it is still there as it was written.

    With ``changed``, by its change time too (which no program can set back): for the pages, which nothing
    links to (an image's links into the site change its change time), so a page edited by hand is written
    again whatever dates it was given.
    """
    if written_at < 0:
        return None
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    if changed and _changed_after(status, written_at):
        return None
    return (status.st_dev, status.st_ino) if _as_written(status, size, written_at) else None


def _changed_after(status: os.stat_result, written_at: int) -> bool:
    """Whether the file was changed (written, dated, linked) after ``written_at``: by its change time, which no
    program can set back."""
    return status.st_ctime_ns > written_at


def _as_written(stat: os.stat_result, size: int, written_at: int) -> bool:
    """A file of the size the manifest gives, not touched since the manifest was written."""
    return stat.st_size == size and stat.st_mtime_ns <= written_at


def _untouched_sha1(path: str, size: int, written_at: int) -> str | None:
    """The hash of a docs_dir file the last sync wrote, if it is still as written."""
    if written_at < 0 or not _untouched(path, size, written_at):
        return None
    try:
        return _file_sha1(Path(path))
    except OSError:
        return None


def _file_sha1(path: str | Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha1").hexdigest()


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


#: Threads writing the files of a new docs_dir.
WRITE_THREADS = 4


def write_plan(plan: WritePlan, progress: Callable[[int], None] | None = None,
               made_ahead: Mapping[str, tuple[str, tuple[int, int]]] | None = None) -> None:
    """Carry out a plan: nothing, the manifest alone, or a whole new docs_dir swapped in. ``made_ahead``: the
    files copied into the staging folder ahead (``ingest.output.precopy``), by path: content key, (device, inode)."""
    out_dir = plan.out_dir
    if not plan.changes_anything:
        return
    if not plan.changes_files and out_dir.is_dir():
        _replace_file(out_dir, MANIFEST, plan.manifest_bytes)
        return
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = spare_path(out_dir)
    try:
        staging.mkdir()
    except FileExistsError:
        pass  # the docs_dir before the last sync: made into this one below
    _stage(plan, staging, progress, made_ahead or {})
    _swap(staging, out_dir)  # afterwards the staging folder holds the old docs_dir, for the next sync


def _stage(plan: WritePlan, staging: Path, progress: Callable[[int], None] | None,
           made_ahead: Mapping[str, tuple[str, tuple[int, int]]]) -> None:
    """Make ``staging`` hold exactly the plan's docs_dir: unchanged files as hard links to the docs_dir's,
    the others written; whatever it held before (an older docs_dir, or a sync's that was stopped) is
    kept where it is already right, and removed or replaced where not. A file ``made_ahead`` with the
    content it is to have, and still there, is not written again."""
    old_root, new_root = os.fspath(plan.out_dir), os.fspath(staging)
    keep = set(plan.keep)
    wanted = {file.dest for file in plan.files} | {MANIFEST}
    folders = _folders_of(wanted)
    found = _clear_unwanted(new_root, "", wanted, folders)
    for folder in sorted(folders - found.keys()):
        os.mkdir(os.path.join(new_root, folder))

    def put(file: OutputFile) -> None:
        target = os.path.join(new_root, file.dest)
        if file.dest in found:
            if made_ahead.get(file.dest) == (file.key, found[file.dest]):
                return  # copied ahead, while the pages were made
            os.unlink(target)  # never written into: its inode may be the docs_dir's or the site's
        if file.text is not None:
            _write_file(Path(target), file.text.encode("utf-8"))
        else:
            _copy_file(file.source, Path(target))

    # Unchanged files are linked here, one after the other (a link is one quick system call: a
    # thread each would cost more), unless the staging folder holds that very file already; the
    # others go in on a few threads: the time is the kernel's (allocating, copying), and it runs on
    # every core at once. The swap still puts them in place in one step.
    fresh = []
    for file in plan.files:
        if file.dest not in keep:
            fresh.append(file)
            continue
        there = found.get(file.dest)
        if there is None or there != plan.kept_files.get(file.dest):
            target = os.path.join(new_root, file.dest)
            if there is not None:
                os.unlink(target)
            _link(os.path.join(old_root, file.dest), target)
        if progress is not None:
            progress(1)
    if len(fresh) < WRITE_THREADS:  # an edit's page or two: a pool's threads (and its module) would cost more
        for file in fresh:
            put(file)
            if progress is not None:
                progress(1)
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(WRITE_THREADS) as pool:
            for _ in pool.map(put, fresh):
                if progress is not None:
                    progress(1)
    manifest = os.path.join(new_root, MANIFEST)
    if MANIFEST in found:
        os.unlink(manifest)
    _write_file(Path(manifest), plan.manifest_bytes)
    os.chmod(staging, 0o755)


def _folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder the ``/``-separated ``paths`` are in, at any depth: ``a/b/c.md`` → ``a``, ``a/b``.

    >>> sorted(_folders_of(["a/b/c.md", "a/d.md", "e.md"]))
    ['a', 'a/b']
    """
    folders: set[str] = set()
    for path in paths:
        folder = path.rpartition("/")[0]
        while folder and folder not in folders:  # thousands of files share a few hundred folders
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    return folders


def _clear_unwanted(root: str, rel: str, files: set[str], folders: set[str],
                    device: int | None = None) -> dict[str, tuple[int, int] | None]:
    """Remove from the folder ``rel`` of ``root`` every entry that is not one of ``files`` or ``folders``;
    returns the ones left (files with their device and inode, folders with None). The inode is the one the
    folder lists (no file is stat-ed: 9,000 of them were a tenth of a re-sync); the device is ``root``'s."""
    if device is None:
        device = os.stat(root).st_dev
    left: dict[str, tuple[int, int] | None] = {}
    with os.scandir(os.path.join(root, rel)) as scan:
        entries = list(scan)
    for entry in entries:
        path = f"{rel}/{entry.name}" if rel else entry.name
        if entry.is_dir(follow_symlinks=False):
            if path in folders:
                left.update(_clear_unwanted(root, path, files, folders, device))
                left[path] = None
            else:
                shutil.rmtree(entry.path)
        elif path in files and entry.is_file(follow_symlinks=False):
            left[path] = (device, entry.inode())
        else:
            os.unlink(entry.path)
    return left


# --- the file operations: small, so a test can stop the sync between any two of them -----------

def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)


def _copy_file(source: str | None, target: Path) -> None:
    assert source is not None
    shutil.copyfile(source, target)


def _link(existing: str, target: str) -> None:
    """A hard link to an unchanged file; a copy keeping its mtime where links are not possible."""
    try:
        os.link(existing, target)
    except OSError:
        shutil.copy2(existing, target)


def _replace_file(out_dir: Path, dest: str, data: bytes) -> None:
    """Replace one file of the docs_dir atomically; the temporary file sits beside it, never half in it."""
    handle, temp = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}{out_dir.name}-", dir=out_dir.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, out_dir / dest)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux 3.15+); False where the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` where ``out_dir`` is; afterwards ``staging`` holds the old docs_dir (if there was one)."""
    if not out_dir.exists():
        os.replace(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        return
    # No atomic exchange here: two renames. A sync killed between them leaves the old
    # docs_dir under a retired name, and the next sync puts it back (recover()).
    retired = Path(tempfile.mkdtemp(prefix=f"{RETIRED_PREFIX}{out_dir.name}-", dir=out_dir.parent))
    os.rmdir(retired)
    os.replace(out_dir, retired)
    try:
        os.replace(staging, out_dir)
    except BaseException:
        os.replace(retired, out_dir)
        raise
    os.replace(retired, staging)
