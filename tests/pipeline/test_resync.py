"""Re-syncing an edited export (ingest/sync.py, ingest/write.py, ingest/manifest.py): what changed is
reported doc by doc, only changed files are written, old URLs keep working, and the docs_dir is
always wholly old or wholly new."""

from __future__ import annotations

import json
import os
import shutil
import time

import filelock
import pytest
from click.testing import CliRunner
from helpers import BASE, edited, folder_state, inodes, page, snapshot, write_tree

from ingest.__main__ import cli
from ingest.commands.sync import sync
from ingest.output import write
from ingest.output.manifest import MANIFEST, read_manifest
from ingest.output.write import LockedError, lock_path


@pytest.fixture
def two_syncs(export, tmp_path):
    out = tmp_path / "docs"
    first = sync(export(BASE), out)
    before = inodes(out)
    second = sync(export(edited(BASE)), out)
    return first, second, out, before


# --- the report -------------------------------------------------------------------------------

def test_first_sync_lists_every_doc_as_added(two_syncs):
    first, _, _, _ = two_syncs
    assert first.first_sync
    assert [(c["title"], c["path"]) for c in first.changes["added"]] == [
        ("Drop me", "guides/drop.md"), ("Edit me", "guides/edit.md"), ("Guides", "guides/index.md"),
        ("Keep", "guides/keep.md"), ("Move me", "guides/move.md"), ("Home", "index.md"),
        ("Reference", "reference.md")]
    assert all(not first.changes[kind] for kind in ("updated", "moved", "removed", "unchanged"))


def test_report_lists_each_doc_by_kind_of_change(two_syncs):
    _, second, _, _ = two_syncs
    assert not second.first_sync
    assert second.changes == {
        "added": [{"title": "New page", "path": "guides/new.md", "source": "guides/new.md"}],
        # Guides changed too: its children list lost two pages and gained one.
        "updated": [{"title": "Edit me", "path": "guides/edit.md", "source": "guides/edit.md"},
                    {"title": "Guides", "path": "guides/index.md", "source": "guides.md"}],
        # reference.md became a section page now that reference/move.md is under it: a move too.
        "moved": [{"title": "Reference", "from": "reference.md", "to": "reference/index.md", "source": "reference.md"},
                  {"title": "Move me", "from": "guides/move.md", "to": "reference/move.md",
                   "source": "reference/move.md"}],
        "removed": [{"title": "Drop me", "path": "guides/drop.md", "source": "guides/drop.md",
                     "redirect": "guides/index.md"}],
        "unchanged": [{"title": "Keep", "path": "guides/keep.md", "source": "guides/keep.md"},
                      {"title": "Home", "path": "index.md", "source": "index.md"}],
    }


def test_counts_partition_the_docs(two_syncs):
    first, second, _, _ = two_syncs
    ids_before, ids_after = set(first.docs), set(second.docs)
    counts = {kind: len(entries) for kind, entries in second.changes.items()}
    assert counts["added"] == len(ids_after - ids_before)
    assert counts["removed"] == len(ids_before - ids_after)
    assert counts["updated"] + counts["moved"] + counts["unchanged"] == len(ids_after & ids_before)


# --- only what changed is written ---------------------------------------------------------------

def test_unchanged_files_are_not_rewritten(two_syncs):
    _, second, out, before = two_syncs
    after = inodes(out)
    assert after["guides/keep.md"] == before["guides/keep.md"]
    assert after["guides/keep.assets/k.png"] == before["guides/keep.assets/k.png"]
    assert after["index.md"] == before["index.md"]
    assert after["guides/edit.md"] != before["guides/edit.md"]
    written = {path for path in after if path not in before or after[path] != before[path]}
    assert written == {"guides/edit.md", "guides/index.md", "guides/new.md", "reference/move.md",
                       "reference/index.md", MANIFEST}
    assert second.files == {"written": len(written), "unchanged": len(after) - len(written), "removed": 4}


def test_removed_doc_loses_its_page_and_its_assets(two_syncs):
    _, _, out, _ = two_syncs
    assert not (out / "guides/drop.md").exists()
    assert not (out / "guides/drop.assets").exists()
    assert (out / "guides/keep.assets/k.png").read_bytes() == b"\x89PNG keep"


