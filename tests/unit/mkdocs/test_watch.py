"""ingest/mkdocs/watch.py: under `mkdocs serve`, a change to the export asks for a rebuild at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from ingest.mkdocs import watch
from ingest.mkdocs.watch import ExportWatcher


class Server:
    """What the watcher uses of MkDocs 1.6.1's LiveReloadServer: the rebuild flag and its condition."""

    def __init__(self) -> None:
        self._rebuild_cond = threading.Condition()
        self._want_rebuild = False

    def wait_for_rebuild(self, timeout: float) -> bool:
        with self._rebuild_cond:
            return self._rebuild_cond.wait_for(lambda: self._want_rebuild, timeout=timeout)

    def reset(self) -> None:
        with self._rebuild_cond:
            self._want_rebuild = False


@pytest.fixture
def watched(tmp_path):
    export = tmp_path / "export"
    (export / "guides").mkdir(parents=True)
    (export / "guides" / "start.md").write_text("---\ntitle: Start\n---\nHello.\n", "utf-8")
    server, watcher = Server(), ExportWatcher()
    if not watcher.start(server, export):
        pytest.skip("no native file watcher (inotify) here: MkDocs' polling alone watches the export")
    yield export, server, watcher
    watcher.stop()


def settle(server: Server) -> None:
    """Let the events of what the fixture wrote pass, then start afresh."""
    time.sleep(0.3)
    server.reset()


def test_a_write_in_the_export_asks_for_a_rebuild_at_once(watched):
    export, server, _ = watched
    settle(server)
    (export / "guides" / "start.md").write_text("---\ntitle: Start\n---\nEdited.\n", "utf-8")
    assert server.wait_for_rebuild(timeout=2.0)


@pytest.mark.parametrize("change", ["add", "remove", "move", "touch"])
def test_a_doc_added_removed_moved_or_touched_asks_for_a_rebuild(watched, change):
    export, server, _ = watched
    settle(server)
    doc = export / "guides" / "start.md"
    if change == "add":
        (export / "guides" / "new.md").write_text("New.\n", "utf-8")
    elif change == "remove":
        doc.unlink()
    elif change == "move":
        doc.rename(export / "moved.md")
    else:
        doc.touch()
    assert server.wait_for_rebuild(timeout=2.0)


def test_reading_the_export_asks_for_nothing(watched):
    """The sync reads every doc of the export: that must not ask for another rebuild."""
    export, server, _ = watched
    settle(server)
    for path in export.rglob("*"):
        if path.is_file():
            path.read_bytes()
    assert not server.wait_for_rebuild(timeout=0.5)


def test_after_stop_nothing_is_asked(tmp_path):
    server, watcher = Server(), ExportWatcher()
    if not watcher.start(server, tmp_path):
        pytest.skip("no native file watcher (inotify) here")
    watcher.stop()
    assert watcher.observer is None
    (tmp_path / "late.md").write_text("Late.\n", "utf-8")
    assert not server.wait_for_rebuild(timeout=0.5)


def test_with_another_mkdocs_only_mkdocs_watches(tmp_path, monkeypatch):
    monkeypatch.setattr(watch, "SUPPORTED_MKDOCS", frozenset({"0.0"}))
    watcher = ExportWatcher()
    assert watcher.start(Server(), tmp_path) is False and watcher.observer is None
    assert not watch.can_ask(object(), version="1.6.1")  # not a server it knows


MOUNTS = r"""/dev/vda / ext4 rw,relatime 0 0
server:/wiki /mnt/drive nfs4 rw,relatime 0 0
/dev/vdb /mnt/drive/local\040copy xfs rw 0 0
tmpfs /tmp tmpfs rw 0 0
"""


@pytest.mark.parametrize("path, kind", [
    ("/home/editor/export", "ext4"),
    ("/mnt/drive/export", "nfs4"),
    ("/mnt/drive", "nfs4"),
    ("/mnt/drive/local copy/export", "xfs"),  # a mount point with a space, as the kernel writes it (\040)
    ("/mnt/drive/local copyist", "nfs4"),
    ("/tmp/export", "tmpfs"),
])
def test_the_file_system_of_a_path_is_that_of_the_longest_mount_point_above_it(path, kind):
    assert watch.file_system(Path(path), MOUNTS) == kind


def test_on_a_network_mount_mkdocs_polling_watches_the_export(tmp_path, monkeypatch):
    """Changes made on another machine reach no inotify here: MkDocs' polling must watch such an export."""
    monkeypatch.setattr(watch, "file_system", lambda path, mounts=None: "nfs4")
    watcher = ExportWatcher()
    assert watcher.start(Server(), tmp_path) is False and watcher.observer is None


def test_an_export_folder_made_anew_at_its_path_is_watched_in_its_turn(watched, monkeypatch, tmp_path):
    """inotify follows a folder, not a path: a new download put where the export was is watched too."""
    export, server, _ = watched
    settle(server)
    export.rename(tmp_path / "old-export")
    export.mkdir()
    assert server.wait_for_rebuild(timeout=3.0)  # the folder at the path is another one
    settle(server)
    (export / "fresh.md").write_text("Fresh.\n", "utf-8")
    assert server.wait_for_rebuild(timeout=2.0)
    settle(server)
    (tmp_path / "old-export" / "guides" / "start.md").write_text("Not the export any more.\n", "utf-8")
    assert not server.wait_for_rebuild(timeout=0.5)


@pytest.mark.parametrize("native", [True, False], ids=["inotify", "polling"])
def test_the_plugin_watches_the_export_under_serve_and_not_the_docs_dir(tmp_path, monkeypatch, native):
    from types import SimpleNamespace

    from ingest.mkdocs.plugin import WikiGDrivePlugin

    if not native:
        monkeypatch.setattr(watch, "file_system", lambda path, mounts=None: "cifs")
    plugin = WikiGDrivePlugin()
    plugin.load_config({"export_dir": str(tmp_path)})
    watched, unwatched = [], []
    server = Server()
    server.watch, server.unwatch = watched.append, unwatched.append
    plugin.on_serve(server, SimpleNamespace(docs_dir=str(tmp_path / "docs")), None)
    assert unwatched == [str(tmp_path / "docs")]
    if native and plugin.export_watcher.observer is None:
        pytest.skip("no native file watcher (inotify) here")
    assert watched == ([] if native else [str(tmp_path)])  # polling too would ask for each rebuild twice
    plugin.on_shutdown()
    assert plugin.export_watcher.observer is None


def test_a_new_export_folder_inotify_cannot_watch_is_left_to_mkdocs_polling(watched, monkeypatch, tmp_path):
    export, server, watcher = watched
    polled: list[str] = []
    server.watch = polled.append
    monkeypatch.setattr(watcher.observer, "schedule", lambda *args, **options: (_ for _ in ()).throw(
        OSError(28, "inotify watch limit reached")))
    settle(server)
    export.rename(tmp_path / "old-export")
    export.mkdir()
    assert server.wait_for_rebuild(timeout=3.0)
    deadline = time.monotonic() + 3.0
    while not polled and time.monotonic() < deadline:
        time.sleep(0.05)
    assert polled == [str(export)] and watcher.observer is None
