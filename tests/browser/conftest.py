"""Real-browser test fixtures: Debian's chromium driven by Playwright (sync API).

Every test collected under tests/browser/ is marked ``pytest.mark.browser`` and is
skipped (with a reason) when /usr/bin/chromium or the ``playwright`` package is
missing. ``scripts/install-browser`` installs chromium from Debian; Playwright's
own browser downloads are never used (``playwright install`` cannot work here).

Fixtures
--------
built_site_dir (session) -> Path
    The bundled sample export synced and built strict (``helpers.build_sample_site``).
search_probe (session) -> SearchProbe(query, path)
    A word that Material's search must find and the site path of the page it must
    link to (``helpers.SEARCH_PROBE``).
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
    The same three for a site built (``helpers.build_export``) from the real
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
import re
from pathlib import Path
from typing import Callable, Iterator, NamedTuple

import pytest
from helpers import REPO, SAMPLE_EXPORT, SEARCH_PROBE, SHARED, build_export, build_sample_site, serve_directory

BROWSER_TESTS_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = REPO / "test-artifacts"
SCREENSHOTS_DIR = ARTIFACTS_DIR / "screenshots"

CORPUS_2022 = SHARED / "corpus" / "quality-of-care-2022"

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


@pytest.fixture(scope="session")
def built_site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if reason := _missing_requirement():
        pytest.skip(reason)  # don't spend time building a site nobody will look at
    site_dir = build_sample_site(tmp_path_factory.mktemp("browser-site"))
    assert (site_dir / "index.html").is_file(), f"no index.html in built site {site_dir}"
    return site_dir


@pytest.fixture(scope="session")
def search_probe() -> SearchProbe:
    return SearchProbe(*SEARCH_PROBE)


@pytest.fixture(scope="session")
def site_server(built_site_dir: Path) -> Iterator[str]:
    with serve_directory(built_site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def instant_site_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample export built with ``site_url`` set to the URL it is served at, as
    ``mkdocs serve`` does. Material's instant navigation only intercepts links to the
    pages listed in sitemap.xml (matched by protocol, host and port), and MkDocs writes
    an empty sitemap when ``site_url`` is not set."""
    if reason := _missing_requirement():
        pytest.skip(reason)
    work = tmp_path_factory.mktemp("browser-site-instant")
    site_dir = work / "site"
    site_dir.mkdir()
    with serve_directory(site_dir) as url:  # the port is known before the build
        build_export(SAMPLE_EXPORT, work, site_url=url)
        assert (site_dir / "index.html").is_file(), f"no index.html in built site {site_dir}"
        yield url


@pytest.fixture(scope="session")
def corpus_site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real 2022 export synced and built strict, like a user would."""
    if reason := _missing_requirement():
        pytest.skip(reason)
    if not CORPUS_2022.is_dir():
        pytest.skip(f"{CORPUS_2022} is absent: the corpus browser tests need the shared corpus")
    site_dir, _warnings = build_export(CORPUS_2022, tmp_path_factory.mktemp("browser-corpus-2022"))
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
