"""The hostile catalogue's pages (tests/hostile/*.yaml, built by the ``hostile_site`` fixture) in chromium:
no script of theirs runs.

Each page with a payload is loaded and its content hovered, and then: no dialog opened, the title is the one the
HTML says, no request went to any host but the local server, no element has an on* handler, and the only
scripts are the site's own (those of the plain home page).
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

try:
    from playwright.sync_api import Page
except ImportError:  # conftest skips too; this keeps collection from erroring
    pytest.skip("playwright is not installed (pip install playwright==1.65.2)", allow_module_level=True)

from helpers import serve_directory
from hostile.catalogue import load_cases

pytestmark = pytest.mark.browser

#: Pages with a payload: the HTML cases, and the others whose site entry says ``browser: true`` (a page is ~1 s).
BROWSER_CASES = [case for case in load_cases()
                 if case.site and case.site.get("browser", case.kind == "html")]

# Every attribute whose name starts with "on", as "TAG name".
HANDLERS_JS = """() => [...document.querySelectorAll('*')].flatMap(
    e => [...e.attributes].filter(a => a.name.toLowerCase().startsWith('on')).map(a => e.tagName + ' ' + a.name))"""
# The page's scripts that run: their absolute URL, or their first 60 characters when inline (with the page's
# depth left out). A JSON script (Material's config) is data, not code.
SCRIPTS_JS = """() => [...document.scripts].filter(s => s.type !== 'application/json').map(s => s.src ? 'src:' + s.src
    : 'inline:' + s.text.replace(/new URL\\("[.\\/]*",location\\)/, 'URL').slice(0, 60))"""


@pytest.fixture(scope="module")
def hostile_server(hostile_site):
    with serve_directory(hostile_site.site_dir) as url:
        yield url


class Watched:
    """A browser page that records dialogs and every request that does not go to the local server."""

    def __init__(self, browser, base_url: str):
        self.base_url = base_url
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        self.context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900},
                                           service_workers="block")
        self.context.set_default_timeout(15_000)
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("dialog", self._dialog)

    def _route(self, route) -> None:
        if route.request.url.startswith(self.base_url):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def _dialog(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, path: str) -> None:
        self.dialogs.clear()
        self.foreign.clear()
        self.page.goto(path, wait_until="load")
        self.page.locator("article.md-content__inner").hover()  # mouseover handlers, had any been left
        self.page.wait_for_timeout(100)  # timers a payload may have set get their turn


@pytest.fixture(scope="module")
def watched(browser, hostile_server):
    watched = Watched(browser, hostile_server)
    yield watched
    watched.context.close()


@pytest.fixture(scope="module")
def site_scripts(watched) -> set[str]:
    """The scripts of the plain home page: the theme's own."""
    watched.visit("./")
    return set(watched.page.evaluate(SCRIPTS_JS))


@pytest.mark.parametrize("case", BROWSER_CASES, ids=[case.id for case in BROWSER_CASES])
def test_no_script_of_a_hostile_page_runs(case, hostile_site, watched, site_scripts) -> None:
    url = hostile_site.url(case)
    expected_title = BeautifulSoup(hostile_site.page(case), "html.parser").title.get_text()
    watched.visit(url)
    page = watched.page
    assert watched.dialogs == [], "a dialog opened"
    assert page.title() == expected_title, "a script changed the title"
    assert watched.foreign == [], "a request went to another host"
    assert page.evaluate(HANDLERS_JS) == [], "an element has an event handler"
    assert page.locator("article script").count() == 0
    assert set(page.evaluate(SCRIPTS_JS)) <= site_scripts, "a script the theme did not write"
    assert page.locator("article.md-content__inner").is_visible(), "the content is hidden"


def test_the_watch_sees_a_script_that_runs(browser, hostile_server, tmp_path) -> None:
    """The checks above can fail: a page whose script opens a dialog, retitles itself and calls another host."""
    watched = Watched(browser, hostile_server)
    try:
        watched.page.route("**/planted.html", lambda route: route.fulfill(
            content_type="text/html", body='<title>Planted</title><article class="md-content__inner" onclick="x()">'
            '<script>alert(1); document.title = "owned"; fetch("https://evil.example/x")</script>Planted</article>'))
        watched.visit("planted.html")
        assert watched.dialogs == ["alert: 1"]
        assert watched.page.title() == "owned"
        assert watched.foreign == ["https://evil.example/x"]
        assert watched.page.evaluate(HANDLERS_JS) == ["ARTICLE onclick"]
    finally:
        watched.context.close()
