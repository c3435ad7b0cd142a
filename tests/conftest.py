"""Shared fixtures for the pipeline tests.

Fixtures
--------
shared_dir (session) -> Path
    /work/shared (the folder beside the repo); the test is skipped when it is absent.
seeds_dir, corpus_dir (session) -> Path
    shared/seeds and shared/corpus, skipped when absent.
export (function) -> callable(files) -> Path
    Like ``make_export``, but writes ``tmp_path/export`` afresh each call (a new download of the export).
make_export (function) -> callable(files, name="export") -> Path
    Writes a small export tree under tmp_path. ``files`` maps a '/'-separated path to
    ``str`` (written as UTF-8), ``bytes`` (written as is) or ``(meta, body)`` (a doc
    with YAML front matter).
render_markdown (session) -> callable(text) -> str
    Python-Markdown with the markdown_extensions of the repo's mkdocs.yml.
sample_build (session) -> Built
    The bundled sample export synced and built strict (``helpers.build_export``).
hostile_site (session) -> hostile.hostile_site.HostileSite
    Every catalogue case with a ``site:`` entry (tests/hostile/*.yaml) synced and built
    strict into one site.
corpus_build (session, one per quality-of-care export) -> Built
    The same for each subtree export in shared/corpus (marked ``corpus``).
whole_export_build (session) -> Built
    The same for the whole 2023 export of the wiki (shared/corpus/mieweb-docs-2023), built
    with the wiki's published URLs. These builds and their ``ingest check`` (``Built.check``,
    its JSON report) start in worker processes as soon as collection shows a test needs
    them, so they overlap the rest of the suite.
"""

from __future__ import annotations

import copy
import multiprocessing
import os
import shutil
import tempfile
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from pathlib import Path
from typing import Any, Callable

import hypothesis
import markdown
import pytest
import yaml
from helpers import REPO, SAMPLE_EXPORT, SHARED, WIKI_SETTINGS, build_and_check, build_export, write_tree

from ingest.settings import SiteSettings

# Property-based tests (hypothesis): few enough examples to keep the suite fast, no deadline (the machine is
# shared, timings vary). HYPOTHESIS_PROFILE=thorough runs many more.
hypothesis.settings.register_profile("ingest", max_examples=60, deadline=None,
                                     suppress_health_check=[hypothesis.HealthCheck.too_slow])
hypothesis.settings.register_profile("thorough", max_examples=2000, deadline=None,
                                     suppress_health_check=[hypothesis.HealthCheck.too_slow])
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ingest"))

# The builds of the suite keep their render cache out of the repo (mkdocs.yml reads WIKIGDRIVE_CACHE_DIR); tests
# of the cache itself give each build its own.
os.environ.setdefault("WIKIGDRIVE_CACHE_DIR", tempfile.mkdtemp(prefix="wikigdrive-cache-"))

CORPUS_EXPORTS = ("quality-of-care-2022", "quality-of-care-2023")
WHOLE_EXPORT = "mieweb-docs-2023"


@dataclass
class Built:
    """An export synced into ``docs_dir`` and built strict into ``site_dir``."""

    export: Path
    docs_dir: Path
    site_dir: Path
    warnings: list[str]
    check: dict[str, Any] | None = None
    """``ingest check``'s report of the built site (``SiteReport.to_dict``), when it was run with the build."""

    @property
    def site_problems(self) -> list[str]:
        """What the check found that counts (not the anchors broken in the docs themselves), as 'page: kind: what'."""
        from ingest.check import NOT_COUNTED

        findings = (self.check or {}).get("findings", [])
        return [f"{f['page']}: {f['kind']}: {f['detail']}" for f in findings if f["kind"] not in NOT_COUNTED]

    def page(self, url_path: str) -> str:
        """The HTML of a page by its URL path ('guides/getting-started/')."""
        return (self.site_dir / url_path.strip("/") / "index.html").read_text("utf-8")


@pytest.fixture
def make_export(tmp_path: Path) -> Callable[..., Path]:
    def make(files: dict[str, Any], name: str = "export") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True, exist_ok=True)
        return write_tree(root, files)

    return make


@pytest.fixture
def export(make_export, tmp_path):
    """A function that (re)writes the export folder ``tmp_path/export`` as a whole, as a fresh wikiGDrive
    download does."""
    root = tmp_path / "export"

    def export_as(files: dict) -> Path:
        shutil.rmtree(root, ignore_errors=True)
        return make_export(files)

    return export_as


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared folder {SHARED} is absent")
    return SHARED


