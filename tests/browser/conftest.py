"""Real-browser test fixtures: Debian's chromium driven by Playwright (sync API).

Every test collected under tests/browser/ is marked ``pytest.mark.browser`` and is
skipped (with a reason) when /usr/bin/chromium or the ``playwright`` package is
missing. ``scripts/install-browser`` installs chromium from Debian; Playwright's
own browser downloads are never used (``playwright install`` cannot work here).

Fixtures
--------
built_site_dir (session) -> Path
    A built MkDocs site directory. If ``tests/sitebuild.py`` exists and defines
    ``build_sample_site(tmp_dir: Path) -> Path``, that function is called with a
    fresh session temp dir and must return the built site dir. Otherwise a tiny
    throwaway Material site (search plugin, light/dark palette toggle, a few
    pages) is built in a temp dir so the smoke tests can run on their own.
search_probe (session) -> SearchProbe(query, path)
    A word that Material's search must find and the site path (e.g. "/guide/")
    of the page it must link to. Taken from ``SEARCH_PROBE = (query, path)`` in
    tests/sitebuild.py if defined, else from the fallback site, else derived from
    the built site's search/search_index.json (a word that occurs on one page only).
site_server (session) -> str
    Base URL ("http://127.0.0.1:PORT/") of a ThreadingHTTPServer serving
    built_site_dir (directory URLs such as /a/b/ resolve to /a/b/index.html).
browser (session) -> playwright.sync_api.Browser
    Headless chromium launched from /usr/bin/chromium with offline-friendly flags.
page (function) -> playwright.sync_api.Page
    A fresh context + page per test (1280x900, light color scheme, any request
    that does not go to 127.0.0.1 is aborted so the tests stay hermetic). On test
    failure a full-page screenshot goes to test-artifacts/<test name>.png.
screenshot (function) -> callable(page, name) -> Path
    Saves a full-page PNG to test-artifacts/screenshots/<name>.png.
corpus_site_dir, corpus_server, corpus_page
    The same three for a site built (tests/sitebuild.build_export) from the real
    export ../shared/corpus/quality-of-care-2022; skipped with a reason when that
    folder is absent. ``corpus_page`` only reaches the corpus server.
instant_site_server, instant_page
    The sample site built with ``site_url`` set to its local URL, as ``mkdocs serve``
    does, so that Material's instant navigation is active (it needs sitemap.xml).
shared_page, corpus_shared_page (module)
    One page per test module on the sample / corpus site (a new context per test costs
    ~0.5 s): for tests that start with their own goto and change no stored state (no
    palette toggle); a failing test still gets its screenshot in test-artifacts/.
"""

from __future__ import annotations

import contextlib
import html
import importlib.util
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
BROWSER_TESTS_DIR = Path(__file__).resolve().parent
SITEBUILD_HOOK = REPO_ROOT / "tests" / "sitebuild.py"
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"

CORPUS_2022 = REPO_ROOT.parent / "shared" / "corpus" / "quality-of-care-2022"

CHROMIUM_PATH = Path("/usr/bin/chromium")
# No network on these machines: without these flags chromium stalls on
# background connection attempts (QUIC, component updater, sync, ...).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHARED_PAGE_FIXTURES = ("shared_page", "corpus_shared_page")
VIEWPORT = {"width": 1280, "height": 900}  # wide enough for Material's desktop header

# The tests import their shared helpers as ``browser_helpers``: make that work in any
# import mode (pytest's default "prepend" adds this folder to sys.path; "importlib" does not).
if str(BROWSER_TESTS_DIR) not in sys.path:
    sys.path.insert(0, str(BROWSER_TESTS_DIR))

from browser_helpers import serve_directory  # noqa: E402 - needs the path above

try:  # playwright is optional at import time: tests skip cleanly without it
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the environment
    sync_playwright = None


def _missing_requirement() -> str | None:
    if sync_playwright is None:
        return "playwright is not installed (pip install playwright==1.65.2)"
    if not CHROMIUM_PATH.exists():
        return f"{CHROMIUM_PATH} is missing (run scripts/install-browser)"
    return None


# --------------------------------------------------------------------------- hooks


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "browser: drives Debian's chromium through Playwright against the built site"
    )


def _is_browser_test(item: pytest.Item) -> bool:
    try:
        Path(str(item.path)).resolve().relative_to(BROWSER_TESTS_DIR)
    except ValueError:
        return False
    return True


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = _missing_requirement()
    for item in items:
        if not _is_browser_test(item):
            continue  # this hook sees the whole session's items
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    # Expose each phase's report to fixtures as item.rep_setup / rep_call / rep_teardown.
    setattr(item, f"rep_{report.when}", report)
    if report.when == "call" and report.failed:
        # A module-scoped page outlives the test: screenshot it here, while it shows the failure.
        for name in SHARED_PAGE_FIXTURES:
            pg = getattr(item, "funcargs", {}).get(name)
            if pg is not None:
                ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
                try:
                    pg.screenshot(path=str(ARTIFACTS_DIR / f"{_artifact_name(item.nodeid)}.png"), full_page=True)
                except Exception as exc:  # never mask the real failure
                    print(f"failure screenshot not saved: {exc}")
    return report


