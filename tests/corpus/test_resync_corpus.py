"""Re-sync on the real exports: quality-of-care-2022, then -2023 synced over it.

Between the two dates docs were edited, renamed (commas dropped from file names) and
moved. The incremental result must equal a fresh sync of 2023, the report must match
the real differences, and every 2022 URL of a doc that still exists must resolve in
the built 2023 site.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from pathlib import Path

import frontmatter
import pytest
from bs4 import BeautifulSoup
from helpers import build_export

from ingest.check.page import is_redirect_page
from ingest.commands.sync import sync
from ingest.output.manifest import MANIFEST

pytestmark = pytest.mark.corpus


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def page_ids(export: Path) -> dict[str, str]:
    """Drive id → source path of every doc that is a page (not a redirect stub), read straight from the files."""
    found = {}
    for path in sorted(export.rglob("*.md")):
        meta = frontmatter.loads(path.read_text("utf-8", errors="replace")).metadata
        if "id" in meta and not meta.get("redirectTo"):
            found[str(meta["id"])] = path.relative_to(export).as_posix()
    return found


def url_of(dest: str) -> str:
    """The page URL MkDocs gives a docs_dir path (use_directory_urls)."""
    stem = dest[:-3]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-5]
    return stem.rstrip("/") + "/" if stem else ""


@pytest.fixture(scope="module")
def corpus_pair(corpus_dir, tmp_path_factory):
    old, new = corpus_dir / "quality-of-care-2022", corpus_dir / "quality-of-care-2023"
    if not (old.is_dir() and new.is_dir()):
        pytest.skip("both quality-of-care-2022 and -2023 are needed")
    work = tmp_path_factory.mktemp("resync")
    fresh_old = work / "fresh-2022"
    sync(old, fresh_old)
    old_manifest = json.loads((fresh_old / MANIFEST).read_text("utf-8"))
    fresh_new = work / "fresh-2023"
    sync(new, fresh_new)
    incremental = work / "incremental"
    shutil.copytree(fresh_old, incremental, copy_function=shutil.copy2)
    result = sync(new, incremental)
    return old, new, fresh_old, fresh_new, incremental, result, old_manifest


def test_resync_equals_a_fresh_sync_apart_from_url_history(corpus_pair):
    _, _, _, fresh_new, incremental, _, _ = corpus_pair
    fresh, resynced = snapshot(fresh_new), snapshot(incremental)
    fresh_manifest, resynced_manifest = json.loads(fresh.pop(MANIFEST)), json.loads(resynced.pop(MANIFEST))
    assert resynced == fresh  # every page, asset and data file byte for byte
    history = set(resynced_manifest["redirects"]) - set(fresh_manifest["redirects"])
    assert history, "the 2022 URLs of moved docs should be remembered"
    for manifest in (fresh_manifest, resynced_manifest):
        manifest.pop("redirects")
        manifest["report"]["counts"].pop("redirects")
    assert resynced_manifest == fresh_manifest


def test_report_matches_the_real_differences(corpus_pair):
    old, new, fresh_old, fresh_new, _, result, old_manifest = corpus_pair
    old_ids, new_ids = page_ids(old), page_ids(new)
    changes = result.changes
    assert not result.first_sync
    assert {c["source"] for c in changes["added"]} == {new_ids[i] for i in set(new_ids) - set(old_ids)}
    assert {c["path"] for c in changes["removed"]} == {old_manifest["docs"][i]["dest"] for i in set(old_ids) - set(new_ids)}
    renamed = {i for i in set(old_ids) & set(new_ids) if old_ids[i] != new_ids[i]}
    assert {c["source"] for c in changes["moved"]} == {new_ids[i] for i in renamed}
    assert len(renamed) == 16
    assert any("," in old_ids[i] and "," not in new_ids[i] for i in renamed)  # the commas dropped from names
    # Updated: the page of a doc that stayed put differs between a fresh 2022 and a fresh 2023 sync.
    new_manifest = json.loads((fresh_new / MANIFEST).read_text("utf-8"))
    stayed = {i for i in set(old_ids) & set(new_ids) if i not in renamed}
    differs = {i for i in stayed
               if (fresh_old / old_manifest["docs"][i]["dest"]).read_bytes()
               != (fresh_new / new_manifest["docs"][i]["dest"]).read_bytes()}
    assert {c["source"] for c in changes["updated"]} == {new_ids[i] for i in differs}
    assert {c["source"] for c in changes["unchanged"]} == {new_ids[i] for i in stayed - differs}
    total = sum(len(changes[kind]) for kind in ("added", "updated", "moved", "unchanged"))
    assert total == len(new_ids)


def test_every_2022_url_resolves_in_the_built_2023_site(corpus_pair, tmp_path_factory):
    old, new, _, _, _, _, old_manifest = corpus_pair
    site_dir, warnings = build_export(new, tmp_path_factory.mktemp("resync-build"), earlier_exports=(old,))
    assert warnings == []
    new_manifest = json.loads((site_dir.parent / "docs" / MANIFEST).read_text("utf-8"))
    checked = redirected = 0
    for drive_id, entry in old_manifest["docs"].items():
        if drive_id not in new_manifest["docs"]:
            continue
        old_url, new_url = url_of(entry["dest"]), url_of(new_manifest["docs"][drive_id]["dest"])
        html_file = site_dir / old_url / "index.html"
        assert html_file.is_file(), f"2022 URL /{old_url} does not resolve"
        html = html_file.read_text("utf-8")
        if old_url != new_url:
            assert is_redirect_page(html), f"/{old_url} should redirect to /{new_url}"
            target = BeautifulSoup(html, "html.parser").find("link", rel="canonical")["href"]
            landed = posixpath.normpath(posixpath.join(old_url, target)).lstrip("./") + "/"
            assert landed.lstrip("/") == new_url, (old_url, target, new_url)
            assert (site_dir / new_url / "index.html").is_file()
            redirected += 1
        else:
            assert not is_redirect_page(html)
            assert re.search(r"<h1[^>]*>", html)
        checked += 1
    assert checked == 172 and redirected == 16
