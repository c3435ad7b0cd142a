"""The URL history beside mkdocs.yml (wikigdrive-history.json): what keeps moved docs' old links alive
when the docs_dir is deleted, merged from two branches, or broken by a merge."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from click.testing import CliRunner
from helpers import BASE, edited, page

from ingest.__main__ import cli
from ingest.commands.sync import sync
from ingest.output.historyfile import history_text, read_history
from ingest.output.write import OutputError
from ingest.site.history import DocRecord, Manifest, UrlHistory, with_history


@pytest.fixture
def site(export, tmp_path):
    """(export writer, docs_dir, history file): a site whose history sits beside its docs_dir."""
    return export, tmp_path / "docs", tmp_path / "wikigdrive-history.json"


def test_a_docs_dir_deleted_and_made_again_keeps_every_old_url(site):
    export_as, docs, history = site
    sync(export_as(BASE), docs, history_file=history)
    moved = sync(export_as(edited(BASE)), docs, history_file=history)
    assert moved.redirects["guides/move.md"] == "reference/move.md"
    shutil.rmtree(docs)  # a fresh clone, an evicted cache, a clean CI runner
    renamed = dict(edited(BASE))
    del renamed["reference/move.md"]
    renamed["reference/moved-again.md"] = page("1move", "Moved again")
    again = sync(export_as(renamed), docs, history_file=history)
    assert again.from_history and not again.first_sync
    # The redirect of the first move follows the doc to its new page; the second move adds one.
    assert again.redirects["guides/move.md"] == "reference/moved-again.md"
    assert again.redirects["reference/move.md"] == "reference/moved-again.md"
    assert again.redirects["guides/drop.md"] == "guides/index.md"  # removed before the docs_dir went
    assert [c["to"] for c in again.changes["moved"]] == ["reference/moved-again.md"]
    assert not again.changes["updated"]  # the history knows pages, not text: edits are not guessed


def test_without_the_history_a_deleted_docs_dir_forgets_the_old_urls(site):
    """What the history file is for: the same steps without it lose the first move's redirect."""
    export_as, docs, _ = site
    sync(export_as(BASE), docs)
    sync(export_as(edited(BASE)), docs)
    shutil.rmtree(docs)
    assert "guides/move.md" not in sync(export_as(edited(BASE)), docs).redirects


def test_the_file_is_one_line_a_doc_and_redirect_sorted_and_rewritten_only_on_change(site):
    export_as, docs, history = site
    first = sync(export_as(BASE), docs, history_file=history)
    assert first.history_written
    lines = history.read_text("utf-8").splitlines()
    doc_lines = [line for line in lines if line.startswith('    "1')]
    assert len(doc_lines) == 7 and doc_lines == sorted(doc_lines)
    assert json.loads(history.read_text("utf-8"))["docs"]["1move"] == {"page": "guides/move.md", "title": "Move me",
                                                                       "parents": [["1guides", "guides/index.md"]]}
    stamp = history.stat().st_mtime_ns
    edited_body = {**BASE, "guides/edit.md": page("1edit", "Edit me", "New words.")}
    assert not sync(export_as(edited_body), docs, history_file=history).history_written  # text only: same URLs
    assert history.stat().st_mtime_ns == stamp


def test_a_missing_history_is_written_without_making_the_pages_again(site):
    export_as, docs, history = site
    root = export_as(BASE)
    sync(root, docs)
    result = sync(root, docs, history_file=history)
    assert result.up_to_date and result.files["written"] == 0 and result.history_written
    assert read_history(history) == UrlHistory.of(Manifest.from_dict(json.loads((docs / ".ingest/manifest.json").read_text())))


def test_histories_of_two_branches_merged_keep_both_sides_redirects(site):
    export_as, docs, history = site
    root = export_as(BASE)
    sync(root, docs, history_file=history)
    data = json.loads(history.read_text("utf-8"))
    data["redirects"]["old/teammates-page.md"] = "guides/keep.md"  # their branch's sync, merged in git
    history.write_text(json.dumps(data), "utf-8")
    result = sync(root, docs, history_file=history)
    assert not result.up_to_date  # the merged history is news: the site is made again with it
    assert result.redirects["old/teammates-page.md"] == "guides/keep.md"
    assert json.loads(history.read_text("utf-8"))["redirects"]["old/teammates-page.md"] == "guides/keep.md"


