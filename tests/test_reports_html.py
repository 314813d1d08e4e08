"""The HTML report without a browser: self-contained, inert JSON, escaped text, metrics optional.

What the page does in a browser is tested in test_reports_browser.py.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from lint.reporters import REPORTERS, html_format

from .conftest import FIXTURES, run_cli, write
from .reports_support import finding, lint_to, render, result_of

HOSTILE = '</script><!-- <script>alert(1)</script> <img src=x onerror=alert(2)> </textarea> \u2028\u2029 & "q"'


class Page(HTMLParser):
    """The elements, attributes and text of a page, as a browser's parser sees them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._open: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in ("script", "style") else None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            self.scripts.append(data)
        elif self._open == "style":
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        self._open = None


def payload(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.scripts[0])
    return data


@pytest.fixture(scope="module")
def fixtures_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], str]:
    out = tmp_path_factory.mktemp("html")
    result = lint_to(FIXTURES, "html", out)
    return result, (out / "report.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def fixtures_html(fixtures_run: tuple[dict[str, Any], str]) -> str:
    return fixtures_run[1]


def test_embedded_json_cannot_end_its_element() -> None:
    text = html_format.embed_json({"text": HOSTILE})
    assert "<" not in text and ">" not in text and "&" not in text
    assert "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"text": HOSTILE}


def test_report_is_self_contained(fixtures_html: str) -> None:
    page = Page(fixtures_html)
    for tag, attrs in page.tags:
        assert tag not in ("link", "iframe", "object", "embed", "img", "base"), tag
        for name in ("src", "href", "action", "srcset", "xlink:href"):
            value = attrs.get(name)
            assert value is None or value.startswith("#"), (tag, name, value)
    assert not re.search(r"url\(|@import|https?://", "".join(page.styles))
    assert "fetch(" not in page.scripts[1] and "XMLHttpRequest" not in page.scripts[1]


def test_content_security_policy_allows_only_the_pages_own_code(fixtures_html: str) -> None:
    page = Page(fixtures_html)
    (policy,) = [a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert policy is not None and "default-src 'none'" in policy

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert f"script-src {digest(page.scripts[1])};" in policy  # the report's script, by hash: nothing else runs
    assert f"style-src {digest(page.styles[0])};" in policy
    assert [a.get("type") for t, a in page.tags if t == "script"] == ["application/json", None]


def test_script_never_parses_html() -> None:
    script = html_format._asset("report.js")
    for construct in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(",
                      "setAttribute(\"on", "href = f"):
        assert construct not in script, construct


def test_fixtures_report_embeds_every_finding(fixtures_run: tuple[dict[str, Any], str]) -> None:
    result, text = fixtures_run
    data = payload(Page(text))
    assert [row[0] for row in data["files"]] == [file["path"] for file in result["files"]]
    assert len(data["findings"]) == len(result["findings"]) > 0
    for row, source in zip(data["findings"], result["findings"], strict=True):
        assert data["files"][row[0]][0] == source["path"] and data["rules"][row[1]] == source["rule"]
        assert row[2:7] == [("error", "warning", "info").index(source["severity"]), source["line"], source["column"],
                            source["end_line"], source["end_column"]]
        assert data["strings"][row[7]] == source["message"]
        assert (data["strings"][row[9]] if row[9] >= 0 else None) == source["suggestion"]


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    """A hostile path, message, excerpt and suggestion appear only escaped in markup and inert in JSON."""
    write(tmp_path, "a.md", f"title: {HOSTILE}\n")
    item = finding(path="a.md", message=HOSTILE, suggestion=HOSTILE, field=HOSTILE, column=8, end_column=20)
    hostile_file = {"path": HOSTILE, "schema": None, "findings": 1, "metrics": {}}
    result = result_of([item, finding(path=HOSTILE, severity="error")],
                       [{"path": "a.md", "schema": None, "findings": 1, "metrics": {}}, hostile_file])
    text = render("html", result, tmp_path)
    page = Page(text)
    assert [t for t, _ in page.tags].count("script") == 2
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    assert "<img" not in text and "</textarea>" not in text and "<!-- <script>" not in text
    assert "&lt;/script&gt;&lt;!-- &lt;script&gt;alert(1)" in text  # the hostile path among the worst documents
    data = payload(page)
    assert data["files"][1][0] == HOSTILE
    assert data["findings"][0][12] == f"title: {HOSTILE}"[7:19]  # the span, from the source file


def test_snippet_context_and_cut(tmp_path: Path) -> None:
    long = "x" * 100 + "FLAGGED" + "y" * 400
    write(tmp_path, "a.md", f"{long}\nsecond line\n")
    item = finding(path="a.md", column=101, end_column=108)
    row = payload(Page(render("html", result_of([item]), tmp_path)))["findings"][0]
    assert row[11:15] == ["…" + "x" * 60, "FLAGGED", "y" * 60 + "…", False]
    spanning = finding(path="a.md", line=1, column=1, end_line=2, end_column=7)
    row = payload(Page(render("html", result_of([spanning]), tmp_path)))["findings"][0]
    assert row[12:15] == [long[:400], " line", True]  # the span (two lines) is cut at 400 characters
    gone = finding(path="missing.md", excerpt="kept excerpt")
    row = payload(Page(render("html", result_of([gone]), tmp_path)))["findings"][0]
    assert row[11:14] == ["", "kept excerpt", ""]


def test_control_characters_are_made_visible(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "evil \u202eeman\u202c here\n")
    row = payload(Page(render("html", result_of([finding(path="a.md", column=6, end_column=12)]), tmp_path)))
    assert row["findings"][0][12] == "\\u202eeman\\u202c"


def readability_file(path: str, grade: Any, target: Any = 8, audience: str = "patients") -> dict[str, Any]:
    return {"path": path, "schema": "default", "findings": 0,
            "metrics": {"readability": {"grade": grade, "target": target, "metric": "fkgl", "audience": audience}}}


def test_histogram_against_the_audience_target() -> None:
    files = [readability_file(f"{n}.md", grade) for n, grade in enumerate([6.2, 7.9, 8.0, 8.5, 11.3, 14.0, 25.0])]
    histogram = html_format.histogram(files)
    assert histogram is not None
    labels = [b["label"] for b in histogram["bins"]]
    assert labels[0] == "6" and labels[-1] == "≥21" and len(labels) == html_format.HISTOGRAM_BINS
    counts = {b["label"]: b["count"] for b in histogram["bins"]}
    assert (counts["7"], counts["8"], counts["11"], counts["≥21"]) == (1, 2, 1, 1)
    assert [b["over"] for b in histogram["bins"]][:3] == [False, False, True]
    assert (histogram["target"], histogram["above"], histogram["measured"]) == (8, 4, 7)
    assert histogram["target_bin"] == 2  # the dashed line sits at the left edge of bin 8


@pytest.mark.parametrize("metrics", [{}, {"readability": "n/a"}, {"readability": {"grade": None}},
                                     {"readability": {"grade": float("nan"), "target": 8}},
                                     {"readability": {"grade": True}}, {"readability": {"grade": "9"}}])
def test_missing_or_odd_metrics_are_left_out(metrics: dict[str, Any], tmp_path: Path) -> None:
    files = [{"path": "a.md", "schema": None, "findings": 0, "metrics": metrics}]
    assert html_format.histogram(files) is None
    assert "No readability metrics in these results" in render("html", result_of([], files), tmp_path)


def test_readability_is_shown_when_present(tmp_path: Path) -> None:
    files = [readability_file("a.md", 12.34), readability_file("b.md", 5.0, target=None)]
    result = result_of([], files)
    result["summary"]["metrics"] = {"readability": {"histogram": "any shape", "worst": ["a.md"]}}
    text = render("html", result, tmp_path)
    assert "above their audience target (grade 8.0, patients)" in text
    assert payload(Page(text))["files"] == [["a.md", 0, 0, 0, 12.3, 8.0, "patients"], ["b.md", 0, 0, 0, 5.0, None,
                                                                                        "patients"]]
    assert "a.md</a>" in text  # 4.3 grades above target: among the documents needing the most work


def test_worst_documents_rank_errors_first() -> None:
    files = [["clean.md", 0, 0, 0, None, None, None], ["warn.md", 0, 5, 0, None, None, None],
             ["err.md", 1, 0, 0, None, None, None], ["hard.md", 0, 0, 0, 14.0, 8.0, None],
             ["easy.md", 0, 0, 0, 5.0, 8.0, None]]
    assert [d["path"] for d in html_format.worst_documents(files)] == ["err.md", "warn.md", "hard.md"]


def test_output_dir_names_and_where_they_are(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = write(tmp_path / "c", "bad.md", "no front matter\n").parent
    out = tmp_path / "reports"
    code, _, err = run_cli(["check", str(content), "--root", str(content), "--jobs", "1",
                            "--format", "text,json,sarif,junit,html,github", "--output-dir", str(out)], capsys)
    assert code == 1
    names = ["contentlint.txt", "contentlint.json", "report.sarif", "junit.xml", "report.html",
             "github-annotations.txt"]
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert [line.removeprefix("contentlint: wrote ") for line in err.splitlines()] == [str(out / n) for n in names]


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
def test_every_format_renders_an_empty_run(fmt: str, tmp_path: Path) -> None:
    assert render(fmt, result_of([]), tmp_path).strip()


@pytest.mark.parametrize("count", [0, 1, 2_345])
def test_the_streamed_data_block_holds_every_finding(tmp_path: Path, count: int) -> None:
    """The findings are encoded a thousand at a time into the page's data block: every one of them is there, in
    order, its strings with it (also with none, or a partial last batch)."""
    findings = sorted((finding(path=f"{n % 7}.md", line=n // 7 + 1, message=f"message {n % 3}")
                       for n in range(count)), key=lambda f: (f["path"], f["line"]))
    data = payload(Page(render("html", result_of(findings), tmp_path)))
    assert len(data["findings"]) == count
    for row, source in zip(data["findings"], findings, strict=True):
        assert data["files"][row[0]][0] == source["path"] and data["rules"][row[1]] == source["rule"]
        assert row[3] == source["line"] and data["strings"][row[7]] == source["message"]
    assert sorted(data["strings"]) == sorted({f["message"] for f in findings})
