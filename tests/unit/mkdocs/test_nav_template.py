"""The plugin's partials/nav-item.html writes the same nav as Material's own partial, only faster."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from helpers import SAMPLE_EXPORT, build_export

from ingest.mkdocs import plugin


def primary_nav(html: str) -> str:
    """The primary nav of a page, white space around tags dropped (it renders the same)."""
    start = html.index('<nav class="md-nav md-nav--primary"')
    end = html.index('<div class="md-sidebar md-sidebar--secondary"', start)
    return re.sub(r"\s*(<[^>]+>)\s*", r"\1", re.sub(r"\s+", " ", html[start:end]))


def test_override_writes_the_nav_materials_partial_writes(tmp_path, sample_build, monkeypatch):
    shipped = Path(plugin.TEMPLATES_DIR)
    material_only = tmp_path / "templates"
    shutil.copytree(shipped, material_only)
    (material_only / "partials" / "nav-item.html").unlink()
    monkeypatch.setattr(plugin, "TEMPLATES_DIR", str(material_only))
    site, _ = build_export(SAMPLE_EXPORT, tmp_path / "material")
    ours = {p.relative_to(sample_build.site_dir): p for p in sample_build.site_dir.rglob("index.html")}
    theirs = {p.relative_to(site): p for p in site.rglob("index.html")}
    assert ours.keys() == theirs.keys() and len(ours) > 10
    for rel, path in ours.items():
        html = path.read_text("utf-8")
        if '<nav class="md-nav md-nav--primary"' not in html:
            continue  # a mkdocs-redirects stub
        assert primary_nav(html) == primary_nav(theirs[rel].read_text("utf-8")), rel
    assert (shipped / "partials" / "nav-item.html").is_file()  # the sample site was built with it
