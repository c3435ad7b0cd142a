"""scripts/synthetic_export.py: the benchmark's export is a clean wikiGDrive export, the same for a seed."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

from helpers import REPO

from ingest.commands.sync import sync
from ingest.read.export import read_export


def _load():
    spec = importlib.util.spec_from_file_location("synthetic_export", REPO / "scripts" / "synthetic_export.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


synthetic_export = _load()


def _files(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_synthetic_export_syncs_without_problems(tmp_path):
    summary = synthetic_export.write_export(tmp_path / "export", 120, seed=3)
    site = sync(tmp_path / "export", tmp_path / "docs")
    assert [str(p) for p in site.problems] == []
    assert site.counts["docs"] == summary["docs"] == 120
    assert site.counts["pages"] == summary["pages"]
    assert site.counts["redirects"] == summary["redirects"] > 0
    assert site.counts["assets"] == summary["assets"] > 0
    activities = json.loads((tmp_path / "docs" / "activities.json").read_text("utf-8"))
    assert activities["count"] == len(activities["activities"]) == summary["activities"] > 0


def test_synthetic_export_has_the_wikigdrive_shapes(tmp_path):
    synthetic_export.write_export(tmp_path, 200)
    export = read_export(tmp_path)
    assert export.navigation is not None and export.navigation.text.startswith("- [")
    assert (tmp_path / ".wgd-directory.yaml").is_file()
    bodies = "\n".join(doc.body for doc in export.documents)
    for shape in ("{{% note %}}", "{{% children %}}", "{{% system-name %}}", "<table>", ".assets/",
                  "https://docs.google.com/document/d/", "](../", "**Activity Weighting**"):
        assert shape in bodies, shape
    menus = [doc.menu for doc in export.documents if not doc.is_redirect_stub and doc.source != "index.md"]
    assert all(menu.get("parent") and isinstance(menu.get("weight"), int) for menu in menus)
    assert max(doc.source.count("/") for doc in export.documents) >= 3
    assert sum(doc.is_redirect_stub for doc in export.documents) >= 2


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    first = synthetic_export.write_export(tmp_path / "a", 60, seed=7)
    synthetic_export.write_export(tmp_path / "b", 60, seed=7)
    synthetic_export.write_export(tmp_path / "c", 60, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a") != _files(tmp_path / "c")
    assert first["files"] == len(_files(tmp_path / "a"))


def test_cli_writes_the_export_and_prints_its_counts(tmp_path, capsys):
    assert synthetic_export.main([str(tmp_path / "out"), "--docs", "30", "--seed", "1"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("docs 30, pages ")
    assert len(list((tmp_path / "out").rglob("*.md"))) == 30 + 1  # and navigation.md
    json.dumps(synthetic_export.write_export(tmp_path / "again", 30, seed=1))  # the summary is plain data
