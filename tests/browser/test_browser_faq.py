"""Issue #3: the FAQ page of the sample site in a real browser: deep links to a question,
permalinks, bullets as lists, no scraped page chrome, a top-level nav entry."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest skips too; this keeps collection from erroring
    pytest.skip("playwright is not installed (pip install playwright==1.65.2)", allow_module_level=True)

from helpers import FAQ_ANCHOR, FAQ_QUESTION

pytestmark = pytest.mark.browser

BULLET = "Our clinicians complete a self-evaluation each year"


def test_question_link_scrolls_heading_into_view(page: Page) -> None:
    page.goto(f"faq/#{FAQ_ANCHOR}")
    heading = page.locator(f"article h2#{FAQ_ANCHOR}")
    expect(heading).to_have_text(re.compile(re.escape(FAQ_QUESTION)))
    expect(heading).to_be_in_viewport()
    # Material scrolls once it has booted; wait for the page to settle at its final position.
    page.wait_for_function(
        """id => { const h = document.getElementById(id); const top = h.getBoundingClientRect().top;
                   const ok = window.__lastTop !== undefined && Math.abs(window.__lastTop - top) < 1;
                   window.__lastTop = top; return ok && scrollY > 0; }""",
        arg=FAQ_ANCHOR, polling=100)
    header_bottom = page.locator("header.md-header").evaluate("el => el.getBoundingClientRect().bottom")
    top = heading.evaluate("el => el.getBoundingClientRect().top")
    assert page.evaluate("() => scrollY") > 200, "the page did not scroll to the question"
    # Right under the sticky header: not hidden behind it, not far down the screen.
    assert header_bottom - 2 <= top <= header_bottom + 120, f"heading top {top}px, header bottom {header_bottom}px"


def test_question_heading_has_permalink(shared_page: Page) -> None:
    page = shared_page
    page.goto("faq/")
    heading = page.locator(f"article h2#{FAQ_ANCHOR}")
    permalink = heading.locator("a.headerlink")
    expect(permalink).to_have_count(1)
    # Material rewrites hrefs to absolute URLs: compare the end.
    expect(permalink).to_have_attribute("href", re.compile(f"(^|/faq/)#{FAQ_ANCHOR}$"))
    heading.hover()
    expect(permalink).to_be_visible()
    permalink.click()
    expect(page).to_have_url(re.compile(f"/faq/#{FAQ_ANCHOR}$"))
    expect(heading).to_be_in_viewport()


def test_bullets_are_list_items_and_chrome_is_gone(shared_page: Page) -> None:
    page = shared_page
    page.goto("faq/")
    article = page.locator("article.md-content__inner")
    expect(article.locator("h1")).to_have_text("Frequently Asked Questions")
    item = article.locator("ul > li", has_text=BULLET)
    expect(item.first).to_be_visible()
    assert article.locator("li").count() >= 10, "the • lines of the doc should be list items"
    # No bullet character left in the text: every "•" line became an <li>.
    expect(article).not_to_contain_text("•")
    # The first line of the doc ("FAQ Search", the scraped page's search box) is not body text.
    expect(article).not_to_contain_text("FAQ Search")
    # The answer after the question is a list under that heading.
    under = page.locator(f"article h2#{FAQ_ANCHOR} + ul > li")
    expect(under.first).to_contain_text(BULLET)


def test_top_level_nav_links_to_faq(shared_page: Page) -> None:
    page = shared_page
    page.goto("./")
    top = page.locator(".md-sidebar--primary nav.md-nav--primary > ul.md-nav__list > li.md-nav__item > a.md-nav__link")
    names = [re.sub(r"\s+", " ", t).strip() for t in top.all_inner_texts()]
    assert "Frequently Asked Questions" in names, f"top-level nav: {names}"
    link = top.nth(names.index("Frequently Asked Questions"))
    expect(link).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/faq/$"))
    expect(page.locator("article h1")).to_have_text("Frequently Asked Questions")
