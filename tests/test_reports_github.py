"""GitHub Actions annotations: the workflow-command syntax, its escaping, and the default on Actions."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint.reporters.github_format import annotation, escape_data, escape_property

from .conftest import run_cli, write
from .reports_support import finding, render, result_of


def test_annotation_line() -> None:
    item = finding(path="docs/a.md", line=3, column=5, end_line=3, end_column=11, severity="error",
                   field="seo.title")
    assert annotation(item) == ("::error file=docs/a.md,line=3,col=5,endLine=3,endColumn=11,"
                                "title=schema/unknown-key::unknown key 'auther' [seo.title]")


def test_levels_and_suggestion() -> None:
    assert annotation(finding(severity="warning")).startswith("::warning ")
    assert annotation(finding(severity="info")).startswith("::notice ")
    assert annotation(finding(suggestion="author")).endswith("::unknown key 'auther'%0Asuggestion: author")


def test_multi_line_spans_have_no_columns() -> None:
    line = annotation(finding(line=3, column=5, end_line=6, end_column=2))
    assert line.startswith("::warning file=doc.md,line=3,endLine=6,title=schema/unknown-key::")


def test_escaping_per_workflow_command_rules() -> None:
    assert escape_data("100% done\r\nnext") == "100%25 done%0D%0Anext"
    assert escape_property("a,b:c%d\ne") == "a%2Cb%3Ac%25d%0Ae"
    assert escape_data("a,b:c") == "a,b:c"  # commas and colons only matter in properties


def test_article_text_cannot_start_a_command() -> None:
    """A message with a newline and a command, and a path with , and :, stay inside one annotation."""
    item = finding(path="x,title=fake:y.md", message="bad\n::error file=evil.md::injected\r%0A",
                   suggestion="::warning::too")
    line = annotation(item)
    assert "\n" not in line and "\r" not in line
    assert line == ("::warning file=x%2Ctitle=fake%3Ay.md,line=1,col=1,endLine=1,endColumn=7,title=schema/unknown-key"
                    "::bad%0A::error file=evil.md::injected%0D%250A%0Asuggestion: ::warning::too")


def test_render_writes_one_line_per_finding_and_a_summary(tmp_path: Path) -> None:
    text = render("github", result_of([finding(), finding(line=2, severity="error")]), tmp_path)
    lines = text.splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:2]] == ["::warning", "::error"]
    assert lines[2] == "contentlint: 2 findings (1 error, 1 warning) in 1 file"
    assert render("github", result_of([finding()]), tmp_path, quiet=True).count("\n") == 1


def test_github_is_the_default_on_actions(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "bad.md", "no front matter\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, out, _ = run_cli(["check", str(tmp_path), "--root", str(tmp_path), "--jobs", "1"], capsys)
    assert code == 1
    assert out.startswith("::error file=bad.md,line=1,col=1,")
    code, out, _ = run_cli(["check", str(tmp_path), "--root", str(tmp_path), "--jobs", "1", "--format", "text"],
                           capsys)
    assert not out.startswith("::")  # an explicit format wins
    monkeypatch.setenv("GITHUB_ACTIONS", "false")
    _, out, _ = run_cli(["check", str(tmp_path), "--root", str(tmp_path), "--jobs", "1"], capsys)
    assert not out.startswith("::")
