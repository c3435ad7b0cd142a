"""Keep the last build's site in place, so a rebuild makes again only what it changes.

MkDocs empties ``site_dir`` at the start of every build that is not ``--dirty`` and writes it all
again. On a whole export that is some 1,800 folders made and 8,600 images linked again (``staticfiles``)
on every rebuild, about a second of a rebuild that changes one page, and of every `mkdocs serve`
reload. Here the old files stay, and what the build did not write is removed at its end, so the site
is, file for file, what a build into an empty folder writes:

1. :meth:`KeptSite.set_aside` (``on_pre_build``): the site's entries move into a hidden folder in it,
   which MkDocs' clean leaves alone (it keeps the entries whose names start with a dot, like ``.git``).
2. :meth:`KeptSite.restore` (``on_files``, before anything is written): they move back.
3. :meth:`KeptSite.unlink_old_links` (``on_env``, before anything is written): a file the last build
   linked to a docs_dir file, and which this build does not link, is removed, so no later write of
   this build can go through the link into the docs_dir. The build then links its images (a file
   already linked to its docs_dir file stays) and writes its pages over the old ones.
4. :meth:`KeptSite.finish` (``on_post_build``): every file the build neither linked nor wrote since it
   started, nor kept as it was (:meth:`KeptSite.keep`: a page not built again, ``incremental``), is
   removed, and the folders that leaves empty.

The links the last build made are recorded (in the cache folder, and in memory for `mkdocs serve`);
without that record the site is not kept. A build marks the record spent while it runs (a marker file
beside it), so after one that stopped half-way the next starts clean; one that ends writes the record
again only if its links changed. Nor is it with a plugin this does not know writes every
file afresh (a file it copied with its old date would be swept), on a file system that dates files
in whole seconds, in a ``--dirty`` build, or with the cache off (which also keeps it to the MkDocs
version the caches are written for): MkDocs' own clean runs then. A build that fails before
``restore`` puts the old site back.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ingest.utils.atomicfile import RecordFile

#: The hidden folder in ``site_dir`` that holds the last build's files while MkDocs cleans.
ASIDE = ".wikigdrive-kept"

#: The plugins known to write each of their files afresh (a new date) in every build.
KNOWN_PLUGINS = frozenset({"search", "material/search", "tags", "material/tags", "redirects", "wikigdrive"})

#: The record's format.
FORMAT = 1


@dataclass
class KeptStats:
    """What the last build did with the site it found."""

    kept: bool = False
    """The last build's files stayed (otherwise MkDocs emptied the folder, or it was empty)."""
    unlinked: int = 0
    """Files linked by the build before and not by this one, removed before anything was written."""
    removed: int = 0
    """Files and folders no longer in the site, removed at the end."""


