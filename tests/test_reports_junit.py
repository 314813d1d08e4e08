"""The JUnit report: one testsuite, one testcase per file, one failure per finding, readable by junitparser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from junitparser import Failure, JUnitXml

from .conftest import FIXTURES
from .reports_support import finding, lint_to, render, result_of


def parse(text: str, tmp_path: Path) -> JUnitXml:
    path = tmp_path / "junit.xml"
    path.write_text(text, encoding="utf-8")
    return JUnitXml.fromfile(str(path))


def failures(case: Any) -> list[Failure]:
    return [r for r in case.result if isinstance(r, Failure)]


def test_fixtures_report_parses(tmp_path: Path) -> None:
    result = lint_to(FIXTURES, "junit", tmp_path)
    xml = JUnitXml.fromfile(str(tmp_path / "junit.xml"))
    (suite,) = list(xml)
    assert suite.name == "contentlint"
    cases = {case.name: case for case in suite}
    assert set(cases) == {file["path"] for file in result["files"]}
    assert suite.tests == len(result["files"])
    assert suite.failures == sum(1 for file in result["files"] if file["findings"])
    for file in result["files"]:
        expected = [f for f in result["findings"] if f["path"] == file["path"]]
        got = failures(cases[file["path"]])
        assert [(f.type, f.message) for f in got] == [
            (e["rule"], f"{e['line']}:{e['column']} {e['severity']} {e['rule']}: {e['message']}") for e in expected]
        assert cases[file["path"]].is_passed == (not expected)


def test_failure_text_locates_the_finding(tmp_path: Path) -> None:
    item = finding(path="notes/a.md", line=4, column=2, field="auther", suggestion="author", excerpt="auther")
    (suite,) = list(parse(render("junit", result_of([item]), tmp_path), tmp_path))
    (case,) = list(suite)
    assert case.classname == "contentlint.notes"
    (failure,) = failures(case)
    assert failure.text.splitlines() == [
        "notes/a.md:4:2: warning: unknown key 'auther' [schema/unknown-key]",
        "field: auther", "text: auther", "suggestion: author"]


@pytest.mark.parametrize("bad", ["\x00", "\x1b[31m", "\x0c", "\ufffe", "]]>", "<b>&amp;</b>"])
def test_characters_xml_cannot_carry_still_parse(bad: str, tmp_path: Path) -> None:
    item = finding(message=f"odd {bad} text", excerpt=bad, path=f"odd{bad}.md")
    (suite,) = list(parse(render("junit", result_of([item]), tmp_path), tmp_path))
    (case,) = list(suite)
    (failure,) = failures(case)
    assert "odd " in failure.message and " text" in failure.message
    if bad.isprintable() and bad != "\ufffe":
        assert bad in failure.message and case.name == f"odd{bad}.md"  # markup characters come back as written
    else:
        assert f"\\u{ord(bad[0]):04x}" in failure.message


def test_a_clean_run_has_passing_cases(tmp_path: Path) -> None:
    files = [{"path": "a.md", "schema": "default", "findings": 0, "metrics": {}}]
    (suite,) = list(parse(render("junit", result_of([], files), tmp_path), tmp_path))
    assert suite.tests == 1 and suite.failures == 0
    assert all(case.is_passed for case in suite)


@pytest.mark.parametrize("in_order", [True, False])
def test_each_testcase_holds_its_files_findings_as_they_stream(tmp_path: Path, in_order: bool) -> None:
    """Testcases are written as their findings are read: in a result's order (by path) nothing waits; findings
    out of that order, or of a file the result does not list, still land in their testcase."""
    findings = [finding(path=f"{n % 5}.md", line=n + 1) for n in range(40)] + [finding(path="z-unlisted.md")]
    findings.sort(key=lambda f: (f["path"], f["line"]) if in_order else (f["line"] % 3, f["line"]))
    files = [{"path": f"{n}.md", "schema": "default", "findings": 0, "metrics": {}} for n in range(7)]
    suite = next(iter(parse(render("junit", result_of(findings, files), tmp_path), tmp_path)))
    assert (suite.tests, suite.failures) == (8, 6)
    for case in suite:
        mine = [f for f in findings if f["path"] == case.name]
        assert [failure.message for failure in failures(case)] == [
            f"{f['line']}:{f['column']} {f['severity']} {f['rule']}: {f['message']}" for f in mine]
