"""Build a real site from an export the way a user does (sync, then `mkdocs build --strict`),
into a temporary folder, through MkDocs' Python API so the repo's docs_src/ is left alone."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

from ingest import sync
from ingest.settings import SiteSettings

REPO = Path(__file__).resolve().parents[1]
SAMPLE_EXPORT = REPO / "samples" / "export"
SHARED = REPO.parent / "shared"

#: A word Material's search must find in the sample site, and the page it is on.
SEARCH_PROBE = ("preceptor", "/improvement-activities-measures/2018-improvement-activities/"
                "ahe-6-provide-education-opportunities-for-new-clinicians/")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def build_export(export_dir: Path, work_dir: Path, earlier_exports: tuple[Path, ...] = (),
                 settings: SiteSettings = SiteSettings(), **config_overrides) -> tuple[Path, list[str]]:
    """Sync ``export_dir`` (after ``earlier_exports``, in order, as re-syncs do) and build it with the
    repo's mkdocs.yml in strict mode.

    Returns the site folder and the warnings MkDocs logged (strict mode turns any into a failure).
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    docs_dir, site_dir = work_dir / "docs", work_dir / "site"
    for earlier in earlier_exports:
        sync(earlier, docs_dir, settings=settings, jobs=1)
    sync(export_dir, docs_dir, settings=settings, jobs=1)  # one process: it may run in a pool worker
    config = load_config(config_file=str(REPO / "mkdocs.yml"), docs_dir=str(docs_dir), site_dir=str(site_dir),
                         strict=True, **config_overrides)
    handler = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.removeHandler(handler)
    return site_dir, [record.getMessage() for record in handler.records]


def build_sample_site(tmp_dir: Path) -> Path:
    """The bundled sample export as a built site (used by the browser tests)."""
    site_dir, _ = build_export(SAMPLE_EXPORT, Path(tmp_dir))
    return site_dir


#: The settings a whole export of the public wiki is built with: where that wiki is published.
WIKI_SETTINGS = SiteSettings(system_name="WebChart",
                             published_urls=("https://docs.webchartnow.com/", "https://docs.enterprisehealth.com/"))


def build_and_check(export: str, work: str, settings: SiteSettings = SiteSettings()) -> tuple[str, list[str], dict]:
    """Sync, build strict and run ``ingest check`` on one export: (site dir, MkDocs warnings, the check's report).

    A module-level function so the test session can run it in a worker process.
    """
    from ingest.check import check_site, export_facts

    site_dir, warnings = build_export(Path(export), Path(work), settings=settings)
    return str(site_dir), warnings, check_site(site_dir, export_facts(Path(export))).to_dict()
