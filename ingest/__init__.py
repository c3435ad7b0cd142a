"""Turn a wikiGDrive export of Google Docs into the docs_dir of a MkDocs Material site.

The public API is small::

    from ingest import sync
    site = sync(Path("export"), Path("docs_src"))
    print(site.counts)

``sync`` reads and checks the whole export, then replaces the docs_dir in one
step; ``build_site`` does the same in memory for a ``read_export`` result.
"""

import lazy_loader

__version__ = "0.1.0"

#: The API, imported on first use (``lazy_loader``): ``python -m ingest`` starts quickly, a sync with nothing to do
#: never loads the pipeline's stages, and the MkDocs plugin, which imports ``ingest.mkdocs``, loads the sync only
#: where it syncs.
__getattr__, __dir__, _api = lazy_loader.attach(__name__, submod_attrs={
    "commands.sync": ["sync", "SyncError"], "model": ["Document", "Problem", "Severity"],
    "read.export": ["read_export"], "site.build": ["Site", "build_site"]})

__all__ = [*_api, "__version__"]
