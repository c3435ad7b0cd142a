"""Issue #3: an Improvement Activity page of the sample site, in a real browser:
its place in the nav and breadcrumbs, the activity card, the TOC, light and dark."""

from __future__ import annotations

import re

import pytest

try:
    from playwright.sync_api import Page, expect
except ImportError:  # conftest skips too; this keeps collection from erroring
    pytest.skip("playwright is not installed (pip install playwright==1.65.2)", allow_module_level=True)

from helpers import AHE6_DRIVE_URL, AHE6_TITLE, SAMPLE_AHE6, texts

pytestmark = pytest.mark.browser

SECTION = "/improvement-activities-measures/"
YEAR_SECTION = "/improvement-activities-measures/2018-improvement-activities/"

# Box of an element in page coordinates: {x, y, width, height}, or null when not rendered.
BOX_JS = "el => { const r = el.getBoundingClientRect(); return {x: r.x, y: r.y + scrollY, w: r.width, h: r.height}; }"


def _path(href: str) -> str:
    return re.sub(r"^https?://[^/]+", "", href)


def test_nav_places_ahe6_in_its_sections_before_pm6(shared_page: Page) -> None:
    page = shared_page
    page.goto(SAMPLE_AHE6.lstrip("/"))
    nav = page.locator(".md-sidebar--primary nav.md-nav--primary")
    expect(nav).to_be_visible()

    section_link = nav.get_by_role("link", name="Improvement Activities Measures", exact=True)
    year_link = nav.get_by_role("link", name="2018 Improvement Activities", exact=True)
    ahe6 = nav.locator("a.md-nav__link", has_text="AHE 6 - Provide Education")
    cc7 = nav.locator("a.md-nav__link", has_text="CC 7 - Regular Training")
    pm6 = nav.locator("a.md-nav__link", has_text="PM 6 - Use of Toolsets")
    for link in (section_link, year_link, ahe6, cc7, pm6):
        expect(link).to_have_count(1)
        expect(link).to_be_visible()

    # The chain: "Improvement Activities Measures" > "2018 Improvement Activities" > the activities.
    chain = page.evaluate(
        """([a, p]) => {
            const item = el => el.closest('li.md-nav__item');
            const section = el => item(el).parentElement.closest('li.md-nav__item--nested');
            const ahe = [...document.querySelectorAll('.md-nav--primary a.md-nav__link')].find(e => e.textContent.includes(a));
            const pm = [...document.querySelectorAll('.md-nav--primary a.md-nav__link')].find(e => e.textContent.includes(p));
            const yearItem = section(ahe);
            return {
              aheSection: yearItem.querySelector('a.md-nav__link').textContent.trim(),
              pmSection: section(pm).querySelector('a.md-nav__link').textContent.trim(),
              yearParent: section(yearItem.querySelector('a.md-nav__link')).querySelector('a.md-nav__link').textContent.trim(),
              aheActive: ahe.classList.contains('md-nav__link--active'),
            };
        }""",
        ["AHE 6 - Provide", "PM 6 - Use of"],
    )
    assert chain == {"aheSection": "2018 Improvement Activities", "pmSection": "2018 Improvement Activities",
                     "yearParent": "Improvement Activities Measures", "aheActive": True}, chain

    # On screen, top to bottom: section, year, AHE 6, CC 7, PM 6.
    ys = [link.evaluate(BOX_JS)["y"] for link in (section_link, year_link, ahe6, cc7, pm6)]
    assert ys == sorted(ys) and len(set(ys)) == len(ys), f"nav links out of order, y positions {ys}"
    assert _path(year_link.evaluate("a => a.href")) == YEAR_SECTION
    assert _path(section_link.evaluate("a => a.href")) == SECTION


def test_breadcrumbs_show_section_chain(shared_page: Page) -> None:
    page = shared_page
    page.goto(SAMPLE_AHE6.lstrip("/"))
    crumbs = page.locator(".md-path .md-path__link")
    expect(crumbs.first).to_be_visible()
    names = texts(crumbs)
    assert names[-2:] == ["Improvement Activities Measures", "2018 Improvement Activities"], names
    hrefs = [_path(h) for h in crumbs.evaluate_all("as => as.map(a => a.href)")]
    assert hrefs[-2:] == [SECTION, YEAR_SECTION], hrefs
    # The year crumb leads to the section page, which lists the activity.
    crumbs.last.click()
    expect(page).to_have_url(re.compile(re.escape(YEAR_SECTION) + "$"))
    expect(page.locator("article.md-content__inner").get_by_role("link", name=AHE6_TITLE)).to_be_visible()


