"""Put the docs_dir's images and attachments into the site as hard links instead of copies.

A whole export carries thousands of images and attachments (8,600 files in the 2023 corpus), and
MkDocs copies each into the site on every build: seconds of a build that changes none of them.
The sync writes the docs_dir by replacing files, never by writing into one (``ingest.output.write``),
so a site file linked to a docs_dir file keeps its bytes when the next sync changes the docs_dir.
Where a link cannot be made (another file system: `mkdocs serve` builds into a temporary folder),
the file is copied as MkDocs copies it. Only files the docs_dir holds are linked: the theme's
own assets are copied, so nothing in the site is a link into the installed packages.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from mkdocs import utils


def link_static_files(files: Any, docs_dir: str, linked: Callable[[str], None] = lambda path: None) -> list[str]:
    """Have the docs_dir's non-page files of ``files`` linked rather than copied; returns their site paths.

    ``linked`` is told each site path once its link (or copy) is made.
    """
    root = os.path.join(os.path.abspath(docs_dir), "")
    folders: set[str] = set()  # made in this build: thousands of files share a few hundred folders
    targets = []
    for file in files:
        if file.is_documentation_page() or file._content is not None or not file.abs_src_path:
            continue
        if not os.path.abspath(file.abs_src_path).startswith(root):
            continue
        file.copy_file = _LinkingCopy(file, folders, linked)
        targets.append(file.abs_dest_path)
    return targets


class _LinkingCopy:
    """``File.copy_file`` that makes a hard link (or, where it cannot, a copy, as MkDocs does)."""

    def __init__(self, file: Any, folders: set[str], linked: Callable[[str], None]) -> None:
        self.file = file
        self.folders = folders
        self.linked = linked

    def __call__(self, dirty: bool = False) -> None:
        file = self.file
        if dirty and not file.is_modified():
            return
        link_or_copy(file.abs_src_path, file.abs_dest_path, self.folders)
        self.linked(file.abs_dest_path)


def link_or_copy(source: str, target: str, folders: set[str] | None = None) -> None:
    """Make ``target`` a hard link to ``source``, replacing what is there; a copy where links cannot be made.

    ``folders`` holds the folders known to exist (and gets the ones made).
    """
    try:
        if os.path.samefile(source, target):
            return
    except OSError:
        pass
    folder = os.path.dirname(target)
    if folders is None or folder not in folders:
        Path(folder).mkdir(parents=True, exist_ok=True)
        if folders is not None:
            folders.add(folder)
    try:
        os.unlink(target)
    except FileNotFoundError:
        pass
    except OSError:
        utils.copy_file(source, target)
        return
    try:
        os.link(source, target)
    except OSError:
        utils.copy_file(source, target)
