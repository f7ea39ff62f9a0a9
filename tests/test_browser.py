"""The chat page in a real Chromium (Playwright, sync API) against a live server on localhost.

Each step saves a screenshot under test-output/screenshots/ (desktop and phone width).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import sqlite3
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from playwright import sync_api  # a plain import: without Playwright these tests fail, not skip

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[1] / "test-output" / "screenshots"
DESKTOP = {"width": 1366, "height": 860}
PHONE = {"width": 390, "height": 844}
TOKEN = "browser-test-token"
TRAINING_Q = "How many individuals attended training in 2021-22?"
QUOTE_CHECK_Q = "What was the total expenditure in 2019-20?"

# `make test` installs Chromium first; without it these tests fail rather than pass silently.
if not CHROMIUM.exists():
    raise RuntimeError("Chromium is not installed at /usr/bin/chromium (run 'make browser')")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_in_thread(app, name: str):
    """uvicorn serving ``app`` in a daemon thread on a free port; yields its base url."""
    import uvicorn

    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=free_port(), log_level="warning", lifespan="on"))
    thread = threading.Thread(target=srv.run, name=name, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{srv.config.port}"
    finally:
        srv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def server(engine, bundled_index_dir, tmp_path_factory):
    """uvicorn in a thread over a writable copy of the bundled index; yields (base url, settings)."""
    from api.app import create_app
    from api.settings import Settings

    root = tmp_path_factory.mktemp("browser")
    shutil.copytree(bundled_index_dir, root / "index")
    settings = Settings(index_dir=root / "index", admin_token=TOKEN, upload_dir=root / "uploads",
                        feedback_db=root / "feedback.sqlite3", max_upload_mb=5)
    with serve_in_thread(create_app(settings, engine=engine), "uvicorn-browser-tests") as base:
        yield base, settings


@pytest.fixture(scope="module")
def browser():
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport=DESKTOP, base_url=server[0])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server[0])
    pg = context.new_page()
    pg.errors = []
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.set_default_timeout(20_000)
    yield pg
    context.close()


def shot(page, name: str, phone: bool = False) -> None:
    """Screenshot at desktop width, and also at phone width when asked."""
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"))
    if phone:
        page.set_viewport_size(PHONE)
        page.screenshot(path=str(SHOTS / f"{name}-phone.png"))
        page.set_viewport_size(DESKTOP)


def api_post(base: str, path: str, payload: dict) -> dict:
    req = urllib.request.Request(base + path, data=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def ask(page, question: str) -> dict:
    """Type a question, press Enter; returns the request body the page sent once the answer is shown."""
    page.fill("#question", question)
    n = page.locator(".msg.bot[aria-busy='false']").count()
    with page.expect_request("**/api/ask/stream") as req:
        page.press("#question", "Enter")
    page.wait_for_function("n => document.querySelectorAll(\".msg.bot[aria-busy='false']\").length > n", arg=n)
    return json.loads(req.value.post_data)


def last_answer(page):
    """The newest answer: first in the thread's DOM (shown at the bottom; see api/static/ask.js)."""
    return page.locator(".msg.bot").first


def upload_pdf(page, base: str, name: str, html: str) -> Path:
    """Print ``html`` to a PDF with Chromium, upload it through the page and wait until it is indexed."""
    pdf = SHOTS.parent / name
    printer = page.context.new_page()
    printer.set_content(html)
    printer.pdf(path=str(pdf), format="A4")
    printer.close()
    page.fill("#admin-token", TOKEN)
    page.set_input_files("#upload-file", str(pdf))
    page.evaluate("""() => { window.__progress = [];
        new MutationObserver(() => window.__progress.push(document.querySelector('#upload-text').textContent))
            .observe(document.querySelector('#upload-status'), {subtree: true, childList: true, characterData: true}); }""")
    page.click("#upload-button")
    page.wait_for_function("() => document.querySelector('#upload-text').textContent.includes('is indexed')", timeout=60_000)
    progress = page.evaluate("() => window.__progress")
    assert any(t.startswith(("Uploading", f"{name}: ")) for t in progress), progress  # progress was shown
    return pdf


