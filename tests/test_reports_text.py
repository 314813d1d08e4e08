"""The terminal report: many findings in few prints, byte for byte as one print per line; few files held."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text

from lint.reporters import CACHED_FILES, ReportContext
from lint.reporters.escaping import visible
from lint.reporters.text_format import _finding_lines, _summary, render

from .conftest import write
from .reports_support import finding, result_of

SOURCE = ("tip:\tthe 中文 word 😀 here" + " " * 90 + "\r\n"  # a tab, wide characters, trailing spaces past 80
          + "x" * 300 + " teh \x1b[31m end   \n"  # a long line (clipped around the span), an escape sequence
          + "second\n")


def findings(count: int) -> list[dict[str, Any]]:
    shapes = [dict(line=1, column=6, end_column=9, field="title", suggestion="the\tfix"),
              dict(line=2, column=302, end_column=305, severity="error"),
              dict(line=1, column=20, end_line=3, end_column=3, severity="info"),  # over several lines
              dict(line=9, column=1, end_column=2, message="no such line \x07")]
    return [finding(**shapes[index % len(shapes)]) for index in range(count)]


def one_print_per_line(result: dict[str, Any], root: Path, color: bool) -> str:
    """The report as it was printed before: each line on its own."""
    out = io.StringIO()
    console = Console(file=out, force_terminal=color, no_color=not color, highlight=False, soft_wrap=True,
                      emoji=False, markup=False)
    console.print(Text(visible("doc.md"), style="bold underline"))
    for item in result["findings"]:
        for line in _finding_lines(item, ReportContext(root=root)):
            console.print(line)
    console.print()
    console.print(_summary(result))
    return out.getvalue()


@pytest.mark.parametrize("color", [False, True])
def test_batches_print_what_one_print_per_line_printed(tmp_path: Path, color: bool) -> None:
    write(tmp_path, "doc.md", SOURCE)
    result = result_of(findings(2_503))  # more lines than one batch holds, and a partial batch
    out = io.StringIO()
    render(result, out, ReportContext(root=tmp_path, color=color))
    expected = one_print_per_line(result, tmp_path, color)
    assert out.getvalue() == expected
    assert ("\x1b[" in expected) is color and "\x1b[31m" not in expected and "\\u001b[31m" in expected


def test_many_findings_take_few_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rich costs about 50 µs a print: three prints a finding made 60,000 findings on one line take 12 s."""
    write(tmp_path, "doc.md", SOURCE)
    prints: list[int] = []
    original = Console.print
    monkeypatch.setattr(Console, "print", lambda self, *a, **k: prints.append(1) or original(self, *a, **k))
    render(result_of(findings(3_000)), io.StringIO(), ReportContext(root=tmp_path))
    assert len(prints) < 20


def test_the_lines_of_only_the_last_few_files_are_held(tmp_path: Path) -> None:
    """Every file read for its excerpts was held to the end: the text and SARIF reports of 2,000 files of
    20 KB took 229 MB. A file read again after it was let go shows its line all the same."""
    for index in range(50):
        write(tmp_path, f"doc{index:02}.md", f"first\nline of doc {index}\n")
    paths = [f"doc{index:02}.md" for index in range(50)] + ["doc00.md"]
    context = ReportContext(root=tmp_path)
    out = io.StringIO()
    render(result_of([finding(path=path, line=2, column=1, end_column=5) for path in paths]), out, context)
    assert len(context._cache) <= CACHED_FILES
    assert all(out.getvalue().count(f"line of doc {index}\n") == (2 if index == 0 else 1) for index in range(50))
