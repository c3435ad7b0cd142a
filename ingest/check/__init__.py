"""Check a built site the way a reader meets it: ``python -m ingest check SITE_DIR [--export EXPORT_DIR]``.

- ``page``: what one built page shows (its nav, headings, links, ids, prose), read from its HTML;
- ``site``: the checks over every page, and over the nav against the export's navigation doc.

``export_facts`` reads what the nav checks need from the export the site was built from.
"""

from __future__ import annotations

from pathlib import Path

from ingest.check.site import KINDS, NOT_COUNTED, ExportFacts, Finding, SiteReport, check_site
from ingest.files import source_url

__all__ = ["KINDS", "NOT_COUNTED", "ExportFacts", "Finding", "SiteReport", "check_site", "export_facts"]


def export_facts(export_dir: Path) -> ExportFacts:
    """Each doc's page URL, title and menu weight, and the navigation doc's entries, from ``export_dir``."""
    from ingest.read.export import read_export
    from ingest.read.meta import menu_weight
    from ingest.site.nav import title_from_name
    from ingest.site.navdoc import entry_doc
    from ingest.site.redirects import stub_targets

    export = read_export(Path(export_dir))
    pages = [doc for doc in export.documents if not doc.is_redirect_stub]
    stubs = [doc for doc in export.documents if doc.is_redirect_stub]
    titles = {source_url(doc.source): doc.title for doc in pages}
    weights = {}
    for doc in pages:
        weight = menu_weight(doc.menu_weight) if doc.menu_weight not in (None, "") else None
        if weight is not None:
            weights[source_url(doc.source)] = weight
    navigation = []
    if export.navigation is not None:
        by_source = {doc.source: doc for doc in pages}
        by_id = {}
        for doc in pages:
            by_id.setdefault(doc.id, doc)
        redirects = stub_targets(stubs, pages)
        for entry in export.navigation.entries:
            doc = entry_doc(entry.target, by_source, by_id, redirects) if entry.target else None
            navigation.append((entry.depth, entry.title, source_url(doc.source) if doc else None))
    folders = {source.rsplit("/", 1)[0] for source in (doc.source for doc in export.documents) if "/" in source}
    folder_titles = set(export.folder_titles.values())
    for folder in folders:
        while folder:
            folder_titles.add(title_from_name(folder.rsplit("/", 1)[-1]))
            folder = folder.rsplit("/", 1)[0] if "/" in folder else ""
    from ingest.check.site import GENERATED_TITLES

    return ExportFacts(titles, weights, navigation, GENERATED_TITLES | frozenset(folder_titles))
