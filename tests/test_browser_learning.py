"""The Learning view, tables in answers, keyboard reach and phone layout, in a real Chromium,
with the bundled reports and Hartwell's indexed; axe-core (vendored under tests/vendor, never
fetched at run time) finds no serious or critical violation in the chat or the Learning view.

Reuses tests/test_browser.py's browser, page and helpers.
"""

from __future__ import annotations

import io
import urllib.request
from pathlib import Path

import pytest

from tests.test_browser import DESKTOP, PHONE, SHOTS, ask, browser, last_answer, serve_in_thread, page, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
HARTWELL_NAME = "Hartwell Safeguarding Children Partnership"


@pytest.fixture(scope="module")
def server(two_partnership_engine, two_partnership_dir, tmp_path_factory):
    """uvicorn in a thread over the two-partnership index (read only); yields (base url, settings)."""
    from api.app import create_app
    from api.settings import Settings

    root = tmp_path_factory.mktemp("browser-learning")
    settings = Settings(index_dir=two_partnership_dir, upload_dir=root / "uploads", feedback_db=root / "feedback.sqlite3",
                        reports_dir=Path(__file__).resolve().parents[1] / "data" / "reports")
    with serve_in_thread(create_app(settings, engine=two_partnership_engine), "uvicorn-browser-learning-tests") as base:
        yield base, settings


def axe_violations(browser, base: str, prepare, viewport=DESKTOP) -> list[dict]:
    """Serious and critical axe-core violations of the page after ``prepare(page)``. The page's
    CSP allows only its own scripts, so the check runs in a context that bypasses it for axe."""
    context = browser.new_context(viewport=viewport, base_url=base, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    try:
        prepare(pg)
        pg.add_script_tag(path=str(AXE))
        result = pg.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                             ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))}))")
    finally:
        context.close()
    return [v for v in result if v["impact"] in ("serious", "critical")]


def open_learning(pg) -> None:
    pg.goto("/")
    pg.click("#view-learning")
    pg.wait_for_selector(".cell-btn")


def test_the_learning_view_lists_every_review_by_theme_and_year_and_cites_each_point(page, server):
    open_learning(page)
    captions = page.locator(".lgrid caption").all_inner_texts()
    assert any(HARTWELL_NAME in c for c in captions) and len(captions) == 2
    shot(page, "learning-01-grid", phone=True)
    # Hartwell, safe sleep and babies, 2023-24: the Baby L rapid review's point on bruising
    page.select_option("#l-partnership", HARTWELL_NAME)
    page.wait_for_function("() => document.querySelectorAll('.lgrid caption').length === 1")
    cell = page.get_by_role("button", name="points on Safe sleep and babies in 2023-24")
    cell.click()
    assert cell.get_attribute("aria-pressed") == "true"
    points = page.locator(".lpoint")
    assert page.locator(".lpoint.learning").count() == int(cell.inner_text())  # the cell counts learning; actions follow
    texts = points.all_inner_texts()
    assert any("Baby L" in t and "2023-24" in t and HARTWELL_NAME in t for t in texts)
    baby_l = points.filter(has_text="Any bruise on a baby")
    baby_l.get_by_role("button").click()
    page.wait_for_selector("#panel-body mark")
    mark = " ".join(page.locator("#panel-body mark").all_inner_texts())
    assert mark.startswith("Any bruise on a baby who is not yet mobile must be referred")
    shot(page, "learning-02-point-in-panel", phone=True)
    assert not page.errors


