"""The export's fingerprint and its last change (``ingest.output.manifest``), on small folders."""

from __future__ import annotations

import os
import time

from ingest.output.manifest import export_fingerprint, export_state


def test_the_last_change_is_the_latest_write_rename_or_removal_and_cannot_be_set_back(tmp_path):
    (tmp_path / "guides").mkdir()
    doc = tmp_path / "guides" / "a.md"
    doc.write_text("a", "utf-8")
    fingerprint, changed = export_state(tmp_path)
    assert fingerprint == export_fingerprint(tmp_path) and changed >= doc.stat().st_ctime_ns
    time.sleep(0.05)  # the file system dates changes by its clock's tick
    doc.write_text("b", "utf-8")
    os.utime(doc, (0, 0))  # a program may date a file back; its change time still moves on
    later, after_write = export_state(tmp_path)
    assert later != fingerprint and after_write > changed
    time.sleep(0.05)
    doc.unlink()  # a removal changes the folder
    _, after_removal = export_state(tmp_path)
    assert after_removal > after_write


def test_the_manifest_without_records_has_the_nav_and_redirects_of_the_whole_one(tmp_path):
    """What the MkDocs plugin reads on every build: the nav and redirects, without the docs' and files' records."""
    from helpers import SAMPLE_EXPORT

    from ingest.commands.sync import sync
    from ingest.output.manifest import read_manifest

    sync(SAMPLE_EXPORT, tmp_path / "docs", jobs=1)
    whole, outline = read_manifest(tmp_path / "docs"), read_manifest(tmp_path / "docs", records=False)
    assert whole is not None and outline is not None
    assert whole.docs and whole.files and not outline.docs and not outline.files
    assert (outline.nav, outline.redirects) == (whole.nav, whole.redirects) and whole.nav
    assert read_manifest(tmp_path / "nowhere", records=False) is None


def test_a_page_read_back_from_the_docs_dir_is_not_hashed_again(tmp_path):
    from ingest.output.write import OutputFile, output_files

    text = "# Kept\n" * 3
    fresh = OutputFile.generated("a.md", text)
    checked = {"a.md": (text, fresh.key, fresh.size), "b.md": ("# Other", "sha1:stale", 7)}
    files = {file.dest: file for file in output_files({"a.md": text, "b.md": "# Bb"}, [], tmp_path, checked)}
    assert (files["a.md"].key, files["a.md"].size) == (fresh.key, fresh.size)
    assert files["b.md"] == OutputFile.generated("b.md", "# Bb")  # another text than the one read: hashed
    copy = "".join(["# Kept\n"] * 3)  # equal, but not the text read back
    assert output_files({"a.md": copy}, [], tmp_path, {"a.md": (text, "sha1:x", 1)})[1].key == fresh.key