def test_nothing_changed_writes_nothing(export, tmp_path):
    root, out = export(BASE), tmp_path / "docs"
    sync(root, out)
    before = folder_state(tmp_path)
    result = sync(root, out)
    assert folder_state(tmp_path) == before
    assert result.up_to_date and result.files == {"written": 0, "unchanged": len(snapshot(out)) - 1, "removed": 0}
    assert [len(result.changes[k]) for k in ("added", "updated", "moved", "removed")] == [0, 0, 0, 0]
    assert len(result.changes["unchanged"]) == 7


def test_up_to_date_sync_still_reports_the_warnings(export, tmp_path):
    root = export({**BASE, "guides/keep.md": page("1keep", "Keep", "See [gone](gone.md).")})
    out = tmp_path / "docs"
    first = sync(root, out)
    again = sync(root, out)
    assert again.up_to_date
    assert again.problems == first.problems and [p.kind for p in again.problems] == ["link-outside-export"]
    assert again.counts == first.counts


def test_fresh_download_with_same_content_rewrites_only_the_manifest(export, tmp_path):
    out = tmp_path / "docs"
    sync(export(BASE), out)
    before = inodes(out)
    time.sleep(0.01)
    result = sync(export(BASE), out)  # every file rewritten by the exporter: new mtimes, same text
    after = inodes(out)
    assert not result.up_to_date and result.files["written"] == 1
    assert {path for path in after if after[path] != before[path]} == {MANIFEST}
    time.sleep(0.01)
    sync(export(BASE), out)  # again: the assets' hashes are known now
    assert {path for path, state in inodes(out).items() if state != after[path]} == {MANIFEST}


def test_an_asset_changed_to_the_same_size_is_copied_again_after_a_first_sync(export, tmp_path):
    """A first sync hashes no asset; the next settles a new date at the same size by hashing both."""
    out = tmp_path / "docs"
    sync(export(BASE), out)
    time.sleep(0.01)
    sync(export({**BASE, "guides/keep.assets/k.png": b"\x89PNG kept"}), out)  # the size of b"\x89PNG keep"
    assert (out / "guides/keep.assets/k.png").read_bytes() == b"\x89PNG kept"


def test_file_edited_by_hand_in_the_docs_dir_is_put_right(export, tmp_path):
    root, out = export(BASE), tmp_path / "docs"
    sync(root, out)
    good = snapshot(out)
    time.sleep(0.01)
    (out / "guides/keep.md").write_text("scribbled over\n", "utf-8")
    (out / "stray.md").write_text("added by hand\n", "utf-8")
    result = sync(root, out)
    assert not result.up_to_date
    assert snapshot(out) == good


def test_changed_asset_is_copied_again(export, tmp_path):
    out = tmp_path / "docs"
    sync(export(BASE), out)
    before = inodes(out)
    time.sleep(0.01)
    sync(export({**BASE, "guides/keep.assets/k.png": b"\x89PNG new picture"}), out)
    assert (out / "guides/keep.assets/k.png").read_bytes() == b"\x89PNG new picture"
    assert inodes(out)["guides/keep.assets/k.png"] != before["guides/keep.assets/k.png"]


def test_new_ingest_version_resyncs(export, tmp_path, monkeypatch):
    root, out = export(BASE), tmp_path / "docs"
    sync(root, out)
    monkeypatch.setattr("ingest.output.manifest.code_stamp", lambda: "9.9.9:other")
    assert not sync(root, out).up_to_date


# --- old URLs keep working ---------------------------------------------------------------------

def test_moved_and_removed_pages_redirect(two_syncs):
    _, second, _, _ = two_syncs
    assert second.redirects == {"guides/move.md": "reference/move.md", "guides/drop.md": "guides/index.md",
                                "reference.md": "reference/index.md"}


def test_every_url_a_doc_ever_had_leads_to_its_latest_page(export, tmp_path):
    out = tmp_path / "docs"
    sync(export({"index.md": page("1home", "Home"), "a/doc.md": page("1doc", "Doc")}), out)
    sync(export({"index.md": page("1home", "Home"), "b/doc.md": page("1doc", "Doc")}), out)
    third = sync(export({"index.md": page("1home", "Home"), "c/doc.md": page("1doc", "Doc")}), out)
    assert third.redirects == {"a/doc.md": "c/doc.md", "b/doc.md": "c/doc.md"}
    assert read_manifest(out).redirects == third.redirects
    fourth = sync(export({"index.md": page("1home", "Home"), "c/doc.md": page("1doc", "Doc")}), out)
    assert fourth.redirects == third.redirects  # kept by a later sync with nothing moved


