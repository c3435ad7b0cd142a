"""One MkDocs site built (sync, then a strict build) from every catalogue case that has a ``site:`` entry.

Each case goes into a folder of its own (``<kind>-<case>/``) under one export with
a plain home page, so one build shows what the hostile docs become in HTML. Used
by tests/test_hostile.py and the browser test tests/browser/test_browser_hostile.py.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from hostile.catalogue import Case, bystanders, load_cases, write_export, write_outside

HOME = "---\nid: 'hostile-home'\ntitle: 'Hostile exports'\n---\nEvery case of the catalogue with a built page.\n"
#: URL schemes that run code or carry a document when a link or a source uses them.
SCRIPT_URL_RE = re.compile(r"^\s*(?:javascript|vbscript|data|file):", re.IGNORECASE)
#: The one script URL the theme writes itself (Material's "Share" button in the search box).
THEME_SCRIPT_URL = "javascript:void(0)"
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "srcdoc", "data", "poster", "background", "xlink:href")


def case_folder(case: Case) -> str:
    return f"{case.kind}-{case.name}"


@dataclass
class HostileSite:
    export: Path
    site_dir: Path
    warnings: list[str]
    cases: list[Case]

    def url(self, case: Case) -> str:
        """The site path of a case's page, e.g. 'html-script-tag/page/'."""
        return f"{case_folder(case)}/{case.site['page']}"

    def page(self, case: Case) -> str:
        return (self.site_dir / self.url(case) / "index.html").read_text("utf-8")

    def pages(self) -> list[str]:
        """Every HTML page of the site (redirect pages too), relative to the site folder."""
        return sorted(p.relative_to(self.site_dir).as_posix() for p in self.site_dir.rglob("*.html"))


def build_hostile_site(work: Path) -> HostileSite:
    from helpers import build_export

    cases = [case for case in load_cases() if case.site]
    export = work / "export"
    write_outside(work)
    write_export(export, {"index.md": HOME}, work)
    for case in cases:
        folder = case_folder(case)
        write_export(export / folder, bystanders(case.name, case.files), work)
        write_export(export / folder, case.files, work)
    site_dir, warnings = build_export(export, work)
    return HostileSite(export, Path(site_dir), warnings, cases)


def _script_signature(script, page: str) -> str:
    """A script as the theme writes it on any page: its file from the site's root, or its text without the
    paths that depend on the page's depth."""
    if script.get("src"):
        path = unquote(urlsplit(script["src"]).path)
        return "src:" + (path.lstrip("/") if path.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(page), path)))
    text = script.get_text()
    if script.get("type") == "application/json":
        config = {key: value for key, value in json.loads(text).items() if key not in ("base", "search")}
        return "json:" + json.dumps(config, sort_keys=True)
    return "inline:" + re.sub(r'new URL\("[./]*",location\)', 'new URL("",location)', text)


def site_scripts(site_dir: Path) -> set[str]:
    """The scripts of a page the sync wrote from a plain doc: the only ones any page may have."""
    soup = BeautifulSoup((site_dir / "index.html").read_text("utf-8"), "html.parser")
    return {_script_signature(script, "index.html") for script in soup.find_all("script")}


def page_safety_problems(site_dir: Path, page: str, allowed_scripts: set[str] | None = None) -> list[str]:
    """What makes a built page unsafe: an event handler, a script URL, a script the theme did not write, a frame
    from a host not on the allow-list. Empty for a safe page."""
    from ingest.transform.policy import iframe_allowed

    allowed_scripts = allowed_scripts if allowed_scripts is not None else site_scripts(site_dir)
    html = (site_dir / page).read_text("utf-8")
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name.lower().startswith("on"):
                problems.append(f"{page}: <{element.name} {name}=...>")
            if name.lower() in _URL_ATTRIBUTES and SCRIPT_URL_RE.match(value) and value != THEME_SCRIPT_URL:
                problems.append(f"{page}: <{element.name} {name}='{value[:40]}'>")
        if element.name in ("iframe", "frame", "embed", "object") and not iframe_allowed(element.get("src", "")):
            problems.append(f"{page}: <{element.name}> from '{element.get('src', '')}'")
        if element.name in ("style", "base", "form", "meta") and element.find_parent("article"):
            problems.append(f"{page}: <{element.name}> in the page content")
    for script in soup.find_all("script"):
        if script.find_parent("article") or _script_signature(script, page) not in allowed_scripts:
            if "Redirecting" not in html:  # mkdocs-redirects' own page: checked by its target below
                problems.append(f"{page}: a script the theme did not write: {str(script)[:80]}")
    if "Redirecting" in html:
        target = soup.find("link", rel="canonical")
        if target is None or SCRIPT_URL_RE.match(target.get("href", "")) or '"' in target.get("href", ""):
            problems.append(f"{page}: redirect page without a plain target")
    return problems
