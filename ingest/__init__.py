"""Turn a wikiGDrive export of Google Docs into the docs_dir of a MkDocs Material site.

The public API is small::

    from ingest import sync
    site = sync(Path("export"), Path("docs_src"))
    print(site.counts)

``sync`` reads and checks the whole export, then replaces the docs_dir in one
step; ``build_site`` does the same in memory for a ``read_export`` result.
"""

__version__ = "0.1.0"

#: The API, imported on first use: ``python -m ingest`` starts quickly, a sync with nothing to do never loads the
#: pipeline's stages, and the MkDocs plugin, which imports ``ingest.mkdocs``, loads the sync only where it syncs.
_LAZY = {"sync": "ingest.commands.sync", "SyncError": "ingest.commands.sync", "Document": "ingest.model",
         "Problem": "ingest.model", "Severity": "ingest.model", "read_export": "ingest.read.export",
         "Site": "ingest.site.build", "build_site": "ingest.site.build"}

__all__ = ["Document", "Problem", "Severity", "Site", "SyncError", "__version__", "build_site", "read_export", "sync"]


def __getattr__(name: str) -> object:  # PEP 562
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'ingest' has no attribute {name!r}")
