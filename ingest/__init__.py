"""Turn a wikiGDrive export of Google Docs into the docs_dir of a MkDocs Material site.

The public API is small::

    from ingest import sync
    site = sync(Path("export"), Path("docs_src"))
    print(site.counts)

``sync`` reads and checks the whole export, then replaces the docs_dir in one
step; ``build_site`` does the same in memory for a ``read_export`` result.
"""

__version__ = "0.1.0"

from ingest.model import Document, Problem, Severity  # noqa: E402
from ingest.read import read_export  # noqa: E402
from ingest.sync import Site, SyncError, build_site, sync  # noqa: E402

__all__ = ["Document", "Problem", "Severity", "Site", "SyncError", "build_site", "read_export", "sync", "__version__"]
