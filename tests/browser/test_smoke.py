"""Smoke tests of the built MkDocs Material site in a real (headless) chromium."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest skips too; this keeps collection from erroring
    pytest.skip("playwright is not installed (pip install playwright==1.65.2)", allow_module_level=True)

pytestmark = pytest.mark.browser

SCHEMES = {"default", "slate"}  # Material's light and dark palettes

# Computed background colour of the page body, as an "rgb(r, g, b)" string.
BODY_BG_JS = "() => getComputedStyle(document.body).backgroundColor"


def _luminance(css_rgb: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", css_rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_home_page_loads_with_title(page: Page, site_server: str, screenshot) -> None:
    failed: list[str] = []
    page.on(
        "response",
        lambda r: failed.append(f"{r.status} {r.url}")
        if r.status >= 400 and r.url.startswith(site_server)
        else None,
    )

    response = page.goto("/")
    assert response is not None and response.ok, f"GET / -> {response and response.status}"

    expect(page).to_have_title(re.compile(r"\S"))
    expect(page.locator(".md-header")).to_be_visible()
    expect(page.locator("article.md-content__inner")).to_be_visible()
    # Material's stylesheet really applied: the header has its coloured background.
    header_bg = page.locator(".md-header").evaluate("el => getComputedStyle(el).backgroundColor")
    assert header_bg not in ("", "transparent", "rgba(0, 0, 0, 0)"), header_bg
    # Material's JavaScript bundle ran (it tags <html> once it has booted).
    expect(page.locator("html")).to_have_class(re.compile(r"\bjs\b"))

    page.wait_for_load_state("load")
    assert not failed, f"local requests failed: {failed}"
    screenshot(page, "home")


def test_search_finds_word_from_page_body(page: Page, search_probe, screenshot) -> None:
    page.goto("/")
    search = page.locator("input.md-search__input")
    search.click()
    # Material reads the query on keyup (not on input), so type real keystrokes:
    # Locator.fill() would leave the results at "Type to start searching".
    search.press_sequentially(search_probe.query)

    expect(page.locator(".md-search-result__item").first).to_be_visible()
    # Wait until the hit for the expected page is listed (results may re-render
    # while the index loads in Material's web worker).
    links = page.locator(".md-search-result__item a.md-search-result__link")
    page.wait_for_function(
        """path => [...document.querySelectorAll('.md-search-result__item a.md-search-result__link')]
              .some(a => new URL(a.href, location.href).pathname === path)""",
        arg=search_probe.path,
    )
    paths = links.evaluate_all("as => as.map(a => new URL(a.href, location.href).pathname)")
    assert search_probe.path in paths, f"{search_probe} not among hits {paths}"
    screenshot(page, "search-results")

    # Following the hit lands on the page that contains the word.
    hit = links.nth(paths.index(search_probe.path))
    hit.click()
    expect(page).to_have_url(re.compile(re.escape(search_probe.path)))
    expect(page.locator("article.md-content__inner")).to_contain_text(
        re.compile(re.escape(search_probe.query), re.IGNORECASE)
    )


def test_palette_toggle_switches_light_and_dark(page: Page, screenshot) -> None:
    page.goto("/")
    body = page.locator("body")
    toggle = page.locator('form[data-md-component="palette"] label.md-header__button:visible')

    initial = body.get_attribute("data-md-color-scheme")
    assert initial in SCHEMES, f"unexpected initial scheme {initial!r}"
    other = (SCHEMES - {initial}).pop()
    renders = {initial: page.evaluate(BODY_BG_JS)}
    screenshot(page, f"palette-{initial}")

    expect(toggle).to_have_count(1)
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", other)
    renders[other] = page.evaluate(BODY_BG_JS)
    screenshot(page, f"palette-{other}")

    # Both schemes really render, and differently: slate is the dark one.
    assert _luminance(renders["slate"]) < _luminance(renders["default"]), renders

    # Material remembers the choice across a reload ...
    page.reload()
    expect(body).to_have_attribute("data-md-color-scheme", other)
    # ... and the toggle switches back.
    toggle.click()
    expect(body).to_have_attribute("data-md-color-scheme", initial)
