"""What the tests share: where things are, small exports written in wikiGDrive's format, real builds,
the structure of a rendered page, and the browser tests' site server and search driver.

Test files import from here (``from helpers import ...``; tests/conftest.py puts tests/ on the path),
never from each other.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator

import yaml
from markdown_it import MarkdownIt
from mkdocs.commands.build import build
from mkdocs.config import load_config

from ingest import sync
from ingest.chardata import SHORTCODE_RE
from ingest.markup import loose_key
from ingest.settings import SiteSettings, read_site_config
from ingest.transform.shortcodes import BLOCKS, parse_tag

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
SAMPLE_EXPORT = REPO / "samples" / "export"
CASES_DIR = TESTS / "cases"
"""The normalisation case tables."""
EXPORTS_DIR = TESTS / "exports"
"""Golden exports: each folder an export with the site it must give (``expected.json``)."""

#: A word Material's search must find in the sample site, and the page it is on.
SEARCH_PROBE = ("preceptor", "/improvement-activities-measures/2018-improvement-activities/"
                "ahe-6-provide-education-opportunities-for-new-clinicians/")


# --- small exports ------------------------------------------------------------------------------

def doc_text(meta: dict[str, Any] | None, body: str) -> str:
    """A wikiGDrive-style document: YAML front matter (when ``meta`` is given), then the body."""
    if meta is None:
        return body
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True)
    return f"---\n{front}---\n{body}"


def write_tree(root: Path, files: dict[str, Any]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, tuple):
            path.write_bytes(doc_text(*content).encode("utf-8"))
        else:
            path.write_bytes(content.encode("utf-8"))
    return root


# --- an export and its edits, for re-syncs ------------------------------------------------------

def page(ident: str, title: str, body: str = "", **extra):
    return {"id": ident, "title": title, **extra}, (body or f"About {title}.") + "\n"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file: what `mkdocs serve` watches."""
    return {p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def folder_state(parent: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``parent`` with inode and mtime: unchanged means nothing was written."""
    return {p.relative_to(parent).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(parent.rglob("*"))}


BASE = {
    "index.md": page("1home", "Home"),
    "guides.md": page("1guides", "Guides", "{{% children %}}"),
    "guides/keep.md": page("1keep", "Keep", "![](keep.assets/k.png)"),
    "guides/keep.assets/k.png": b"\x89PNG keep",
    "guides/edit.md": page("1edit", "Edit me"),
    "guides/move.md": page("1move", "Move me"),
    "guides/drop.md": page("1drop", "Drop me", "![](drop.assets/d.png)"),
    "guides/drop.assets/d.png": b"\x89PNG drop",
    "reference.md": page("1ref", "Reference"),
}


def edited(base: dict) -> dict:
    """BASE after a day of editing in Drive: one doc edited, one moved, one deleted, one new."""
    files = dict(base)
    del files["guides/drop.md"], files["guides/drop.assets/d.png"], files["guides/move.md"]
    files["guides/edit.md"] = page("1edit", "Edit me", "Rewritten in Drive.")
    files["reference/move.md"] = page("1move", "Move me")
    files["guides/new.md"] = page("1new", "New page")
    return files


# --- real builds: sync, then `mkdocs build --strict`, into a temporary folder -----------------------

class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def site_config(work_dir: Path, settings: SiteSettings) -> Path:
    """The repo's mkdocs.yml with the wikigdrive plugin's settings replaced by ``settings``, written into
    ``work_dir`` (its relative paths made absolute, so it builds from there)."""
    from mkdocs.utils import yaml_load

    with open(REPO / "mkdocs.yml", encoding="utf-8") as stream:
        data = yaml_load(stream)
    data["theme"]["custom_dir"] = str(REPO / data["theme"]["custom_dir"])
    options = {"system_name": settings.system_name, "system_abbr": settings.system_abbr,
               "system_url": settings.system_url, "brand": settings.brand,
               "published_urls": list(settings.published_urls)}
    (plugin,) = [entry for entry in data["plugins"] if isinstance(entry, dict) and "wikigdrive" in entry]
    plugin["wikigdrive"].update(options)
    path = work_dir / "mkdocs.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def build_export(export_dir: Path, work_dir: Path, earlier_exports: tuple[Path, ...] = (),
                 settings: SiteSettings | None = None, **config_overrides) -> tuple[Path, list[str]]:
    """Sync ``export_dir`` (after ``earlier_exports``, in order, as re-syncs do) and build it with the
    repo's mkdocs.yml in strict mode; with ``settings``, with those as the plugin's instead of the repo's.

    Returns the site folder and the warnings MkDocs logged (strict mode turns any into a failure).
    """
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    docs_dir, site_dir = work_dir / "docs", work_dir / "site"
    config_file = REPO / "mkdocs.yml" if settings is None else site_config(work_dir, settings)
    if settings is None:
        settings = read_site_config(config_file).settings
    for earlier in earlier_exports:
        sync(earlier, docs_dir, settings=settings, jobs=1)
    sync(export_dir, docs_dir, settings=settings, jobs=1)  # one process: it may run in a pool worker
    config = load_config(config_file=str(config_file), docs_dir=str(docs_dir), site_dir=str(site_dir),
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


def build_and_check(export: str, work: str, settings: SiteSettings | None = None) -> tuple[str, list[str], dict]:
    """Sync, build strict and run ``ingest check`` on one export: (site dir, MkDocs warnings, the check's report).

    A module-level function so the test session can run it in a worker process.
    """
    from ingest.check import check_site, export_facts

    site_dir, warnings = build_export(Path(export), Path(work), settings=settings)
    return str(site_dir), warnings, check_site(site_dir, export_facts(Path(export))).to_dict()


# --- the structure of a rendered page (list items, headings, code blocks) ---------------------------
#
# The reference is markdown-it-py, the CommonMark reference implementation for Python, on a doc's
# exported body after the sync's documented text fixes (``ingest.transform.normalize``), with each Hugo
# shortcode standing for what Hugo writes there (its tags gone, ``system-name`` a name). Ours is
# the page the site built. Every stage between the two (shortcodes, raw HTML, links, headings,
# the renderer) must keep the structure: the same list items with the same nesting, kind and
# numbering, the same headings, the same code.

#: The reference: plain CommonMark with the tables wikiGDrive never writes but Hugo reads.
REFERENCE = MarkdownIt("commonmark", {"html": True, "maxNesting": 100}).enable("table")


@dataclass
class Structure:
    items: list[tuple[int, str, int]] = field(default_factory=list)
    """Each list item in order: (nesting depth, 'ol' or 'ul', its number: the list's start plus its index)."""

    headings: list[str] = field(default_factory=list)
    """Each heading's text, case and punctuation aside."""

    first_heading_level: int = 0
    """The level of the first heading (1 for an H1), 0 without headings."""

    code: list[str] = field(default_factory=list)
    """Each code block's text, spacing aside."""


def reference_html(body: str, system_name: str = "Name") -> str:
    """markdown-it-py's rendering of an exported body, each shortcode as Hugo's templates write it.

    A block shortcode (``note``, ``tip``, ``only``, ...) is a ``<div>`` around its content, which
    is Markdown (Hugo's ``{{%`` delimiters); ``pre`` writes its content as it is; ``system-name``
    writes the name; the others write nothing the structure is made of.
    """
    def hugo(match: re.Match[str], indent: str = "") -> str:
        tag = parse_tag(match)
        if tag.name in ("system-name", "sys-name") and not tag.closing:
            return system_name
        if tag.name == "syslink" and not tag.closing:
            return tag.arg("text", 0)
        if tag.name == "anchor" and not tag.closing:
            return "<span></span>"  # Hugo's anchor template writes an empty span
        if tag.name in BLOCKS and tag.name != "pre":
            return f"\n\n{indent}</div>\n\n" if tag.closing else f"\n\n{indent}<div>\n\n"
        return ""

    lines = _blocks_at_their_tags(body.strip().split("\n"))  # a page's body is what it shows: stripped
    for number, line in enumerate(lines):
        alone = _TAG_LINE_RE.match(line)
        if alone:
            lines[number] = hugo(SHORTCODE_RE.search(line), alone.group("indent"))
    return REFERENCE.render(SHORTCODE_RE.sub(hugo, "\n".join(lines)))


def _blocks_at_their_tags(lines: list[str]) -> list[str]:
    """Each block shortcode's content at its opening tag's indentation, its own indentation aside.

    wikiGDrive indents a note's content to the list around it, or not at all; the sync reads a
    block's content relative to its first line and puts it where its tag is (documented in
    ``ingest/shortcodes.py``), which Hugo, rendering the content on its own, does too.
    """
    lines = list(lines)
    stack: list[tuple[str, int, str]] = []
    for number, line in enumerate(lines):
        alone = _TAG_LINE_RE.match(line)
        if not alone:
            continue
        tag = parse_tag(SHORTCODE_RE.search(line))
        if tag.name not in BLOCKS or tag.name == "pre":
            continue
        if not tag.closing:
            stack.append((tag.name, number, alone.group("indent")))
        elif stack and stack[-1][0] == tag.name:
            _, start, indent = stack.pop()
            inner = lines[start + 1:number]
            common = min((len(l) - len(l.lstrip(" ")) for l in inner if l.strip()), default=0)
            lines[start + 1:number] = [indent + l[common:] if l.strip() else l for l in inner]
    return lines


_TAG_LINE_RE = re.compile(r"^(?P<indent>[ \t]*)\{\{[%<][^\n]*?[%>]\}\}[ \t]*$")


def structure(html: str, skip_first_h1: bool = False) -> Structure:
    parser = _StructureParser(skip_first_h1)
    parser.feed(html)
    parser.close()
    return parser.result


_IGNORED_CLASSES = {"headerlink", "toc", "ingest-activity-card", "ingest-generated", "md-source-file"}


class _StructureParser(HTMLParser):
    def __init__(self, skip_first_h1: bool):
        super().__init__(convert_charrefs=True)
        self.result = Structure()
        self.lists: list[list] = []  # [tag, start, count]
        self.skip_h1 = skip_first_h1
        self.depth = 0
        self.ignore_depth: int | None = None
        self.heading: list[str] | None = None
        self.heading_depth = 0
        self.code: list[str] | None = None
        self.code_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "hr", "input", "col", "meta", "link", "source", "wbr"):
            return
        self.depth += 1
        values = dict(attrs)
        if self.ignore_depth is not None:
            return
        if set((values.get("class") or "").split()) & _IGNORED_CLASSES:
            self.ignore_depth = self.depth
            return
        if tag in ("ol", "ul"):
            start = values.get("start") or "1"
            self.lists.append([tag, int(start) if start.lstrip("-").isdigit() else 1, 0])
        elif tag == "li" and self.lists:
            kind, start, count = self.lists[-1]
            self.result.items.append((len(self.lists), kind, start + count if kind == "ol" else 0))
            self.lists[-1][2] += 1
        elif re.fullmatch(r"h[1-6]", tag) and self.heading is None:
            if tag == "h1" and self.skip_h1:
                self.skip_h1 = False
                self.ignore_depth = self.depth
            else:
                self.heading, self.heading_depth = [], self.depth
                if not self.result.headings and not self.result.first_heading_level:
                    self.result.first_heading_level = int(tag[1])
        elif tag == "pre" and self.code is None:
            self.code, self.code_depth = [], self.depth

    def handle_endtag(self, tag):
        if tag in ("br", "img", "hr", "input", "col", "meta", "link", "source", "wbr"):
            return
        if self.ignore_depth == self.depth:
            self.ignore_depth = None
        elif self.ignore_depth is None:
            if tag in ("ol", "ul") and self.lists:
                self.lists.pop()
            if self.heading is not None and self.depth == self.heading_depth:
                self.result.headings.append(loose_key("".join(self.heading)))
                self.heading = None
            if self.code is not None and self.depth == self.code_depth:
                self.result.code.append(" ".join("".join(self.code).split()))
                self.code = None
        self.depth -= 1

    def handle_data(self, data):
        if self.ignore_depth is not None:
            return
        if self.heading is not None:
            self.heading.append(data)
        if self.code is not None:
            self.code.append(data)


# --- the browser tests: the sample's known pages, a local site server, Material's search ------------

#: The AHE 6 activity page, in the sample site and in the 2022 corpus site.
AHE6_SLUG = "ahe-6-provide-education-opportunities-for-new-clinicians/"
SAMPLE_AHE6 = "/improvement-activities-measures/2018-improvement-activities/" + AHE6_SLUG
CORPUS_AHE6 = ("/functions/quality-of-care/measures/improvement-activities-measures/"
               "2018-improvement-activities/" + AHE6_SLUG)
AHE6_TITLE = "AHE 6 - Provide Education Opportunities for New Clinicians"
AHE6_DRIVE_URL = "https://drive.google.com/open?id=1SK7EKbmFSxhVveIiR-xLxJ17bRs31KIc0LbV-_yS2Ps"

FAQ_QUESTION = "Can you give me some examples of CME Improvement Activities?"
FAQ_ANCHOR = "can-you-give-me-some-examples-of-cme-improvement-activities"

# Counts the messages between Material's search and its web worker (lunr): a QUERY (type 2)
# per keyup, a RESULT (type 3) per query, answered in order. When as many results as
# queries came back, the list shows the hits of the whole query, not of a prefix: on the
# 942-page corpus the worker takes ~1.5 s to work through the prefixes of "ahe-6" while the
# hits of "ahe-" (AHE 1 first) stay on screen, so "wait until the list stops changing" is
# not enough.
_WORKER_PROBE_JS = """(() => {
  if (window.__ingestSearch) return;
  const probe = window.__ingestSearch = { queries: 0, results: 0, last: null };
  const Base = window.Worker;
  window.Worker = class extends Base {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", e => { if (e.data && e.data.type === 3) probe.results++; });
    }
    postMessage(message, ...rest) {
      if (message && message.type === 2) { probe.queries++; probe.last = message.data; }
      return super.postMessage(message, ...rest);
    }
  };
})();"""

# Every hit of Material's search, as pathname + hash, in the order shown.
_HITS_JS = """() => [...document.querySelectorAll(
    '.md-search-result__list > .md-search-result__item a.md-search-result__link')]
  .map(a => { const u = new URL(a.href, location.href); return u.pathname + u.hash; })"""
# The first hit: the page link of the first result item.
_FIRST_JS = """() => {
  const a = document.querySelector(
    '.md-search-result__list > .md-search-result__item:first-child a.md-search-result__link');
  if (!a) return null;
  const u = new URL(a.href, location.href); return u.pathname + u.hash;
}"""


def search(page, query: str, *, settle_ms: int = 150, timeout_s: float = 15.0) -> list[str]:
    """Type ``query`` into Material's search box; return the hits (path + hash), in order.

    On a page already at the home page with the search open, the box is cleared and
    reused (the worker keeps its index); otherwise the home page is loaded first.
    Waits until the worker has answered every query sent while typing, then until the
    list has been unchanged for ``settle_ms``.
    """
    from playwright.sync_api import expect

    box = page.locator("input.md-search__input")
    reuse = page.url.endswith("/") and page.evaluate(
        "() => !!window.__ingestSearch && new URL(document.baseURI).pathname === '/'"
        " && location.pathname === '/'")
    if reuse:
        box.click()
        box.press("Control+a")
        box.press("Backspace")
        expect(page.locator(".md-search-result__item")).to_have_count(0)
    else:
        page.add_init_script(_WORKER_PROBE_JS)
        page.goto("./")
        assert page.evaluate("() => !!window.__ingestSearch"), "search worker probe not installed"
        box.click()
    expect(box).to_have_value("")
    box.press_sequentially(query)
    try:
        expect(page.locator(".md-search-result__item").first).to_be_visible()
    except AssertionError:
        meta = page.locator(".md-search-result__meta").inner_text().strip()
        raise AssertionError(f"search for {query!r} shows no result ({meta!r})") from None
    deadline = time.monotonic() + timeout_s
    last, stable_since = None, time.monotonic()
    while True:
        probe = page.evaluate("() => window.__ingestSearch")
        answered = probe["queries"] > 0 and probe["results"] >= probe["queries"] and probe["last"] is not None
        hits = page.evaluate(_HITS_JS)
        now = time.monotonic()
        if not answered or hits != last:
            last, stable_since = hits, now
        elif hits and (now - stable_since) * 1000 >= settle_ms:
            return hits
        if now > deadline:
            raise AssertionError(f"search for {query!r} never settled: worker {probe}, hits {last}")
        page.wait_for_timeout(25)


def first_hit(page) -> str | None:
    return page.evaluate(_FIRST_JS)


def strip_hash(href: str) -> str:
    return href.split("#", 1)[0]


def texts(locator) -> list[str]:
    """Whitespace-normalised inner texts of every element the locator matches."""
    return [re.sub(r"\s+", " ", t).strip() for t in locator.all_inner_texts()]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on a free local port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # port 0: a free port
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