# --------------------------------------------------------------------------- site


class SearchProbe(NamedTuple):
    query: str  # a word typed into Material's search box
    path: str  # site path of the page that must be among the hits, e.g. "/guide/"


FALLBACK_MKDOCS_YML = """\
site_name: Browser Smoke Site
site_description: Throwaway Material site used by the browser smoke tests.
use_directory_urls: true
theme:
  name: material
  font: false            # no Google Fonts: the machine has no network
  features:
    - search.highlight
  palette:
    - scheme: default
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-7
        name: Switch to dark mode
    - scheme: slate
      primary: indigo
      accent: indigo
      toggle:
        icon: material/brightness-4
        name: Switch to light mode
plugins:
  - search
nav:
  - Home: index.md
  - Guide: guide.md
  - Reference:
      - Glossary: reference/glossary.md
"""

FALLBACK_PAGES = {
    "index.md": """\
# Welcome to the smoke site

This home page exists so the browser tests have something to load.

- [Guide](guide.md)
- [Glossary](reference/glossary.md)
""",
    "guide.md": """\
# Guide

## Installing

The zanzibarite procedure is described here, and nowhere else on this site.

## Using

!!! note
    Admonitions render with Material's styles.

| Column | Value |
| ------ | ----- |
| alpha  | 1     |
| beta   | 2     |
""",
    "reference/glossary.md": """\
# Glossary

Term
:   A word with a definition.

```python
print("code blocks render too")
```
""",
}
FALLBACK_PROBE = SearchProbe("zanzibarite", "/guide/")


def build_mkdocs_site(config_file: Path, site_dir: Path, docs_dir: Path | None = None) -> Path:
    """Build a site with the MkDocs Python API, like ``mkdocs build --strict`` would."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    overrides: dict = {"site_dir": str(site_dir), "strict": True}
    if docs_dir is not None:
        overrides["docs_dir"] = str(docs_dir)
    cfg = load_config(config_file=str(config_file), **overrides)
    cfg.plugins.on_startup(command="build", dirty=False)
    try:
        build(cfg, dirty=False)
    finally:
        cfg.plugins.on_shutdown()
    return Path(site_dir)


def _build_fallback_site(tmp_dir: Path) -> Path:
    docs = tmp_dir / "docs"
    for rel, text in FALLBACK_PAGES.items():
        target = docs / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    config_file = tmp_dir / "mkdocs.yml"
    config_file.write_text(FALLBACK_MKDOCS_YML, encoding="utf-8")
    return build_mkdocs_site(config_file, site_dir=tmp_dir / "site", docs_dir=docs)


def _load_sitebuild_hook():
    """Return the tests/sitebuild.py module if it defines build_sample_site, else None."""
    if not SITEBUILD_HOOK.is_file():
        return None
    spec = importlib.util.spec_from_file_location("_browser_sitebuild_hook", SITEBUILD_HOOK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if not callable(getattr(module, "build_sample_site", None)):
        return None
    return module


@pytest.fixture(scope="session")
def _site_source():
    return _load_sitebuild_hook()


@pytest.fixture(scope="session")
def built_site_dir(_site_source, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if reason := _missing_requirement():
        pytest.skip(reason)  # don't spend time building a site nobody will look at
    tmp_dir = tmp_path_factory.mktemp("browser-site")
    if _site_source is not None:
        site_dir = Path(_site_source.build_sample_site(tmp_dir))
    else:
        site_dir = _build_fallback_site(tmp_dir)
    assert (site_dir / "index.html").is_file(), f"no index.html in built site {site_dir}"
    return site_dir


_WORD_RE = re.compile(r"[a-z]{7,}")


def _derive_search_probe(site_dir: Path) -> SearchProbe:
    """Pick a long word that occurs on exactly one page of the search index."""
    index_file = site_dir / "search" / "search_index.json"
    if not index_file.is_file():
        pytest.fail(f"{index_file} missing: is Material's search plugin enabled?")
    docs = json.loads(index_file.read_text(encoding="utf-8"))["docs"]
    pages_by_word: dict[str, set[str]] = defaultdict(set)
    count: Counter[str] = Counter()
    for doc in docs:
        page = doc["location"].split("#", 1)[0]
        text = html.unescape(re.sub(r"<[^>]+>", " ", f"{doc.get('title', '')} {doc.get('text', '')}"))
        for word in _WORD_RE.findall(text.lower()):
            pages_by_word[word].add(page)
            count[word] += 1
    candidates = sorted(
        (w for w, pages in pages_by_word.items() if len(pages) == 1),
        key=lambda w: (-count[w], w),  # most frequent on its page: least likely to be noise
    )
    if not candidates:
        pytest.fail("could not find a word unique to one page in the search index")
    word = candidates[0]
    (page,) = pages_by_word[word]
    return SearchProbe(word, "/" + page)


@pytest.fixture(scope="session")
def search_probe(_site_source, built_site_dir: Path) -> SearchProbe:
    if _site_source is None:
        return FALLBACK_PROBE
    if probe := getattr(_site_source, "SEARCH_PROBE", None):
        return SearchProbe(*probe)
    return _derive_search_probe(built_site_dir)


@pytest.fixture(scope="session")
def site_server(built_site_dir: Path) -> Iterator[str]:
    with serve_directory(built_site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def instant_site_server(_site_source, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample export built with ``site_url`` set to the URL it is served at, as
    ``mkdocs serve`` does. Material's instant navigation only intercepts links to the
    pages listed in sitemap.xml (matched by protocol, host and port), and MkDocs writes
    an empty sitemap when ``site_url`` is not set."""
    if reason := _missing_requirement():
        pytest.skip(reason)
    if _site_source is None or not callable(getattr(_site_source, "build_export", None)):
        pytest.skip("tests/sitebuild.py has no build_export(export, tmp_dir)")
    work = tmp_path_factory.mktemp("browser-site-instant")
    site_dir = work / "site"
    site_dir.mkdir()
    with serve_directory(site_dir) as url:  # the port is known before the build
        _site_source.build_export(_site_source.SAMPLE_EXPORT, work, site_url=url)
        assert (site_dir / "index.html").is_file(), f"no index.html in built site {site_dir}"
        yield url