def test_doc_moved_back_keeps_no_redirect_over_its_page(export, tmp_path):
    out = tmp_path / "docs"
    sync(export({"index.md": page("1home", "Home"), "a/doc.md": page("1doc", "Doc")}), out)
    sync(export({"index.md": page("1home", "Home"), "b/doc.md": page("1doc", "Doc")}), out)
    back = sync(export({"index.md": page("1home", "Home"), "a/doc.md": page("1doc", "Doc")}), out)
    assert back.redirects == {"b/doc.md": "a/doc.md"}


def test_removed_doc_redirects_to_nearest_surviving_section(export, tmp_path):
    out = tmp_path / "docs"
    tree = {"index.md": page("1home", "Home"), "a.md": page("1a", "A"), "a/b.md": page("1b", "B"),
            "a/b/c.md": page("1c", "C")}
    sync(export(tree), out)
    result = sync(export({"index.md": page("1home", "Home"), "a.md": page("1a", "A"),
                          "a/other.md": page("1o", "Other")}), out)
    assert result.redirects == {"a/b/c.md": "a/index.md", "a/b/index.md": "a/index.md"}
    assert {c["path"]: c["redirect"] for c in result.changes["removed"]} == {"a/b/c.md": "a/index.md",
                                                                            "a/b/index.md": "a/index.md"}
    gone = sync(export({"index.md": page("1home", "Home")}), out)
    assert gone.redirects == {"a/b/c.md": "index.md", "a/b/index.md": "index.md", "a/index.md": "index.md",
                              "a/other.md": "index.md"}