@pytest.fixture(scope="session")
def seeds_dir(shared_dir: Path) -> Path:
    seeds = shared_dir / "seeds"
    if not seeds.is_dir() or not any(seeds.iterdir()):
        pytest.skip(f"no seeds in {seeds}")
    return seeds


@pytest.fixture(scope="session")
def corpus_dir(shared_dir: Path) -> Path:
    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"corpus folder {corpus} is absent")
    return corpus


@pytest.fixture(scope="session")
def mkdocs_config() -> dict[str, Any]:
    """The repo's mkdocs.yml as plain data, read with MkDocs' own YAML tags (!ENV, !relative)."""
    from mkdocs.utils.yaml import get_yaml_loader

    return yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=get_yaml_loader(yaml.SafeLoader))


@pytest.fixture(scope="session")
def render_markdown(mkdocs_config) -> Callable[[str], str]:
    """Render Markdown the way the site does (the extensions listed in mkdocs.yml, and the plugin's)."""
    from ingest.mkdocs.plugin import MARKDOWN_EXTENSION

    extensions, configs = [MARKDOWN_EXTENSION], {}
    for entry in mkdocs_config["markdown_extensions"]:
        if isinstance(entry, dict):
            (name, options), = entry.items()
            extensions.append(name)
            configs[name] = copy.deepcopy(options or {})
        else:
            extensions.append(entry)

    def render(text: str) -> str:
        return markdown.markdown(text, extensions=extensions, extension_configs=configs)

    return render


def _build(export: Path, work: Path) -> Built:

    site_dir, warnings = build_export(export, work)
    return Built(export, work / "docs", site_dir, warnings)


_pool: Pool | None = None
_corpus_jobs: dict[str, AsyncResult] = {}
_corpus_work: list[Path] = []


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Start the corpus builds in the background once we know a selected test needs them."""
    global _pool
    names = set()
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "corpus_build" in fixtures:
            names.update(CORPUS_EXPORTS)
        if "whole_export_build" in fixtures:
            names.add(WHOLE_EXPORT)
    exports = [SHARED / "corpus" / name for name in sorted(names) if (SHARED / "corpus" / name).is_dir()]
    if not exports:
        return
    _pool = multiprocessing.get_context("fork").Pool(min(len(exports), os.cpu_count() or 1))
    for export in sorted(exports, key=lambda path: path.name != WHOLE_EXPORT):  # the biggest first
        work = Path(tempfile.mkdtemp(prefix=f"ingest-test-{export.name}-"))
        _corpus_work.append(work)
        settings = WIKI_SETTINGS if export.name == WHOLE_EXPORT else None
        _corpus_jobs[export.name] = _pool.apply_async(build_and_check, (str(export), str(work), settings))


def pytest_sessionfinish(session, exitstatus):
    if _pool is not None:
        _pool.terminate()  # builds nobody waited for (e.g. after -x) are not worth finishing
        _pool.join()
    for work in _corpus_work:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory) -> Built:
    return _build(SAMPLE_EXPORT, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session", params=CORPUS_EXPORTS, ids=[name[-4:] for name in CORPUS_EXPORTS])
def corpus_build(request, corpus_dir, tmp_path_factory) -> Built:
    export = corpus_dir / request.param
    if not export.is_dir():
        pytest.skip(f"corpus export {export} is absent")
    return _built(export, tmp_path_factory, None)


@pytest.fixture(scope="session")
def whole_export_build(corpus_dir, tmp_path_factory) -> Built:
    export = corpus_dir / WHOLE_EXPORT
    if not export.is_dir():
        pytest.skip(f"whole export {export} is absent")
    return _built(export, tmp_path_factory, WIKI_SETTINGS)


def _built(export: Path, tmp_path_factory, settings: SiteSettings | None) -> Built:
    job = _corpus_jobs.get(export.name)
    if job is not None:
        site_dir, warnings, report = job.get()
    else:
        site_dir, warnings, report = build_and_check(str(export), str(tmp_path_factory.mktemp(export.name)), settings)
    return Built(export, Path(site_dir).parent / "docs", Path(site_dir), warnings, report)


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory):
    from hostile.hostile_site import build_hostile_site

    return build_hostile_site(tmp_path_factory.mktemp("hostile"))