@pytest.fixture(scope="session")
def corpus_site_dir(_site_source, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real 2022 export synced and built strict, like a user would."""
    if reason := _missing_requirement():
        pytest.skip(reason)
    if not CORPUS_2022.is_dir():
        pytest.skip(f"{CORPUS_2022} is absent: the corpus browser tests need the shared corpus")
    if _site_source is None or not callable(getattr(_site_source, "build_export", None)):
        pytest.skip("tests/sitebuild.py has no build_export(export, tmp_dir)")
    site_dir, _warnings = _site_source.build_export(CORPUS_2022, tmp_path_factory.mktemp("browser-corpus-2022"))
    site_dir = Path(site_dir)
    assert (site_dir / "index.html").is_file(), f"no index.html in built corpus site {site_dir}"
    return site_dir


@pytest.fixture(scope="session")
def corpus_server(corpus_site_dir: Path) -> Iterator[str]:
    with serve_directory(corpus_site_dir) as url:
        yield url


# --------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser():
    if reason := _missing_requirement():
        pytest.skip(reason)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM_PATH),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield browser
        finally:
            browser.close()


def _artifact_name(nodeid: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:180]


@contextlib.contextmanager
def open_page(browser, base_url: str, request: pytest.FixtureRequest):
    """A fresh context + page on ``base_url``; every other host is unreachable."""
    context = browser.new_context(
        base_url=base_url,
        viewport=VIEWPORT,
        color_scheme="light",
        service_workers="block",
    )
    context.set_default_timeout(15_000)

    def _route(route):
        # Only the local site server is reachable; fail everything else fast
        # (e.g. Google Fonts from a site config) instead of waiting on timeouts.
        if route.request.url.startswith(base_url):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", _route)
    pg = context.new_page()
    try:
        yield pg
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
            try:
                pg.screenshot(path=str(ARTIFACTS_DIR / f"{_artifact_name(request.node.nodeid)}.png"), full_page=True)
            except Exception as exc:  # never mask the real failure
                print(f"failure screenshot not saved: {exc}")
        context.close()


@pytest.fixture
def page(browser, site_server: str, request: pytest.FixtureRequest):
    with open_page(browser, site_server, request) as pg:
        yield pg


@pytest.fixture
def corpus_page(browser, corpus_server: str, request: pytest.FixtureRequest):
    with open_page(browser, corpus_server, request) as pg:
        yield pg


@pytest.fixture
def instant_page(browser, instant_site_server: str, request: pytest.FixtureRequest):
    """A page on the sample site built with ``site_url`` = its local URL (instant navigation on)."""
    with open_page(browser, instant_site_server, request) as pg:
        yield pg


@pytest.fixture(scope="module")
def shared_page(browser, site_server: str, request: pytest.FixtureRequest):
    """One page on the sample site for all tests of a module (cheaper; the search worker
    keeps its index between searches). Each test starts with its own goto."""
    with open_page(browser, site_server, request) as pg:
        yield pg


@pytest.fixture(scope="module")
def corpus_shared_page(browser, corpus_server: str, request: pytest.FixtureRequest):
    """The same on the corpus site."""
    with open_page(browser, corpus_server, request) as pg:
        yield pg


def save_screenshot(page, name: str) -> Path:
    """Save a full-page PNG of ``page`` as test-artifacts/screenshots/<name>.png."""
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS_DIR / f"{_artifact_name(name)}.png"
    # animations="disabled": CSS transitions (e.g. nav chevrons turning) are shown finished.
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    """``screenshot(page, name)`` -> Path of the saved full-page PNG."""
    return save_screenshot
