"""The navigation document's entries, matched to docs: ``entry_doc`` finds the doc an entry links to
(by path, Drive URL or ``gdoc:`` id, through a stub to where it leads). Reading the document's
entries is the read stage's (``ingest.read.navigation``).
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from ingest.model import Document
from ingest.transform.links import google_id


def entry_doc(target: str, by_source: dict[str, Document], by_id: dict[str, Document],
               redirects: dict[str, str]) -> Document | None:
    """The doc a navigation entry links to, through a redirect stub to the doc it leads to."""
    drive_id = google_id(target)
    if drive_id:
        return by_id.get(drive_id)
    path = posixpath.normpath(unquote(target.split("#")[0]).lstrip("/"))
    for candidate in (path, posixpath.splitext(path)[0] + ".txt", posixpath.splitext(path)[0] + ".md"):
        if candidate in by_source:
            return by_source[candidate]
        if candidate in redirects and redirects[candidate] in by_source:
            return by_source[redirects[candidate]]
    return None