def test_where_manifest_and_history_disagree_both_pages_redirect():
    manifest = Manifest(docs={"1a": DocRecord("a.md", "now/a.md", "A")})
    history = UrlHistory({"1a": DocRecord("", "then/a.md", "A")}, {"older/a.md": "then/a.md"})
    merged = with_history(manifest, history)
    assert merged.docs["1a"].dest == "now/a.md"
    assert merged.redirects == {"older/a.md": "then/a.md", "then/a.md": "now/a.md"}


@pytest.mark.parametrize("text, says", [
    ('{\n  "format": 1,\n<<<<<<< HEAD\n', ":3: a git merge left conflict markers"),
    ('{\n  "format": 1,\n  "docs": {\n', ":4: the URL history is not valid JSON"),
    ('{"format": 7, "docs": {}, "redirects": {}}', "not a URL history of format 1 (found 7)"),
    ('{"format": 1, "docs": {"1a": {"title": "A"}}, "redirects": {}}', "doc '1a' needs a 'page'"),
])
def test_a_broken_history_stops_the_sync_naming_file_and_line_and_writes_nothing(site, text, says):
    export_as, docs, history = site
    root = export_as(BASE)
    history.write_text(text, "utf-8")
    with pytest.raises(OutputError, match=re.escape(says)) as caught:
        sync(root, docs, history_file=history)
    assert str(history) in str(caught.value)
    assert not docs.exists() and history.read_text("utf-8") == text


def test_a_dry_run_says_the_history_would_change_and_leaves_it(site):
    export_as, docs, history = site
    result = sync(export_as(BASE), docs, history_file=history, dry_run=True)
    assert result.history_written and not history.exists()


def test_the_cli_keeps_the_history_beside_mkdocs_yml_only_for_its_docs_dir(site, tmp_path):
    export_as, docs, history = site
    root = export_as(BASE)
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Wiki\ndocs_dir: docs\nplugins: [wikigdrive]\n", "utf-8")
    elsewhere = CliRunner().invoke(cli, ["sync", str(root), "--config", str(config), "--out", str(tmp_path / "o")])
    assert elsewhere.exit_code == 0 and not history.exists()  # another folder: not this site's history
    result = CliRunner().invoke(cli, ["sync", str(root), "--config", str(config)])
    assert result.exit_code == 0 and f"URL history updated (commit it): {history}" in result.output
    assert (docs / "index.md").is_file()
    chosen = tmp_path / "elsewhere.json"
    CliRunner().invoke(cli, ["sync", str(root), "--config", str(config), "--out", str(tmp_path / "o"),
                             "--history", str(chosen)])
    assert chosen.is_file()


def test_history_text_reads_back_what_it_wrote():
    history = UrlHistory({"1b": DocRecord("", "b.md", "B \"quoted\" ünï", parents=(("1a", "a/index.md"),)),
                          "1a": DocRecord("", "a/index.md", "A")}, {"x.md": "b.md"})
    text = history_text(history)
    assert UrlHistory.from_dict(json.loads(text)) == history
    assert text.index('"1a"') < text.index('"1b"') and "ünï" in text


def test_under_mkdocs_serve_the_history_is_read_again_only_when_its_file_changed(site, monkeypatch):
    """A sync with a memory (`mkdocs serve`) keeps the history while its file holds the text it would write:
    an edit's re-sync neither parses nor rewrites it; a change to the file (a teammate's merge) is read."""
    from ingest.commands import sync as syncing
    from ingest.commands.sync import SyncMemory

    export_as, docs, history = site
    memory, reads = SyncMemory(), []
    real = syncing.read_history
    monkeypatch.setattr(syncing, "read_history", lambda path: (reads.append(path), real(path))[1])
    root = export_as(BASE)
    assert sync(root, docs, history_file=history, memory=memory).history_written
    assert memory.history is None  # just written: the next sync reads it once
    assert not sync(root, docs, history_file=history, memory=memory).history_written
    assert memory.history is not None and memory.history[1] == read_history(history)
    reads.clear()
    edited_body = {**BASE, "guides/edit.md": page("1edit", "Edit me", "New words.")}
    stamp = history.stat().st_mtime_ns
    result = sync(export_as(edited_body), docs, history_file=history, memory=memory)
    assert reads == [] and not result.history_written and history.stat().st_mtime_ns == stamp
    merged = json.loads(history.read_text("utf-8"))
    merged["redirects"]["old/teammate.md"] = "guides/keep.md"  # a teammate's redirect, merged in git
    history.write_text(json.dumps(merged, indent=1), "utf-8")
    result = sync(export_as(edited_body), docs, history_file=history, memory=memory)
    assert reads == [history] and result.redirects["old/teammate.md"] == "guides/keep.md"
    assert result.history_written and history_text(read_history(history)) == history.read_text("utf-8")
