"""The chat page with two partnerships indexed, in a real Chromium: each source shows whose it
is, and a Partnership filter narrows the answer to one partnership's reports.

Reuses tests/test_browser.py's browser, page and helpers; its own server serves the bundled
reports with Hartwell's beside them.
"""

from __future__ import annotations


import pytest

from tests.test_browser import ask, browser, last_answer, serve_in_thread, page, shot  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

HARTWELL_NAME = "Hartwell Safeguarding Children Partnership"
LR_NAME = "Leicestershire & Rutland Safeguarding Children Partnership"


@pytest.fixture(scope="module")
def server(two_partnership_engine, two_partnership_dir, tmp_path_factory):
    """uvicorn in a thread over the two-partnership index (read only); yields (base url, settings)."""
    from api.app import create_app
    from api.settings import Settings

    root = tmp_path_factory.mktemp("browser-orgs")
    settings = Settings(index_dir=two_partnership_dir, upload_dir=root / "uploads", feedback_db=root / "feedback.sqlite3")
    with serve_in_thread(create_app(settings, engine=two_partnership_engine), "uvicorn-browser-org-tests") as base:
        yield base, settings


def test_each_report_shows_its_organisation_and_the_partnership_filter_lists_both(page, server):
    page.goto("/")
    page.wait_for_selector("#doc-list .doc")
    assert page.locator("#org-section").is_visible()
    assert page.locator("#org-filters .chip").all_inner_texts() == [HARTWELL_NAME, LR_NAME]
    hartwell = page.locator("#doc-list .doc", has_text="hscp_2023-24.pdf")
    assert hartwell.locator(".doc-org").inner_text() == HARTWELL_NAME
    board = page.locator("#doc-list .doc", has_text="003_8030df4973684338.pdf")
    assert board.locator(".doc-org").inner_text() == "Leicestershire and Rutland Local Safeguarding Children Board"
    shot(page, "org-01-documents", phone=True)
    assert not page.errors


def test_the_partnership_filter_shapes_the_request_and_the_sources_say_whose(page, server):
    page.goto("/")
    page.get_by_role("button", name=HARTWELL_NAME, exact=True).click()
    assert page.get_attribute(f"#org-filters .chip:has-text('{HARTWELL_NAME}')", "aria-pressed") == "true"
    assert HARTWELL_NAME in page.locator("#active-filters").inner_text()
    body = ask(page, "How many rapid reviews were held?")
    assert body["filters"] == {"organisation": [HARTWELL_NAME]}
    answer = last_answer(page)
    orgs = answer.locator(".source-org").all_inner_texts()
    assert orgs and set(orgs) == {HARTWELL_NAME}
    assert HARTWELL_NAME in answer.locator(".answer-body").inner_text()  # each claim says whose
    shot(page, "org-02-filtered")

    answer.locator(".source-btn").first.click()
    meta = page.locator("#panel-meta").inner_text()
    assert "Organisation" in meta and HARTWELL_NAME in meta
    shot(page, "org-03-panel")

    page.click("#clear-filters")
    assert page.get_attribute(f"#org-filters .chip:has-text('{HARTWELL_NAME}')", "aria-pressed") == "false"
    body = ask(page, "What does the most recent report say about multi-agency training?")
    assert "filters" not in body
    orgs = set(last_answer(page).locator(".source-org").all_inner_texts())
    assert orgs <= {HARTWELL_NAME, LR_NAME} and orgs
    text = last_answer(page).locator(".answer-body").inner_text()
    assert all(name in text for name in orgs)  # each claim is labelled with its partnership
    shot(page, "org-04-both", phone=True)
    assert not page.errors
