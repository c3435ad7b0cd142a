"""Brands: which ``{{% only sys="..." %}}`` blocks an export has, against the site's brand."""

from __future__ import annotations

import re
from collections import Counter

from ingest.model import Document, Problem

_ONLY_TAG_RE = re.compile(r"\{\{[%<]\s*only\s+(?:sys\s*=\s*)?[\"']?(?P<sys>[^\"'%>}]*)", re.IGNORECASE)


def brand_problems(docs: list[Document], brand: str) -> list[Problem]:
    """A warning when the site's brand is none of the brands the export's ``only`` blocks name.

    Every block would be dropped, silently: the site's brand is most likely another site's
    (a copied mkdocs.yml).
    """
    if not brand:
        return []
    found: Counter[str] = Counter()
    for doc in docs:
        if "only" in doc.body:
            for match in _ONLY_TAG_RE.finditer(doc.body):
                found.update(part.strip().casefold() for part in match.group("sys").split(",") if part.strip())
    if not found or brand.casefold() in found:
        return []
    names = ", ".join(sorted(found))
    blocks = sum(found.values())
    return [Problem("", None, "brand-not-in-export",
                    f"The site's brand '{brand}' (mkdocs.yml) is none of the brands the export's "
                    f"{{{{% only %}}}} blocks name ({names}); all {blocks} of those blocks are left out of the site. "
                    "Set brand to one of them, or leave it empty to keep every block.")]