def test_search_within_the_learning_and_download_the_briefing(page, server):
    base, _ = server
    open_learning(page)
    page.fill("#l-search", "fathers")
    page.click("#l-form button[type=submit]")
    # The summary already says "points match" for the unfiltered list: wait for the search's own results.
    page.wait_for_function("""() => {
        const qs = [...document.querySelectorAll('.lpoint-quote')].map(e => e.textContent.toLowerCase());
        return document.querySelector('#l-summary').textContent.includes('points match')
            && qs.length > 0 && qs.every(q => q.includes('father'));
    }""", timeout=15000)
    quotes = page.locator(".lpoint-quote").all_inner_texts()
    assert quotes and all("father" in q.lower() for q in quotes)
    href = page.get_attribute("#l-docx", "href")
    with urllib.request.urlopen(base + href) as r:
        data = r.read()
    from docx import Document as Word

    doc = Word(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Sources" in text and "fathers" in text.lower()
    cited = [p.text for p in doc.paragraphs if p.text.endswith("]") and ", p. " in p.text]
    assert len(cited) >= len(quotes)  # every point shown is in the handout with its citation
    assert not page.errors


def test_learning_mode_answers_by_theme_each_point_cited_and_highlighted(page, server):
    page.goto("/")
    page.get_by_label("Learning from reviews").check()
    body = ask(page, "Learning about babies")
    assert body["mode"] == "learning"
    answer = last_answer(page)
    leads = answer.locator(".answer-body p.lead").all_inner_texts()
    assert leads[0].startswith("Learning from ") and "Fathers and male carers:" in leads and "Safe sleep and babies:" in leads
    items = answer.locator(".answer-body li")
    assert 1 <= items.count() <= 10 and items.count() == answer.locator(".answer-body .cite-ref").count()
    fathers = items.filter(has_text="father of the baby")
    assert fathers.count() == 1 and "Multi-agency audit, 2024-25, LRSCP" in fathers.inner_text()
    shot(page, "learning-03-chat-mode", phone=True)
    fathers.locator(".cite-ref").click()
    page.wait_for_selector("#panel-body mark")
    mark = " ".join(page.locator("#panel-body mark").all_inner_texts())
    assert mark.startswith("Although there was evidence of the father of the baby being known")
    shot(page, "learning-04-chat-point-in-panel")
    assert not page.errors


def test_a_table_quote_is_shown_as_a_table_with_the_asked_cell_marked(page, server):
    page.goto("/")
    ask(page, "How much was spent on staffing in 2024-25?")
    table = last_answer(page).locator(".answer-table")
    assert table.count() == 1
    assert table.locator("thead th").all_inner_texts() == ["2023-24", "2024-25"]
    asked = table.locator("td.asked")
    assert asked.count() == 1 and asked.inner_text().startswith("£147,121")
    shot(page, "table-01-staffing", phone=True)


def test_keyboard_reach_target_size_and_phone_layout(page, server):
    page.goto("/")
    ask(page, "How many individuals attended training in 2021-22?")
    ask(page, "How much was spent on staffing in 2024-25?")
    page.focus("#question")
    presses = 0
    for presses in range(1, 6):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('cite-ref')"):
            break
    assert page.evaluate("() => document.activeElement.classList.contains('cite-ref')"), "no citation within 5 Tabs"
    assert page.evaluate("() => document.activeElement.closest('.turn').querySelector('.question-text').textContent") \
        == "How much was spent on staffing in 2024-25?"
    assert presses <= 3
    for box in (b.bounding_box() for b in page.locator(".cite-ref").all()):
        assert box["width"] >= 24 and box["height"] >= 24
    page.set_viewport_size(PHONE)
    new_chat = page.locator("#new-chat").bounding_box()
    assert page.locator("#new-chat").is_visible() and new_chat["x"] >= 0 and new_chat["x"] + new_chat["width"] <= PHONE["width"]
    page.screenshot(path=str(SHOTS / "keyboard-phone.png"))
    page.set_viewport_size(DESKTOP)


def test_axe_finds_no_serious_or_critical_violation_in_chat_or_learning(browser, server):
    base, _ = server

    def chat(pg):
        pg.goto("/")
        ask(pg, "How much was spent on staffing in 2024-25?")

    def learning(pg):
        open_learning(pg)
        pg.locator(".cell-btn").first.click()

    found = {}
    for name, prepare in (("chat", chat), ("learning", learning)):
        for vp_name, vp in (("desktop", DESKTOP), ("phone", PHONE)):
            found[f"{name}-{vp_name}"] = axe_violations(browser, base, prepare, vp)
    assert all(not v for v in found.values()), found
