"""A first sync's images and attachments copied into the staging folder while the pages are made.

A sync that writes the whole docs_dir (the first, or one after the docs_dir was deleted) makes a file
for every image of the export: 8,600 on a whole wiki, seconds of the kernel's time. The pages are made
first, on every core, and the files written after: the two one after the other left a core idle for a
third of the sync. Here another process (``python -m ingest.output.precopy``, started before the pages are
made) copies the export's assets into the staging folder the sync swaps in at its end
(``ingest.output.write``), and tells which file it made of each (its content key and inode). When the sync
stages its docs_dir, a file that is still the one made ahead, of the same content key, is not written again;
everything else is written as before.

The process is started afresh, not forked: a fork shares the sync's memory, and every page of it the sync
then touched was copied, which doubled the kernel's time. Nothing is written into an existing file (one in
the staging folder is removed first: it may be a link to a file of the docs_dir or of the site), and nothing
outside the staging folder, which only the sync holding the docs_dir's lock writes. A copy that failed, or a
process that was stopped, leaves files the staging reconciles as it does a stopped sync's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # the copying process imports nothing of the sync
    from ingest.output.write import OutputFile

#: Below this many assets a first sync writes them with its pages: a process is not worth starting.
MIN_ASSETS = 256

#: Threads copying in the process: the time is the kernel's (allocating, copying).
THREADS = 4

#: What was made ahead of each file, by its path in the docs_dir: its content key, and (device, inode).
Made = dict[str, tuple[str, tuple[int, int]]]


class AssetCopy:
    """The copying of ``files`` ((path in the docs_dir, content key, source path) each) into ``staging``,
    in another process from :meth:`start` to :meth:`finish`."""

    def __init__(self, staging: Path, files: Iterable[tuple[str, str, str]]) -> None:
        self.staging = os.fspath(staging)
        self.files = list(files)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> bool:
        """Start the copying process; False where it could not be started (nothing is copied ahead)."""
        try:
            self.process = subprocess.Popen([sys.executable, "-m", __name__], stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            assert self.process.stdin is not None
            self.process.stdin.write(json.dumps({"staging": self.staging, "files": self.files}).encode("utf-8"))
            self.process.stdin.close()
        except (OSError, ValueError):
            self.cancel()
            return False
        return True

    def finish(self) -> Made:
        """Wait for the copying to end: what it made (empty where it failed)."""
        if self.process is None:
            return {}
        assert self.process.stdout is not None
        try:
            data = json.loads(self.process.stdout.read() or b"{}")
            made: Made = {dest: (str(key), (int(device), int(inode))) for dest, (key, device, inode) in data.items()}
        except (OSError, ValueError, TypeError):
            made = {}
        self.process.stdout.close()
        self.process.wait()
        self.process = None
        return made

    def cancel(self) -> None:
        """Stop the copying, if it still runs (the sync ended early); what it made is reconciled by the next."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
            self.process = None


def copy_assets_ahead(staging: Path, files: list[OutputFile]) -> AssetCopy | None:
    """Start copying the assets ``files`` into ``staging``; None where there are too few to be worth it, or no
    process could be started."""
    if len(files) < MIN_ASSETS:
        return None
    copy = AssetCopy(staging, [(file.dest, file.key, file.source) for file in files if file.source is not None])
    return copy if copy.start() else None


def copy_all(staging: str, files: Iterable[tuple[str, str, str]]) -> dict[str, tuple[str, int, int]]:
    """Copy each file into ``staging`` (replacing, never writing into, what is there): what was made of each,
    by its path (content key, device, inode); a file that could not be copied is left out."""
    made: dict[str, tuple[str, int, int]] = {}
    folders: set[str] = set()

    def copy(item: tuple[str, str, str]) -> None:
        dest, key, source = item
        target = os.path.join(staging, dest)
        folder = os.path.dirname(target)
        try:
            if folder not in folders:
                os.makedirs(folder, exist_ok=True)
                folders.add(folder)
            try:
                os.unlink(target)  # never written into: it may be a link to the docs_dir's or the site's
            except FileNotFoundError:
                pass
            shutil.copyfile(source, target)
            status = os.stat(target, follow_symlinks=False)
        except OSError:
            return  # left to the staging, which writes what it does not find made
        made[dest] = (key, status.st_dev, status.st_ino)

    with ThreadPoolExecutor(THREADS) as pool:
        for _ in pool.map(copy, files):
            pass
    return made


def main() -> None:
    """The copying process: the staging folder and the files as JSON on stdin, what was made as JSON on stdout."""
    task = json.loads(sys.stdin.buffer.read())
    made = copy_all(task["staging"], [tuple(item) for item in task["files"]])
    sys.stdout.write(json.dumps(made))


if __name__ == "__main__":
    main()
