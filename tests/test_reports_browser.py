"""The HTML report in a real browser: Playwright driving Debian's chromium, the report opened from disk.

Without chromium these tests skip, saying how to install it; in CI (CI set) a missing chromium is a failure,
never a skip. `.ci/run` installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from lint.reporters import html_format
from lint.reporters.escaping import visible

from .conftest import FIXTURES, REPO, write
from .reports_support import finding, lint_to, render, result_of

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("CONTENTLINT_CHROMIUM", "/usr/bin/chromium"))  # Debian's; overridable for tests
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
XSS_FIXTURE = FIXTURES / "html-report/xss/xss-in-article-text.md"
HOSTILE_NAME = "<img src=x onerror=alert(9)>.md"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = None if CHROMIUM.exists() else f"{CHROMIUM} not found"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed"
    if missing:
        how = "install it with `apt-get update && apt-get install -y chromium` (Debian) and `pip install -e '.[dev]'`"
        if in_ci():
            pytest.fail(f"CI is set, so the browser tests must run, but {missing}: {how}")
        pytest.skip(f"browser tests need chromium: {missing}; {how}")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    """What a page did that it should not: dialogs, console errors, uncaught exceptions, network requests."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_quiet(self) -> None:
        assert (self.dialogs, self.errors, self.requests) == ([], [], [])


