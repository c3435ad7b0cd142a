"""Issue #3: full-page screenshots of the main pages in the light and the dark scheme, for a
person to look at (test-artifacts/screenshots/); each also checks the page renders in that
scheme and nothing makes the page scroll sideways."""

from __future__ import annotations

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest skips too; this keeps collection from erroring
    pytest.skip("playwright is not installed (pip install playwright==1.65.2)", allow_module_level=True)

pytestmark = pytest.mark.browser

# name -> path; the AHE 6 page (activity.png, activity-dark.png) is shot by
# test_browser_activity.py::test_activity_page_in_light_and_dark through the palette toggle.
PAGES = {"home": "./", "activities-index": "all-activities/", "faq": "faq/"}
SCHEMES = {"light": "default", "dark": "slate"}


@pytest.mark.parametrize("scheme", list(SCHEMES))
@pytest.mark.parametrize("name", list(PAGES))
def test_screenshot(page: Page, screenshot, name: str, scheme: str) -> None:
    # Material picks the palette whose media query matches the reader's preference.
    page.emulate_media(color_scheme=scheme)
    response = page.goto(PAGES[name])
    assert response is not None and response.ok
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", SCHEMES[scheme])
    expect(page.locator("article.md-content__inner h1")).to_be_visible()
    page.wait_for_load_state("load")
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{name} ({scheme}) is {overflow}px wider than the window"
    screenshot(page, name if scheme == "light" else f"{name}-dark")
