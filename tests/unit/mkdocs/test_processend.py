"""The end of a command-line `mkdocs build` (ingest/mkdocs/processend.py): the teardown is spared only
where MkDocs' command line is the process."""

from __future__ import annotations

import contextlib
import gc
import re
import subprocess
import sys
import types

import click
import mkdocs.__main__
import pytest

from ingest.mkdocs import processend
from ingest.utils.collector import COMMAND_THRESHOLD


@pytest.fixture
def unfrozen():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


@contextlib.contextmanager
def mkdocs_command_line(monkeypatch, command: str):
    """As in `python -m mkdocs COMMAND`, where the plugins' ``on_startup`` runs."""
    main = types.ModuleType("__main__")
    main.__spec__ = types.SimpleNamespace(name="mkdocs.__main__")
    monkeypatch.setitem(sys.modules, "__main__", main)
    with click.Context(mkdocs.__main__.cli.commands[command], info_name=command):
        yield


def test_in_another_process_nothing_is_frozen(unfrozen):
    before = gc.get_freeze_count()
    assert not processend.runs_as_mkdocs_command()  # pytest's process
    assert not processend.leave_the_rest_to_the_exit()
    assert gc.get_freeze_count() == before


@pytest.mark.parametrize("how", ["script", "python -m mkdocs"])
def test_mkdocs_command_line_is_recognised(monkeypatch, unfrozen, how):
    main = types.ModuleType("__main__")
    if how == "script":  # the `mkdocs` script: `from mkdocs.__main__ import cli`
        main.cli = mkdocs.__main__.cli
    else:
        main.__spec__ = types.SimpleNamespace(name="mkdocs.__main__")
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert processend.runs_as_mkdocs_command()
    garbage = []
    garbage.append(garbage)  # a cycle, unreachable once deleted: collected, not frozen
    del garbage
    assert processend.leave_the_rest_to_the_exit()
    assert gc.get_freeze_count() > 0
    assert gc.garbage == []


def test_a_command_line_build_collects_less_from_its_start(monkeypatch, unfrozen):
    with mkdocs_command_line(monkeypatch, "build"):
        assert processend.mkdocs_command() == "build"
        assert processend.collect_less_while_building()
    assert gc.get_threshold()[0] == COMMAND_THRESHOLD
    assert gc.get_freeze_count() > 0  # start-up's objects: out of every collection's walk


@pytest.mark.parametrize("command", ["serve", "gh-deploy"])
def test_the_collector_is_left_alone_by_other_commands(monkeypatch, unfrozen, command):
    """`mkdocs serve` builds again and again (and tells ``on_startup`` "build" with --clean): what it made
    would never be collected if frozen."""
    before = gc.get_threshold(), gc.get_freeze_count()
    with mkdocs_command_line(monkeypatch, command):
        assert processend.mkdocs_command() == command
        assert not processend.collect_less_while_building()
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_the_collector_is_left_alone_outside_mkdocs_command_line(unfrozen):
    before = gc.get_threshold(), gc.get_freeze_count()
    assert processend.mkdocs_command() is None
    assert not processend.collect_less_while_building()  # pytest's process, building through the API
    assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_a_script_of_another_tool_is_not_mkdocs(monkeypatch):
    main = types.ModuleType("__main__")
    main.cli = lambda: None
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert not processend.runs_as_mkdocs_command()


def test_a_command_line_build_still_writes_its_caches_and_ends_cleanly(tmp_path):
    """Through the real `mkdocs` command: the build's caches are written and closed before the process ends."""
    import os

    from helpers import SAMPLE_EXPORT, site_config

    from ingest.commands.sync import sync
    from ingest.settings import SiteSettings

    sync(SAMPLE_EXPORT, tmp_path / "docs_src", jobs=1)  # the docs_dir of the repo's mkdocs.yml
    config = site_config(tmp_path, SiteSettings())
    text = config.read_text("utf-8")
    config.write_text(re.sub(r"cache_dir: .*", f"cache_dir: {tmp_path / 'cache'}", text), "utf-8")
    args = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config), "-d", str(tmp_path / "site")]
    done = subprocess.run(args, check=False, cwd=tmp_path, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert done.returncode == 0, done.stderr
    cache = tmp_path / "cache"
    assert (cache / "render.sqlite3").is_file() and (cache / "sources.pickle").is_file()
    assert not (cache / "render.sqlite3-wal").exists()  # closed: its log checkpointed and removed
    assert (tmp_path / "site" / "index.html").is_file()