@pytest.fixture
def open_report(browser: Any) -> Iterator[Any]:
    pages: list[tuple[Any, Watch]] = []

    def opener(path: Path) -> tuple[Any, Watch]:
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        watch = Watch()
        page.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("console", lambda message: watch.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        page.on("request", lambda request: None if request.url == path.resolve().as_uri()
                else watch.requests.append(request.url))
        page.goto(path.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]")
        pages.append((page, watch))
        return page, watch

    yield opener
    for page, _ in pages:
        page.close()


@pytest.fixture(scope="module")
def fixtures_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    out = tmp_path_factory.mktemp("browser")
    return lint_to(FIXTURES, "html", out), out / "report.html"


def source_span(root: Path, item: dict[str, Any]) -> str:
    lines = (root / item["path"]).read_bytes().decode("utf-8", errors="replace").split("\n")
    first, last = item["line"] - 1, item["end_line"] - 1
    if first == last:
        return lines[first][item["column"] - 1:item["end_column"] - 1]
    return "\n".join([lines[first][item["column"] - 1:], *lines[first + 1:last], lines[last][:item["end_column"] - 1]])


def current(page: Any) -> dict[str, Any]:
    state: dict[str, Any] = page.evaluate("""() => {
        const card = document.querySelector('.finding.current');
        if (!card) return null;
        const box = card.getBoundingClientRect();
        return {index: Number(card.id.replace('finding-', '')), rule: card.querySelector('.rule-button').textContent,
                mark: card.querySelector('mark').textContent, focused: document.activeElement === card,
                visible: box.top >= -1 && box.top < window.innerHeight,  // -1: sub-pixel scrolling
                path: document.querySelector('#detail h3').textContent}
    }""")
    return state


def test_opens_from_disk_and_shows_the_summary(fixtures_report: tuple[dict[str, Any], Path],
                                               open_report: Any) -> None:
    result, report = fixtures_report
    page, watch = open_report(report)
    summary = result["summary"]
    assert page.text_content("#files-checked") == str(summary["files"])
    assert page.text_content("#findings-total") == str(summary["findings"])
    assert page.locator("#doc-table tbody tr").count() == summary["files"]
    files, findings = summary["files"], summary["findings"]
    assert page.text_content("#match-count") == f"{findings} of {findings} findings in {files} of {files} documents"
    errors = Counter(f["path"] for f in result["findings"] if f["severity"] == "error")
    first_row = page.locator("#doc-table tbody tr").first.locator("td").nth(1).text_content()
    assert first_row == str(max(errors.values()))  # most errors first
    watch.assert_quiet()


def test_filter_by_rule(fixtures_report: tuple[dict[str, Any], Path], open_report: Any) -> None:
    result, report = fixtures_report
    page, watch = open_report(report)
    rule = "schema/url-mismatch"
    expected = {f["path"] for f in result["findings"] if f["rule"] == rule}
    page.select_option("#filter-rule", label=rule)
    rows = page.locator("#doc-table tbody tr td.path").all_text_contents()
    assert set(rows) == expected
    page.keyboard.press("j")
    assert current(page)["rule"] == rule
    page.select_option("#filter-rule", value="")
    page.select_option("#filter-severity", label="warning")
    warnings = [f for f in result["findings"] if f["severity"] == "warning"]
    assert page.text_content("#match-count").startswith(f"{len(warnings)} of ")
    page.fill("#filter-text", "did you mean")
    page.wait_for_function("() => document.querySelector('#match-count').textContent.startsWith('1 of ')")
    assert page.locator("#doc-table tbody tr").count() == 1
    watch.assert_quiet()


def test_keyboard_walks_every_finding_and_highlights_its_text(fixtures_report: tuple[dict[str, Any], Path],
                                                              open_report: Any) -> None:
    result, report = fixtures_report
    page, watch = open_report(report)
    seen = []
    for _ in result["findings"]:
        page.keyboard.press("j")
        state = current(page)
        item = result["findings"][state["index"]]
        assert state["rule"] == item["rule"] and state["path"] == item["path"]
        # control characters are shown as \uXXXX escapes, as everywhere in reports
        assert state["mark"] == visible(source_span(FIXTURES, item)[: html_format.SPAN_LIMIT], keep="\n"), item
        assert state["focused"] and state["visible"], (state, item)
        seen.append(state["index"])
    assert sorted(seen) == list(range(len(result["findings"])))  # each finding once
    page.keyboard.press("j")
    assert current(page)["index"] == seen[-1]  # the last finding stays current
    page.keyboard.press("k")
    page.keyboard.press("k")
    assert current(page)["index"] == seen[-3]
    page.focus("#filter-text")
    page.keyboard.press("j")  # typing in the search box is not navigation
    assert page.input_value("#filter-text") == "j"
    watch.assert_quiet()


def test_sorting_and_rule_explanation(fixtures_report: tuple[dict[str, Any], Path], open_report: Any) -> None:
    _, report = fixtures_report
    page, watch = open_report(report)
    page.click("#doc-table th button[data-sort=path]")
    paths = page.locator("#doc-table tbody tr td.path").all_text_contents()
    assert paths == sorted(paths)
    assert page.get_attribute("#doc-table th:first-child", "aria-sort") == "ascending"
    page.click("#doc-table th button[data-sort=path]")
    assert page.locator("#doc-table tbody tr td.path").all_text_contents() == sorted(paths, reverse=True)
    page.keyboard.press("j")
    card = page.locator(".finding.current")
    assert not card.locator(".rule-doc").is_visible()
    card.locator(".rule-button").click()
    assert card.locator(".rule-doc").is_visible()
    assert "Why it matters:" in card.locator(".rule-doc").text_content()
    watch.assert_quiet()


def test_print_layout_and_screenshot(fixtures_report: tuple[dict[str, Any], Path], open_report: Any,
                                     tmp_path: Path) -> None:
    _, report = fixtures_report
    page, watch = open_report(report)
    page.keyboard.press("j")
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    page.emulate_media(media="print")
    assert not page.is_visible("#filters") and not page.is_visible(".documents")
    assert page.is_visible("#summary") and page.is_visible(".finding.current")
    watch.assert_quiet()


def test_large_reports_render_lazily(tmp_path: Path, open_report: Any) -> None:
    findings = [finding(path=f"doc{n:04}.md", line=1 + k, severity=("error", "warning", "info")[k % 3])
                for n in range(1000) for k in range(3 if n else 450)]
    report = tmp_path / "report.html"
    report.write_text(render("html", result_of(findings), tmp_path), encoding="utf-8")
    page, watch = open_report(report)
    assert page.locator("#doc-table tbody tr").count() == 200
    assert page.text_content("#table-end") == "Showing 200 of 1000 documents (scroll for more)."
    page.eval_on_selector(".documents", "box => { box.scrollTop = box.scrollHeight; }")
    page.wait_for_function("() => document.querySelectorAll('#doc-table tbody tr').length > 200")
    page.keyboard.press("j")  # the first document has 450 findings: 200 are drawn
    assert page.locator(".finding").count() == 200 and page.is_visible("button.more")
    page.keyboard.press("k")
    page.keyboard.press("k")  # back past the first finding: nothing before it
    assert current(page)["index"] == 0
    for _ in range(200):
        page.keyboard.press("j")
    assert current(page)["index"] == 200 and page.locator(".finding").count() == 400
    watch.assert_quiet()


def test_hostile_article_runs_nothing(tmp_path: Path, open_report: Any) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(XSS_FIXTURE, content / XSS_FIXTURE.name)
    write(content, HOSTILE_NAME, "no front matter </textarea><script>alert(10)</script>\n")
    result = lint_to(content, "html", tmp_path / "out")
    assert {f["path"] for f in result["findings"]} == {XSS_FIXTURE.name, HOSTILE_NAME}
    page, watch = open_report(tmp_path / "out/report.html")
    marks = []
    for _ in result["findings"]:
        page.keyboard.press("j")
        marks.append(current(page)["mark"])
        page.locator(".finding.current .rule-button").click()
    page.fill("#filter-text", "<script>")
    page.wait_for_timeout(300)
    page.click(f"table.worst a[data-file]:text-is('{HOSTILE_NAME}')")
    assert page.text_content("#detail h3") == HOSTILE_NAME
    assert "<img src=x onerror=alert(1)></textarea>" in marks
    assert any(m.startswith("What does </textarea><script>window.xssRan = true;") for m in marks)
    assert any('<img src=x onerror=alert("key")>' in m for m in marks)
    inert = page.evaluate("""() => ({
        ran: window.xssRan === true, imgs: document.images.length, svgs: document.querySelectorAll('svg').length,
        scripts: document.scripts.length, textareas: document.querySelectorAll('textarea').length,
        links: [...document.querySelectorAll('[href]')].filter(a => !a.getAttribute('href').startsWith('#')).length,
        handlers: [...document.querySelectorAll('*')]
            .filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length})""")
    assert inert == {"ran": False, "imgs": 0, "svgs": 0, "scripts": 2, "textareas": 0, "links": 0, "handlers": 0}
    watch.assert_quiet()


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("true", "1 error")])
def test_missing_chromium_skips_locally_and_fails_in_ci(ci: str, outcome: str) -> None:
    env = {**os.environ, "CI": ci, "CONTENTLINT_CHROMIUM": "/nonexistent/chromium"}
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q",
         "tests/test_reports_browser.py::test_opens_from_disk_and_shows_the_summary"],
        cwd=REPO, env=env, capture_output=True, text=True, check=False)
    assert outcome in completed.stdout, completed.stdout
    assert "apt-get install -y chromium" in completed.stdout
