"""The page and /docs in a real Chromium under the server's CSP header: they work, with no CSP
violation and no request to another origin (issue 14, findings 4 and 6)."""

from __future__ import annotations

import pytest

from api.security import PAGE_CSP
from tests.test_browser import DESKTOP, TRAINING_Q, ask, browser, last_answer, server  # noqa: F401

pytestmark = pytest.mark.browser

# Every CSP violation the page meets, from the browser's own event.
WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation',
  e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"""


@pytest.fixture()
def page(browser, server):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP, base_url=server[0])
    context.add_init_script(WATCH)
    pg = context.new_page()
    pg.problems = []
    pg.outside = []
    pg.on("pageerror", lambda exc: pg.problems.append(f"error: {exc}"))
    pg.on("console", lambda m: pg.problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    # Offline: a request to any other origin fails, and is noted.
    pg.route(lambda url: not url.startswith(server[0]),
             lambda route: (pg.outside.append(route.request.url), route.abort()))
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def test_the_page_works_under_the_csp_with_no_violation(page, server):  # noqa: F811
    response = page.goto("/")
    assert response.headers["content-security-policy"] == PAGE_CSP
    page.wait_for_selector("#doc-list .doc")
    ask(page, TRAINING_Q)
    answer = last_answer(page)
    assert "1949" in answer.inner_text()
    answer.locator(".cite-ref").first.click()
    page.wait_for_selector("#panel-body mark")
    assert page.evaluate("window.__violations") == []
    assert page.problems == [] and page.outside == []


def test_the_csp_is_enforced(page, server):  # noqa: F811
    """The watch above does see a violation: an inline script is refused and does not run."""
    page.goto("/")
    page.wait_for_selector("#doc-list .doc")
    page.evaluate("""() => { const s = document.createElement('script');
        s.textContent = 'window.__ran = true'; document.body.append(s); }""")
    page.wait_for_function("() => window.__violations.length > 0")
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))


def test_docs_open_offline_under_the_csp(page, server):  # noqa: F811
    response = page.goto("/docs")
    assert response.headers["content-security-policy"] == PAGE_CSP
    page.wait_for_selector(".opblock-summary-path", timeout=60_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/ask" in paths and "/api/ask/stream" in paths and "/api/feedback" in paths
    page.locator(".opblock-summary-path", has_text="/api/health").first.click()
    page.wait_for_selector(".opblock-body")
    assert page.evaluate("window.__violations") == []
    assert page.problems == [] and page.outside == []