def test_ask_a_question_and_see_a_cited_answer(page, server):
    page.goto("/")
    page.wait_for_selector("#doc-list .doc")
    assert page.locator("#examples .example").count() >= 3
    assert page.locator("#health").inner_text() == "5 reports · " + page.locator("#health").inner_text().split(" · ")[1]
    shot(page, "01-empty", phone=True)

    page.fill("#question", "How many individuals")
    page.press("#question", "Shift+Enter")
    page.type("#question", "attended training?")
    assert page.input_value("#question") == "How many individuals\nattended training?"
    assert page.locator(".turn").count() == 0  # Shift+Enter did not send

    held = []
    page.route("**/api/ask/stream", lambda route: held.append(route))
    page.fill("#question", TRAINING_Q)
    page.press("#question", "Enter")
    page.wait_for_selector(".msg.bot[aria-busy='true'] .loading")
    assert page.locator(".msg.user .question-text").inner_text() == TRAINING_Q
    shot(page, "02-loading")
    while not held:
        page.wait_for_timeout(20)
    held[0].continue_()
    page.wait_for_selector(".msg.bot[aria-busy='false']")
    page.unroute("**/api/ask/stream")
    answer = last_answer(page)
    assert "1949" in answer.locator(".answer-body").inner_text()
    assert answer.locator(".cite-ref").first.inner_text() == "[1]"
    assert "Annual Report 2021-22" in answer.locator(".sources").inner_text()
    assert page.input_value("#question") == ""
    shot(page, "03-answer", phone=True)

    body = ask(page, "and the year before?")  # a follow-up keeps the conversation's context
    assert body["history"] == [TRAINING_Q] and body["question"] == "and the year before?"
    assert page.locator(".turn").count() == 2
    page.click("#new-chat")
    assert page.locator(".turn").count() == 0 and page.locator("#examples").is_visible()
    with page.expect_request("**/api/ask/stream") as req:
        page.get_by_role("button", name="How much did partners contribute in 2019-20?").click()
    assert json.loads(req.value.post_data)["history"] == []
    page.wait_for_selector(".msg.bot[aria-busy='false']")
    assert not page.errors


def test_without_the_stream_endpoint_the_page_falls_back_to_ask(page, server):
    page.route("**/api/ask/stream", lambda route: route.fulfill(status=404, json={"detail": "Not Found"}))
    page.goto("/")
    with page.expect_response("**/api/ask") as resp:
        page.fill("#question", TRAINING_Q)
        page.press("#question", "Enter")
    assert resp.value.ok
    page.wait_for_selector(".msg.bot[aria-busy='false']")
    assert "1949" in last_answer(page).locator(".answer-body").inner_text()