def test_activity_card_shows_the_activity_facts(shared_page: Page) -> None:
    page = shared_page
    page.goto(SAMPLE_AHE6.lstrip("/"))
    article = page.locator("article.md-content__inner")
    expect(article.locator("h1")).to_have_text(AHE6_TITLE)
    card = article.locator(".ingest-activity-card")
    expect(card).to_have_count(1)
    expect(card).to_be_visible()
    expect(card).to_have_attribute("data-activity-id", "AHE 6")
    expect(card.locator(".ingest-activity-card__id")).to_have_text("AHE 6")
    expect(card.locator('[data-field="weighting"]')).to_have_text("High")
    expect(card.locator('[data-field="subcategory"]')).to_have_text("Achieving Health Equity")
    expect(card.locator('[data-field="id"]')).to_contain_text("AHE 6")
    expect(card.locator('[data-field="id"] code')).to_have_text("IA_AHE_6")
    expect(card.locator('[data-field="year"]')).to_have_text("2018")
    expect(card.locator(".ingest-badge--high")).to_be_visible()

    edit = card.get_by_role("link", name="Edit in Google Docs")
    expect(edit).to_be_visible()
    expect(edit).to_have_attribute("href", AHE6_DRIVE_URL)
    # The header's edit button goes to the same doc.
    expect(page.locator("a.md-content__button.ingest-edit")).to_have_attribute("href", AHE6_DRIVE_URL)

    # The card sits between the title and the description.
    order = article.evaluate(
        """art => { const h1 = art.querySelector('h1'), card = art.querySelector('.ingest-activity-card');
                    const p = [...art.querySelectorAll('p')].find(e => e.textContent.includes('preceptor'));
                    const after = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
                    return [after(h1, card), !!p && after(card, p)]; }""")
    assert order == [True, True], f"card not between title and description: {order}"


def test_toc_lists_the_activity_sections(shared_page: Page) -> None:
    page = shared_page
    page.goto(SAMPLE_AHE6.lstrip("/"))
    toc = page.locator(".md-sidebar--secondary nav.md-nav--secondary")
    expect(toc).to_be_visible()
    links = toc.locator("a.md-nav__link")
    assert texts(links) == ["Supporting Documentation", "Resources"], texts(links)
    hashes = links.evaluate_all("as => as.map(a => new URL(a.href).hash)")
    assert hashes == ["#supporting-documentation", "#resources"], hashes
    for anchor in hashes:
        expect(page.locator(f"article h2{anchor}")).to_have_count(1)
    links.last.click()
    expect(page.locator("article h2#resources")).to_be_in_viewport()


def test_non_activity_page_has_no_card(shared_page: Page) -> None:
    page = shared_page
    response = page.goto("guides/getting-started/")
    assert response is not None and response.ok
    expect(page.locator("article.md-content__inner h1")).to_be_visible()
    expect(page.locator(".ingest-activity-card")).to_have_count(0)


SCHEMES = ("default", "slate")


def _luminance(css_rgb: str) -> float:
    r, g, b = (int(v) for v in re.findall(r"\d+", css_rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_activity_page_in_light_and_dark(page: Page, screenshot) -> None:
    page.goto(SAMPLE_AHE6.lstrip("/"))
    body, card = page.locator("body"), page.locator(".ingest-activity-card")
    expect(body).to_have_attribute("data-md-color-scheme", "default")  # the context prefers light
    expect(card).to_be_visible()
    style = "el => { const s = getComputedStyle(el); return {bg: s.backgroundColor, fg: s.color}; }"
    light = card.evaluate(style)
    light_body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    screenshot(page, "activity")

    page.locator('form[data-md-component="palette"] label.md-header__button:visible').click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    expect(card).to_be_visible()
    dark = card.evaluate(style)
    dark_body = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    screenshot(page, "activity-dark")

    assert light["bg"] != dark["bg"], f"card background is the same in both schemes: {light} / {dark}"
    assert _luminance(dark["bg"]) < _luminance(light["bg"]), (light, dark)
    assert _luminance(dark_body) < _luminance(light_body), (light_body, dark_body)
    # The text stays readable: light text on the dark card, dark text on the light one.
    assert _luminance(light["fg"]) < _luminance(light["bg"]) and _luminance(dark["fg"]) > _luminance(dark["bg"]), \
        (light, dark)


# WCAG contrast ratio of an element's text against the background it is drawn on
# (the first ancestor-or-self with an opaque background; translucent colours blended).
CONTRAST_JS = """el => {
  const parse = c => { const v = c.match(/[\\d.]+/g).map(Number); return [v[0], v[1], v[2], v.length > 3 ? v[3] : 1]; };
  const over = (fg, bg) => [0, 1, 2].map(i => fg[i] * fg[3] + bg[i] * (1 - fg[3]));
  let bg = [255, 255, 255], node = el, layers = [];
  while (node && node.nodeType === 1) {
    const c = parse(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
    node = node.parentElement;
  }
  if (!node || node.nodeType !== 1) bg = parse(getComputedStyle(document.body).backgroundColor).slice(0, 3);
  for (const layer of layers.reverse()) bg = over(layer, bg);
  const fg = over(parse(getComputedStyle(el).color), bg);
  const lum = rgb => { const [r, g, b] = rgb.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
  return Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100;
}"""
CARD_TEXTS = [".ingest-activity-card__id", ".ingest-badge", "dt", "dd", ".ingest-activity-card__edit",
              ".ingest-activity-card__aliases"]
MIN_CONTRAST = 3.0  # WCAG's floor for large text and controls; below it text is hard to read


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_activity_card_text_is_readable(page: Page, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(SAMPLE_AHE6.lstrip("/"))
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", {"light": "default", "dark": "slate"}[scheme])
    card = page.locator(".ingest-activity-card")
    expect(card).to_be_visible()
    poor = {}
    for selector in CARD_TEXTS:
        for i, el in enumerate(card.locator(selector).all()):
            ratio = el.evaluate(CONTRAST_JS)
            if ratio < MIN_CONTRAST:
                poor[f"{selector}[{i}] {el.inner_text().strip()!r}"] = ratio
    assert not poor, f"card text below {MIN_CONTRAST}:1 contrast in the {scheme} scheme: {poor}"