@dataclass
class KeptSite:
    """The site folder of one build, kept from the last (see the module docstring)."""

    record: Path | None
    """The record of the links the last build made (a JSON file), or None to keep it in memory only."""
    site_dir: str = ""
    start_ns: int = 0
    """The file system's clock when the build started: a file written since is dated at least this."""
    aside: bool = False
    """The last build's files are in ``ASIDE`` (between :meth:`set_aside` and :meth:`restore`)."""
    active: bool = False
    """This build keeps the old site (set aside, and to be swept at the end)."""
    links: set[str] = field(default_factory=set)
    """The site files this build linked to docs_dir files (absolute paths)."""
    kept: set[str] = field(default_factory=set)
    """The site files this build left as the last one wrote them (pages it did not build again)."""
    old_links: frozenset[str] = frozenset()
    emptied: set[str] = field(default_factory=set)
    """The folders :meth:`unlink_old_links` removed files from (their dates are this build's)."""
    remembered: tuple[str, frozenset[str]] | None = None
    """The last build's site folder and links, for the next build in this process."""
    _recorded: frozenset[str] | None = None
    """The links the record on disk held when this build took it."""
    stats: KeptStats = field(default_factory=KeptStats)

    def set_aside(self, site_dir: str, plugins: Iterable[str], keep: bool = True) -> bool:
        """Start a build: move the site's entries out of MkDocs' way if it can keep them (``keep``, a
        record of the last build's links, and only known ``plugins``); True if it does."""
        self.site_dir = os.path.abspath(site_dir)
        self.aside = self.active = False
        self.links, self.kept, self.emptied = set(), set(), set()
        self.stats = KeptStats()
        old = self._take_record()
        aside = os.path.join(self.site_dir, ASIDE)
        if os.path.lexists(aside):  # left by a build that was stopped before it put the site back
            _remove(aside)
        if not keep or old is None or not set(plugins) <= KNOWN_PLUGINS:
            return False
        try:
            entries = [name for name in os.listdir(self.site_dir) if not name.startswith(".")]
            if not entries:
                return False
            os.mkdir(aside)
        except OSError:
            return False
        os.utime(aside)  # dated by the file system's clock, as the files the build writes are
        self.start_ns = os.stat(aside).st_mtime_ns
        if self.start_ns % 1_000_000_000 == 0:
            # Dates in whole seconds (FAT, ext4 with small inodes): a file of a build that ended in the
            # same second would look written by this one, and stay. Such a folder is emptied as MkDocs does.
            os.rmdir(aside)
            return False
        moved = []
        try:
            for name in entries:
                os.rename(os.path.join(self.site_dir, name), os.path.join(aside, name))
                moved.append(name)
        except OSError:
            for name in moved:
                os.rename(os.path.join(aside, name), os.path.join(self.site_dir, name))
            os.rmdir(aside)
            return False
        self.aside = self.active = self.stats.kept = True
        self.old_links = old
        return True

    def restore(self) -> None:
        """Put the set-aside files back (where nothing of this build is yet)."""
        if not self.aside:
            return
        aside = os.path.join(self.site_dir, ASIDE)
        self.aside = False
        try:
            names = os.listdir(aside)
        except FileNotFoundError:  # the clean removed it after all: this build is a clean one
            self.active = self.stats.kept = False
            return
        for name in names:
            source, target = os.path.join(aside, name), os.path.join(self.site_dir, name)
            if os.path.lexists(target):
                _remove(source)
            else:
                os.rename(source, target)
        os.rmdir(aside)

    def unlink_old_links(self, links: Iterable[str]) -> None:
        """Remove the files the last build linked that this one will not link (``links``, absolute paths)."""
        if not self.active:
            return
        for path in self.old_links.difference(links):
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
            self.stats.unlinked += 1
            self.emptied.add(os.path.dirname(path))  # newly dated now, but not made by this build

    def linked(self, path: str) -> None:
        """Note a site file this build linked to (or copied from) a docs_dir file."""
        self.links.add(path)

    def keep(self, path: str) -> None:
        """Note a site file the last build wrote that this one leaves as it is (not swept at the end)."""
        self.kept.add(path)

    def finish(self) -> None:
        """End a build that wrote every file: remove what it did not write, and record its links."""
        if self.active:
            self.stats.removed = self._sweep_folder(self.site_dir, top=True)[1]
            self.active = False
        self._put_record()

    def failed(self) -> None:
        """A build that stopped: the old site comes back if it was set aside; with the record of links spent
        (:meth:`set_aside` marked it so), the next build starts clean."""
        self.restore()
        self.active = False

    def _sweep_folder(self, folder: str, top: bool = False) -> tuple[bool, int]:
        """(whether ``folder`` is left empty, how many entries were removed under it)."""
        removed, left = 0, 0
        with os.scandir(folder) as scan:
            entries = list(scan)
        for entry in entries:
            if top and entry.name.startswith("."):  # MkDocs' clean leaves these too
                left += 1
                continue
            if entry.is_dir(follow_symlinks=False):
                empty, under = self._sweep_folder(entry.path)
                removed += under
                stale = empty and (under > 0 or entry.path in self.emptied or self._older(entry))
                remove = os.rmdir
            else:
                stale = entry.path not in self.links and entry.path not in self.kept and self._older(entry)
                remove = os.unlink
            gone = stale and _removed(remove, entry.path)
            removed += gone
            left += not gone
        return left == 0, removed

    def _older(self, entry: os.DirEntry) -> bool:
        """Dated before this build started: not written by it."""
        return entry.stat(follow_symlinks=False).st_mtime_ns < self.start_ns

    # --- the record of the last build's links ------------------------------------------------

    def _take_record(self) -> frozenset[str] | None:
        """The last build's links into this site folder, if known. The record is spent for as long as this
        build runs (a marker beside it), so a build that stops half-way leaves none, and the next one starts clean."""
        remembered, self.remembered = self.remembered, None
        self._recorded = None
        data = RecordFile(self.record).take() if self.record is not None else None
        if remembered is not None and remembered[0] == self.site_dir:
            return remembered[1]
        if (isinstance(data, dict) and data.get("format") == FORMAT and data.get("site_dir") == self.site_dir
                and isinstance(data.get("links"), list)):
            self._recorded = frozenset(os.path.join(self.site_dir, str(rel)) for rel in data["links"])
            return self._recorded
        return None

    def _put_record(self) -> None:
        links = frozenset(self.links)
        self.remembered = (self.site_dir, links)
        if self.record is None:
            return
        if links == self._recorded:
            RecordFile(self.record).keep()  # the record on disk stands
            return
        rel = sorted(os.path.relpath(path, self.site_dir) for path in links)
        RecordFile(self.record).keep({"format": FORMAT, "site_dir": self.site_dir, "links": rel})


def _remove(path: str) -> None:
    """Remove a file or folder, as far as it can be (as MkDocs' clean does)."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        _removed(os.unlink, path)


def _removed(remove: Callable[[str], None], path: str) -> bool:
    """``remove(path)``; False where the file system refuses (the file stays, as with MkDocs' clean)."""
    try:
        remove(path)
    except FileNotFoundError:
        pass
    except OSError:
        return False
    return True