def test_answer_actions_copy_and_feedback(page, server):
    base, settings = server
    page.goto("/")
    ask(page, TRAINING_Q)
    answer = last_answer(page)
    answer.get_by_role("button", name="Copy the answer with its sources").click()
    page.wait_for_function("() => document.querySelector('.action-note').textContent.startsWith('Copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(answer.locator(".answer-body").inner_text().split(" [1]")[0][:40])
    assert "\n\nSources:\n[1] " in copied and "Annual Report 2021-22 (2021-22), p. 7" in copied

    answer.get_by_role("button", name="Helpful", exact=True).click()
    page.wait_for_function("() => document.querySelector('.action-note').textContent.startsWith('Thank you')")
    assert answer.locator("[data-rating='up']").get_attribute("aria-pressed") == "true"
    answer.get_by_role("button", name="Not helpful").click()
    page.fill(".comment-form textarea", "Give the year before too.")
    page.click(".comment-form button[type=submit]")
    page.wait_for_function("() => document.querySelector('[data-rating=\"down\"]').getAttribute('aria-pressed') === 'true'")
    shot(page, "04-feedback")
    con = sqlite3.connect(settings.feedback_db)
    rows = con.execute("SELECT rating, question, answer, citations, comment FROM feedback ORDER BY id").fetchall()
    con.close()
    assert [r[0] for r in rows] == ["up", "down"] and rows[0][1] == TRAINING_Q and "1949" in rows[0][2]
    assert json.loads(rows[0][3])[0]["page"] == 7 and rows[1][4] == "Give the year before too."


def test_a_citation_opens_the_page_with_the_quote_highlighted(page, server):
    base, _ = server
    expected = api_post(base, "/api/ask", {"question": QUOTE_CHECK_Q})["citations"][0]
    page.goto("/")
    ask(page, QUOTE_CHECK_Q)
    ref = last_answer(page).locator(".cite-ref").first
    ref.click()
    page.wait_for_selector("#panel-body mark")
    meta = page.locator("#panel-meta").inner_text()
    for value in (expected["title"], expected["period"], str(expected["page"]), expected["section"] or "—"):
        assert value in meta
    marks = page.locator("#panel-body mark").all_inner_texts()
    assert "\n\n".join(marks) == expected["quote"]
    assert page.locator("#panel-body .page-no").first.inner_text().lower() == f"page {expected['page']}"
    href = page.get_attribute("#panel-pdf", "href")
    assert href == f"/api/documents/{expected['doc_id']}/file#page={expected['page']}"
    pdf = page.request.get(href.split("#")[0])
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert page.evaluate("document.activeElement.id") == "panel-title"
    shot(page, "05-citation", phone=True)
    page.keyboard.press("Escape")
    assert page.locator("#panel").is_hidden()
    assert page.evaluate("document.activeElement.classList.contains('cite-ref')")
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"  # visible focus


def test_a_quote_running_onto_the_next_page_is_highlighted_on_both(page, server):
    base, _ = server
    page.goto("/")
    page.wait_for_selector("#doc-list .doc")
    doc = "002_9b8a39fd266776b3"
    p7, p8 = (json.loads(urllib.request.urlopen(f"{base}/api/documents/{doc}/pages/{n}").read()) for n in (7, 8))
    cite = {"n": 1, "doc_id": doc, "source": f"{doc}.pdf", "title": "Annual Report 2021-22", "period": "2021-22",
            "page": 7, "section": "", "quote_start": p7["char_end"] - 25, "quote_end": p8["char_start"] + 30,
            "char_start": p7["char_end"] - 200, "char_end": p8["char_start"] + 200}
    page.evaluate("async c => (await import('/panel.js')).openCitation(c, null)", cite)
    page.wait_for_function("() => document.querySelectorAll('#panel-body mark').length === 2")
    marks = page.locator("#panel-body mark").all_inner_texts()
    assert marks == [p7["text"][-25:], p8["text"][:30]]
    assert [t.lower() for t in page.locator("#panel-body .page-no").all_inner_texts()] == ["page 7", "page 8"]


def test_filters_and_learning_mode_shape_the_request(page, server):
    page.goto("/")
    page.get_by_role("button", name="2024-25", exact=True).click()
    assert "2024-25" in page.locator("#active-filters").inner_text()
    body = ask(page, "training")
    assert body["filters"] == {"period": ["2024-25"]} and body["mode"] == "answer"
    metas = last_answer(page).locator(".source-meta").all_inner_texts()
    assert metas and all(m.startswith("2024-25") for m in metas)
    shot(page, "06-filter")
    page.set_viewport_size(PHONE)
    assert page.locator("#sidebar").is_hidden()
    page.click("#menu-toggle")
    assert page.locator("#sidebar").is_visible() and page.get_attribute("#menu-toggle", "aria-expanded") == "true"
    page.screenshot(path=str(SHOTS / "06-filter-phone.png"))
    page.click("#menu-toggle")
    page.set_viewport_size(DESKTOP)

    page.click("#clear-filters")
    page.locator("#doc-list .doc", has_text="Annual Report 2019-20").locator("input").check()
    body = ask(page, "How much did partners contribute?")
    assert body["filters"] == {"source": ["000_574df38d8b27e445.pdf"]}
    assert all(m.startswith("2019-20") for m in last_answer(page).locator(".source-meta").all_inner_texts())

    page.click("#clear-filters")
    page.get_by_label("Learning from reviews").check()
    assert "Learning from reviews" in page.locator("#active-filters").inner_text()
    body = ask(page, "What was learned from rapid reviews?")
    assert body["mode"] == "learning" and "filters" not in body
    assert last_answer(page).locator(".answer-body").inner_text().strip()
    shot(page, "07-learning", phone=True)


def test_an_uploaded_pdf_is_indexed_and_answered(page, server):
    page.goto("/")
    page.wait_for_selector("#doc-list .doc")
    page.fill("#admin-token", "wrong-token")
    page.set_input_files("#upload-file", {"name": "x.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"})
    page.click("#upload-button")
    page.wait_for_selector("#upload-text.error-text")
    assert page.locator("#upload-text").inner_text() == "the admin token is not valid"

    upload_pdf(page, server[0], "osprey-annual-report.pdf", (
        "<html><head><title>Osprey Safeguarding Children Partnership - Annual Report 2022-23</title></head><body>"
        "<h1>Osprey Safeguarding Children Partnership</h1><h2>Annual Report 2022-23</h2>"
        "<p>The Osprey Bridge scheme placed 417 care leavers in supported lodgings during the year.</p>"
        "<p>Every care leaver had a personal adviser until the age of 25.</p></body></html>"))
    assert "is indexed" in page.locator("#upload-text").inner_text()
    page.wait_for_selector("#doc-list .doc:has-text('Osprey')")
    assert page.locator("#doc-list .doc").count() == 6
    page.eval_on_selector("#sidebar", "e => { e.scrollTop = e.scrollHeight; }")
    shot(page, "08-upload")
    ask(page, "How many care leavers did the Osprey Bridge scheme place in supported lodgings?")
    answer = last_answer(page)
    assert "417" in answer.locator(".answer-body").inner_text()
    assert "Osprey" in answer.locator(".sources").inner_text()
    shot(page, "09-upload-answered")


def test_markup_in_a_document_or_question_is_shown_as_text_and_never_runs(page, server):
    page.goto("/")
    page.wait_for_selector("#doc-list .doc")
    upload_pdf(page, server[0], "heron-report.pdf", (
        "<html><head><title>Heron &lt;img src=x onerror=window.__pwned=4&gt; Annual Report 2022-23</title></head><body>"
        "<h1>Heron Safeguarding Partnership Annual Report 2022-23</h1>"
        "<p>The Heron web audit found this string in a referral form: &lt;script&gt;window.__pwned=1&lt;/script&gt; "
        "and the referral form was fixed.</p></body></html>"))
    page.wait_for_selector("#doc-list .doc:has-text('Heron')")
    assert "<img src=x onerror=window.__pwned=4>" in page.locator("#doc-list").inner_text()
    ask(page, "What string did the Heron web audit find in a referral form?")
    answer = last_answer(page)
    assert "<script>window.__pwned=1</script>" in answer.locator(".answer-body").inner_text()
    answer.locator(".cite-ref").first.click()
    page.wait_for_selector("#panel-body mark")
    assert "<script>window.__pwned=1</script>" in page.locator("#panel-body").inner_text()
    ask(page, "<img src=x onerror=window.__pwned=3> what about <b>neglect</b>?")
    assert page.locator(".msg.user .question-text").first.inner_text() == "<img src=x onerror=window.__pwned=3> what about <b>neglect</b>?"
    page.wait_for_timeout(300)
    shot(page, "10-markup-as-text")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.scripts.length") == 1  # app.js only
    assert page.locator("#thread img, #panel img, #doc-list img, #thread b").count() == 0
    assert not page.errors


def test_the_page_says_so_when_the_server_is_down(page, server):
    page.route("**/api/**", lambda route: route.abort())
    page.goto("/")
    page.wait_for_selector("#banner:not([hidden])")
    assert "Cannot reach the reportqa server" in page.locator("#banner").inner_text()
    assert page.locator("#health").inner_text() == "Server unreachable"
    page.fill("#question", TRAINING_Q)
    page.press("#question", "Enter")
    page.wait_for_selector(".msg.bot.failed")
    assert "Cannot reach the reportqa server" in last_answer(page).inner_text()
    shot(page, "11-server-down", phone=True)
    page.unroute("**/api/**")
    last_answer(page).get_by_role("button", name="Try again").click()
    page.wait_for_selector(".msg.bot[aria-busy='false']:not(.failed)")
    assert "1949" in last_answer(page).inner_text()
