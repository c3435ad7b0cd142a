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
    normal: dict[str, bool] = {}  # each folder files are in or go to: absolute and normal?
    targets = []
    for file in files:
        if file.is_documentation_page() or file._content is not None:
            continue
        source, is_normal = _path(file, "abs_src_path", "src_dir", "src_uri", normal)
        if not source or not (source if is_normal else os.path.abspath(source)).startswith(root):
            continue
        target = _path(file, "abs_dest_path", "dest_dir", "dest_uri", normal)[0]
        file.copy_file = _LinkingCopy(file, source, target, folders, linked)
        targets.append(target)
    return targets


def _path(file: Any, name: str, folder_name: str, uri_name: str, normal: dict[str, bool]) -> tuple[str | None, bool]:
    """``file``'s ``abs_src_path`` or ``abs_dest_path`` (``name``) as MkDocs makes it, ``normpath(join(folder,
    uri))``, and whether it is known to be absolute and normal. Joined as strings where that is the same, on
    POSIX, for an absolute, normal folder and a normal URI (three ``normpath`` calls a file, on 8,600 files,
    are a twentieth of a second of each build)."""
    made = vars(file).get(name)
    if made is not None or name in vars(file):  # made already, or set by a plugin
        return made, False
    folder, uri = getattr(file, folder_name, None), getattr(file, uri_name, None)
    if type(folder) is str and type(uri) is str and os.sep == "/":
        is_normal = normal.get(folder)
        if is_normal is None:
            is_normal = normal[folder] = os.path.isabs(folder) and os.path.normpath(folder) == folder
        if is_normal and _normal_uri(uri):
            return (folder + uri if folder == "/" else folder + "/" + uri), True
    return getattr(file, name), False


def _normal_uri(uri: str) -> bool:
    """Whether ``normpath`` leaves the relative, ``/``-separated ``uri`` as it is (and joining adds nothing)."""
    if not uri or uri[0] == "/" or uri[-1] == "/" or "//" in uri:
        return False
    return "/." not in "/" + uri or not any(part in (".", "..") for part in uri.split("/"))


class _LinkingCopy:
    """``File.copy_file`` that makes a hard link (or, where it cannot, a copy, as MkDocs does)."""

    __slots__ = ("file", "folders", "linked", "source", "target")

    def __init__(self, file: Any, source: str, target: str, folders: set[str], linked: Callable[[str], None]) -> None:
        self.file = file
        self.source = source
        self.target = target
        self.folders = folders
        self.linked = linked

    def __call__(self, dirty: bool = False) -> None:
        if dirty and not self.file.is_modified():
            return
        link_or_copy(self.source, self.target, self.folders)
        self.linked(self.target)


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
