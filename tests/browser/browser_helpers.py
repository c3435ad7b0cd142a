"""Helpers shared by the browser tests of issue #3 (activities, search, nav, FAQ).

Imported by the tests as ``browser_helpers`` (pytest puts tests/browser/ on sys.path).
The test files are named ``test_browser_*.py`` because tests/ already has
test_activities.py, test_faq.py, test_nav.py: without __init__.py files two test
modules with one basename cannot be collected in one run.
"""

from __future__ import annotations

import contextlib
import functools
import re
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

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
