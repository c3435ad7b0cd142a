"""Checks on a built site that MkDocs' own validation does not make: every internal
href and src resolves to a file, and no export residue (shortcodes, mojibake) is left."""

from __future__ import annotations

import posixpath
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

RESIDUE = ("{{%", "{{<", "Â", "â€", "<!--ingest:")


def page_files(site_dir: Path) -> list[Path]:
    return sorted(p for p in site_dir.rglob("*.html") if "search" not in p.parts and p.name != "404.html")


def is_redirect_page(html: str) -> bool:
    return 'http-equiv="refresh"' in html and "Redirecting" in html


def target_exists(site_dir: Path, page: Path, url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "mailto:", "data:")) or not parts.path:
        return True
    base = page.parent.relative_to(site_dir).as_posix()
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path)))
    candidate = site_dir / path
    return candidate.is_file() or (candidate / "index.html").is_file()


def check_site(site_dir: Path) -> list[str]:
    """Every problem found in the built HTML, as 'page: what' strings."""
    problems: list[str] = []
    for page in page_files(site_dir):
        html = page.read_text("utf-8")
        if is_redirect_page(html):
            continue
        soup = BeautifulSoup(html, "html.parser")
        rel = page.relative_to(site_dir).as_posix()
        for tag, attr in (("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")):
            for element in soup.find_all(tag):
                url = element.get(attr)
                if url and not target_exists(site_dir, page, url):
                    problems.append(f"{rel}: broken {tag} {attr}={url!r}")
        for code in soup.find_all(["pre", "code"]):
            code.decompose()  # a shortcode shown in a code block is meant to be seen
        text = str(soup)
        for residue in RESIDUE:
            if residue in text:
                problems.append(f"{rel}: contains {residue!r}")
    return problems