def test_removed_doc_redirect_is_reported(export, tmp_path):
    out = tmp_path / "docs"
    sync(export(BASE), out)
    result = CliRunner().invoke(cli, ["sync", str(export(edited(BASE))), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "  removed   Drop me: guides/drop.md; its URL now redirects to guides/index.md" in result.output
    assert "  moved     Move me: guides/move.md -> reference/move.md" in result.output


def test_page_at_an_old_url_wins_over_its_redirect(export, tmp_path):
    out = tmp_path / "docs"
    sync(export({"index.md": page("1home", "Home"), "a.md": page("1a", "A")}), out)
    sync(export({"index.md": page("1home", "Home"), "b.md": page("1a", "A")}), out)
    result = sync(export({"index.md": page("1home", "Home"), "b.md": page("1a", "A"), "a.md": page("1n", "New A")}), out)
    assert result.redirects == {}


# --- dry run ----------------------------------------------------------------------------------

def test_dry_run_reports_and_changes_nothing(export, tmp_path):
    out = tmp_path / "docs"
    sync(export(BASE), out)
    before = folder_state(tmp_path)
    root = export(edited(BASE))
    before = folder_state(tmp_path)
    dry = sync(root, out, dry_run=True)
    assert folder_state(tmp_path) == before
    real = sync(root, out)
    assert dry.dry_run and dry.changes == real.changes and dry.files == real.files and dry.redirects == real.redirects


def test_dry_run_of_a_first_sync_creates_nothing(export, tmp_path):
    result = CliRunner().invoke(cli, ["sync", str(export(BASE)), "--out", str(tmp_path / "site" / "docs"),
                                      "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was changed." in result.output
    assert not (tmp_path / "site").exists()


# --- lock -------------------------------------------------------------------------------------

def test_second_sync_waits_then_names_the_lock(export, tmp_path):
    root, out = export(BASE), tmp_path / "docs"
    with filelock.FileLock(lock_path(out)):
        with pytest.raises(LockedError, match=r"\.docs\.ingest\.lock"):
            sync(root, out, lock_timeout=0.2)
        result = CliRunner().invoke(cli, ["sync", str(root), "--out", str(out), "--lock-timeout", "0.2"])
    assert result.exit_code == 1
    assert "Another sync is writing" in result.output and str(lock_path(out)) in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    sync(root, out, lock_timeout=0.2)  # released: the next sync goes ahead
    assert (out / "index.md").is_file()


# --- recovery after a killed sync ---------------------------------------------------------------

def test_leftovers_of_a_killed_sync_are_cleared(export, tmp_path):
    root, out = export(BASE), tmp_path / "docs"
    sync(root, out)
    good = snapshot(out)
    (tmp_path / ".ingest-staging-docs-abc").mkdir()
    (tmp_path / ".ingest-staging-docs-abc" / "half.md").write_text("half")
    (tmp_path / ".ingest-staging-docs-manifest.json").write_text("{")
    sync(root, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".docs.ingest-normal.pickle", ".docs.ingest-read.pickle",
                                                          ".docs.ingest.lock", "docs", "export"]
    assert snapshot(out) == good


def test_docs_dir_retired_by_a_killed_fallback_swap_is_put_back(export, tmp_path):
    root, out = export(BASE), tmp_path / "docs"
    sync(root, out)
    good = snapshot(out)
    os.replace(out, tmp_path / ".ingest-old-docs-xyz")  # killed between the two renames
    result = sync(root, out)
    assert result.up_to_date
    assert snapshot(out) == good


def test_swap_without_atomic_exchange_still_works(export, tmp_path, monkeypatch):
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    out = tmp_path / "docs"
    sync(export(BASE), out)
    sync(export(edited(BASE)), out)
    assert (out / "reference/move.md").is_file() and not (out / "guides/move.md").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".docs.ingest-normal.pickle", ".docs.ingest-read.pickle",
                                                          ".docs.ingest-spare", ".docs.ingest.lock", "docs", "export"]


# --- the staging folder kept from one sync to the next -------------------------------------------

def synced_without_spare(export, exports: list[dict], out) -> dict[str, bytes]:
    """The docs_dir the same syncs give when each starts from an empty staging folder (but its manifest,
    which holds the export files' dates)."""
    for files in exports:
        shutil.rmtree(write.spare_path(out), ignore_errors=True)
        sync(export(files), out)
    return without_manifest(out)


def without_manifest(out) -> dict[str, bytes]:
    files = snapshot(out)
    assert json.loads(files.pop(MANIFEST))["files"]  # a manifest of the files, and it parses
    return files


def test_the_next_sync_makes_the_last_docs_dir_into_the_new_one(export, tmp_path):
    """Kept beside the docs_dir after the swap, the old docs_dir becomes the next one: its folders and
    files that are still right are not made again."""
    out, spare = tmp_path / "docs", write.spare_path(tmp_path / "docs")
    sync(export(BASE), out)
    assert not spare.exists()  # a first sync has no docs_dir to keep
    sync(export(edited(BASE)), out)
    assert spare.is_dir() and (spare / "guides" / "drop.md").is_file()  # the old docs_dir
    folder = (spare / "guides").stat().st_ino
    again = edited(BASE)
    again["guides/edit.md"] = page("1edit", "Edit me", "Rewritten once more.")
    sync(export(again), out)
    assert (out / "guides").stat().st_ino == folder  # the spare's folder, not a new one
    assert without_manifest(out) == synced_without_spare(export, [BASE, edited(BASE), again], tmp_path / "reference" / "docs")


def test_a_spare_holding_anything_still_gives_exactly_the_new_docs_dir(export, tmp_path):
    out, spare = tmp_path / "docs", write.spare_path(tmp_path / "docs")
    sync(export(BASE), out)
    sync(export(edited(BASE)), out)
    (spare / "stray.md").write_text("left by hand", "utf-8")
    (spare / "guides" / "keep.md").unlink()
    (spare / "guides" / "keep.md").write_text("same name, other content", "utf-8")
    (spare / "reference.md").unlink()
    (spare / "reference.md").mkdir()  # a folder where a file goes
    (spare / "reference.md" / "x").write_text("x", "utf-8")
    assert not (spare / "reference").exists()  # the docs_dir before the move: reference/ came with it
    (spare / "reference").write_text("a file where a folder goes", "utf-8")
    again = edited(BASE)
    again["guides/edit.md"] = page("1edit", "Edit me", "Rewritten once more.")
    sync(export(again), out)
    assert without_manifest(out) == synced_without_spare(export, [BASE, edited(BASE), again], tmp_path / "reference" / "docs")


def test_a_file_of_the_spare_is_replaced_never_written_into(export, tmp_path):
    """The site links its images to the docs_dir's files, and the spare shares their inodes."""
    out, spare = tmp_path / "docs", write.spare_path(tmp_path / "docs")
    sync(export(BASE), out)
    sync(export(edited(BASE)), out)
    site_copy = tmp_path / "site-edit.md"
    os.link(spare / "guides" / "edit.md", site_copy)  # as a built site links a docs_dir file
    before = site_copy.read_bytes()
    again = edited(BASE)
    again["guides/edit.md"] = page("1edit", "Edit me", "Rewritten once more.")
    sync(export(again), out)
    assert "Rewritten once more." in (out / "guides" / "edit.md").read_text("utf-8")
    assert site_copy.read_bytes() == before


def test_a_spare_that_is_no_folder_is_removed(export, tmp_path):
    out, spare = tmp_path / "docs", write.spare_path(tmp_path / "docs")
    sync(export(BASE), out)
    spare.symlink_to(tmp_path / "export")  # not the sync's: never staged into
    sync(export(edited(BASE)), out)
    assert spare.is_dir() and not spare.is_symlink()
    assert (tmp_path / "export" / "index.md").is_file()


# --- the manifest -----------------------------------------------------------------------------

def test_manifest_records_each_doc(two_syncs):
    _, _, out, _ = two_syncs
    manifest = json.loads((out / MANIFEST).read_text("utf-8"))
    keep = manifest["docs"]["1keep"]
    assert keep["dest"] == "guides/keep.md" and keep["source"] == "guides/keep.md" and keep["title"] == "Keep"
    assert keep["assets"] == ["guides/keep.assets/k.png"]
    assert keep["parents"] == [["1guides", "guides/index.md"]]
    assert len(keep["hash"]) == 16
    assert set(manifest["files"]) == set(snapshot(out)) - {MANIFEST}
    assert manifest["files"]["guides/keep.md"]["size"] == (out / "guides/keep.md").stat().st_size


# --- what a long-running process keeps from one sync to the next (mkdocs serve) -------------------

def test_a_sync_with_the_last_syncs_memory_does_what_one_without_it_does(export, tmp_path):
    """Docs not read again, the manifest and the normalising cache taken from memory: the same result."""
    from ingest.commands.sync import SyncMemory

    memory, out, plain = SyncMemory(), tmp_path / "docs", tmp_path / "plain" / "docs"
    again = edited(BASE)
    again["guides/edit.md"] = page("1edit", "Edit me", "Rewritten once more.")
    moved_back = dict(again)
    moved_back["guides/move.md"] = moved_back.pop("reference/move.md")
    for files in (BASE, edited(BASE), again, again, moved_back):
        root = export(files)
        with_memory, without = sync(root, out, memory=memory), sync(root, plain)
        assert with_memory.report() == without.report()
        assert without_manifest(out) == without_manifest(plain)
        assert read_manifest(out).to_dict() == read_manifest(plain).to_dict()
    assert set(memory.files) == {rel for rel in moved_back if rel.endswith(".md")}
    doc = root / "guides" / "edit.md"
    before, text = doc.stat(), doc.read_text("utf-8")
    time.sleep(0.01)
    doc.write_text(text.replace("once more", "twice now"), "utf-8")  # the same size, in the same file
    assert doc.stat().st_size == before.st_size and doc.stat().st_ino == before.st_ino
    result = sync(root, out, memory=memory)
    assert [change["path"] for change in result.changes["updated"]] == ["guides/edit.md"]
    assert "Rewritten twice now." in (out / "guides" / "edit.md").read_text("utf-8")


def test_a_sync_with_nothing_to_do_fills_the_memory_for_the_next(export, tmp_path):
    """`mkdocs serve` starts on an export synced already: the first edit after it reads only that doc."""
    from ingest.commands.sync import SyncMemory
    from ingest.read import export as reading

    root, out = export(BASE), tmp_path / "docs"
    sync(root, out)
    memory = SyncMemory()
    read = []
    real = reading._read_document
    reading._read_document = lambda context, i: (read.append(context[1][i][0]), real(context, i))[1]
    try:
        assert sync(root, out, memory=memory, jobs=1).up_to_date
        assert read == []  # what the last sync read, kept beside the docs_dir, is not read again
        assert memory.manifest is not None and set(memory.files) == {rel for rel in BASE if rel.endswith(".md")}
        write_tree(root, {"guides/edit.md": page("1edit", "Edit me", "Rewritten in Drive.")})
        result = sync(root, out, memory=memory, jobs=1)
    finally:
        reading._read_document = real
    assert read == ["guides/edit.md"] and [change["path"] for change in result.changes["updated"]] == ["guides/edit.md"]
