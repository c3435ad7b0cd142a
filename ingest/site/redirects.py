"""Stage 4, redirects: turn wikiGDrive's redirect stubs into redirects, following chains and refusing loops.

wikiGDrive leaves a stub (``redirectTo: <id>``, often ``url: <path>``) where a
renamed or moved doc used to be. A stub can point to another stub (a doc renamed
twice), to itself, or round in a circle; mkdocs-redirects makes one hop only,
so each stub is followed here to the live page at the end of its chain.
Pure: documents and an index in, redirects and problems out.
"""

from __future__ import annotations

import posixpath
from typing import Iterable
from urllib.parse import unquote

from ingest.files import page_dest
from ingest.model import Document, Problem
from ingest.transform.links import LinkIndex


def stub_redirects(stubs: list[Document], index: LinkIndex, live: Iterable[str]) -> tuple[dict[str, str], list[Problem]]:
    """Old page path → live page path for each stub, and a problem for each stub that leads nowhere.

    ``live`` holds every page the site will have, generated ones included: a stub
    never replaces one.
    """
    live = set(live)
    by_id: dict[str, list[Document]] = {}
    by_source = {stub.source: stub for stub in stubs}
    for stub in stubs:
        by_id.setdefault(stub.id, []).append(stub)
    redirects: dict[str, str] = {}
    problems: list[Problem] = []
    for stub in stubs:
        target, chain = _follow(stub, index, by_id, by_source)
        old = page_dest(stub.source)
        if target is None and chain:
            problems.append(_loop_problem(stub, chain))
        elif target is None:
            where = f"'{stub.redirect_to}'" + (f" (url '{stub.meta['url']}')" if stub.meta.get("url") else "")
            problems.append(Problem(stub.source, stub.meta_lines.get("redirectTo"), "redirect-target-missing",
                                    f"Redirect stub '{stub.source}' points to {where}, which is not in this "
                                    "export; no redirect was made."))
        elif old in live:
            problems.append(Problem(stub.source, None, "redirect-clash",
                                    f"Redirect stub '{stub.source}' has the path of a live page '{old}'; the page wins."))
        else:
            redirects[old] = target
            if stub.is_conflict_placeholder:
                problems.append(Problem(stub.source, None, "conflict-placeholder",
                                        f"'{stub.source}' is wikiGDrive's mark of a name conflict ('{stub.title}'); its "
                                        f"URL redirects to '{target}'. Check in Drive that the two docs with one name "
                                        "are meant to be one, and rename the other."))
    return redirects, problems


def stub_targets(stubs: list[Document], docs: list[Document]) -> dict[str, str]:
    """Each stub's source → the source of the live doc at the end of its chain (stubs leading nowhere left out).

    The nav uses it: a navigation entry may still link to a doc's old path.
    """
    index = LinkIndex(by_source={doc.source: doc.source for doc in docs},
                      by_id={doc.id: doc.source for doc in reversed(docs)})
    by_id: dict[str, list[Document]] = {}
    for stub in stubs:
        by_id.setdefault(stub.id, []).append(stub)
    by_source = {stub.source: stub for stub in stubs}
    targets = {}
    for stub in stubs:
        target, _ = _follow(stub, index, by_id, by_source)
        if target is not None:
            targets[stub.source] = target
    return targets


def _follow(stub: Document, index: LinkIndex, by_id: dict[str, list[Document]],
            by_source: dict[str, Document]) -> tuple[str | None, list[str]]:
    """(live page at the end of the stub's chain, []) or (None, the chain) for a loop, or (None, []) for nothing."""
    seen = [stub.source]
    current = stub
    while True:
        url_source = _url_source(current)
        target = index.by_id.get(current.redirect_to or "") or index.by_source.get(url_source or "")
        if target is not None:
            return target, []
        following = list(by_id.get(current.redirect_to or "", []))
        if url_source in by_source:
            following.append(by_source[url_source])
        if not following:
            return None, []
        fresh = [s for s in following if s.source not in seen]
        if not fresh:
            return None, seen + [following[0].source]
        current = fresh[0]
        seen.append(current.source)


def _url_source(stub: Document) -> str | None:
    """The export path a stub's ``url`` (or a placeholder's link) names, or None when it names none
    (or leaves the export)."""
    url = stub.redirect_url
    if not url or "://" in url:
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(stub.source), unquote(url.split("#")[0])))
    return None if path.startswith(("../", "/")) or path == ".." else path


def _loop_problem(stub: Document, chain: list[str]) -> Problem:
    if chain[1:] == [stub.source]:
        message = f"Redirect stub '{stub.source}' redirects to itself; no redirect was made. Delete the stub in Drive."
    else:
        message = (f"Redirect stub '{stub.source}' is in a loop of redirects ({' -> '.join(chain)}); no redirect was "
                   "made. Delete the stubs in Drive, or point one of them at a live doc.")
    return Problem(stub.source, stub.meta_lines.get("redirectTo"), "redirect-loop", message)
