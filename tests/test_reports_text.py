"""The terminal report: the plain writer writes what rich writes without colour; many findings in few prints;
few files held."""

from __future__ import annotations

import io
import tempfile
from itertools import groupby
from operator import itemgetter, mul
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from lint.reporters import CACHED_FILES, ReportContext, Reporter, text_format
from lint.reporters.escaping import visible
from lint.reporters.text_format import render, render_rich

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


def report(writer: Reporter, result: dict[str, Any], root: Path, color: bool = False,
           quiet: bool = False) -> str:
    out = io.StringIO()
    writer(result, out, ReportContext(root=root, color=color, quiet=quiet))
    return out.getvalue()


@pytest.mark.parametrize("color", [False, True])
def test_batches_print_what_one_print_per_line_printed(tmp_path: Path, color: bool,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Without colour the plain writer, with colour rich in batches: both as rich printing each line on its own."""
    write(tmp_path, "doc.md", SOURCE)
    result = result_of(findings(2_503))  # more lines than one batch holds, and a partial batch
    written = report(render, result, tmp_path, color)
    monkeypatch.setattr(text_format, "BATCH", 1)
    expected = report(render_rich, result, tmp_path, color)
    assert written == expected
    assert ("\x1b[" in expected) is color and "\x1b[31m" not in expected and "\\u001b[31m" in expected


def test_many_findings_take_few_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """rich costs about 50 µs a print: three prints a finding made 60,000 findings on one line take 12 s."""
    write(tmp_path, "doc.md", SOURCE)
    prints: list[int] = []
    original = Console.print
    monkeypatch.setattr(Console, "print", lambda self, *a, **k: prints.append(1) or original(self, *a, **k))
    lines = report(render, result_of(findings(3_000)), tmp_path, color=True).count("\n")
    assert len(prints) == -(-lines // text_format.BATCH) and lines > 8_000


def test_without_colour_no_rich_object_is_made(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through rich, the text report of 200,490 findings took 20 s more than their JSON report, written plainly
    3 s: a report to a file or a CI log is written as plain strings."""
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a rich object was made")

    write(tmp_path, "doc.md", SOURCE)
    monkeypatch.setattr(Console, "__init__", refuse)
    monkeypatch.setattr(Text, "__init__", refuse)
    assert "Found 10 findings" in report(render, result_of(findings(10)), tmp_path)


def test_a_rule_id_reaches_the_terminal_escaped() -> None:
    """A rule id comes from a JSON result given to `contentlint merge`, which may hold anything: its control
    characters are made visible like article text (an escape sequence in it reached the terminal as it was)."""
    result = result_of([finding(rule="x\x1b[31mRED\x07\ty", message="m")])
    written = report(render, result, Path("/nonexistent"))
    assert written == report(render_rich, result, Path("/nonexistent"))
    assert written.split("\n")[1] == "  1:1  warning m  x\\u001b[31mRED\\u0007 y"
    assert "\x1b" not in written and "\x07" not in written


characters = st.characters(blacklist_categories=("Cs",))  # controls, tabs, CR, wide and combining characters
texts = st.text(characters, max_size=20)
long_lines = st.builds(mul, st.text(characters, min_size=1, max_size=4), st.integers(30, 120))  # past the window
contents = st.lists(st.one_of(texts, long_lines), max_size=5).map("\n".join)
names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"), min_size=1,
                max_size=12).filter(lambda name: name not in {".", ".."})
rule_ids = st.one_of(st.sampled_from(["schema/unknown-key", "links/broken"]),
                     st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n"), max_size=10))
fixes = st.one_of(st.none(), st.builds(lambda safe: {"description": "fix", "safe": safe, "edits": []}, st.booleans()))


@st.composite
def findings_in(draw: st.DrawFn, paths: list[str]) -> dict[str, Any]:
    line = draw(st.integers(1, 6))
    return finding(path=draw(st.sampled_from(paths)), line=line, column=draw(st.integers(1, 130)),
                   end_line=line + draw(st.integers(0, 2)), end_column=draw(st.integers(1, 130)),
                   severity=draw(st.sampled_from(["error", "warning", "info"])), message=draw(texts),
                   rule=draw(rule_ids), field=draw(st.none() | texts), suggestion=draw(st.none() | texts),
                   fix=draw(fixes))


@st.composite
def reports(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, Any], bool]:
    """Files (name -> text), a result with findings in them or in files that do not exist, quiet or not."""
    files = draw(st.dictionaries(names, contents, max_size=3))
    paths = [*files, *draw(st.lists(names, max_size=1))]
    found = draw(st.lists(findings_in(paths), max_size=8)) if paths else []
    return files, result_of(sorted(found, key=itemgetter("path", "line", "column"))), draw(st.booleans())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_the_plain_writer_writes_what_rich_writes_without_colour(case: tuple[dict[str, str], dict[str, Any],
                                                                             bool]) -> None:
    files, result, quiet = case
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        for name, text in files.items():
            (root / name).write_bytes(text.encode("utf-8"))
        written = report(render, result, root, quiet=quiet)
        assert written == report(render_rich, result, root, quiet=quiet)
    assert_layout(written, result, files, quiet)


def assert_layout(written: str, result: dict[str, Any], files: dict[str, str], quiet: bool) -> None:
    """The layout stated on its own (both writers share it, so comparing them cannot see a mistake in it): the
    path, each finding's head, its source line with the carets under the span (when the line is short enough to
    be shown whole), its suggestion, article text escaped, the summary."""
    lines = iter(written.split("\n"))
    for path, group in groupby(result["findings"], key=itemgetter("path")):
        assert next(lines) == visible(path)
        for item in group:
            head = next(lines)
            assert head.startswith(f"  {item['line']}:{item['column']}  {item['severity']:<7} "
                                   f"{visible(item['message'])}  ")
            assert not item["field"] or head.endswith(f" [{visible(item['field'])}]")
            source = source_line(files, path, item["line"])
            if source is not None:
                assert_excerpt(next(lines), next(lines), item, source)
            if item["suggestion"]:
                assert next(lines) == "       = suggestion: " + visible(item["suggestion"])
        assert next(lines) == ""
    if not quiet:
        fixable = [item["fix"]["safe"] for item in result["findings"] if item["fixable"]]
        summary = next(lines)
        assert summary.startswith("Found" if fixable or result["findings"] else "All checks passed")
        assert (f"{fixable.count(True)} fixable with --fix" in summary) is (True in fixable)
    assert list(lines) == [""]


def assert_excerpt(shown: str, carets: str, item: dict[str, Any], source: str) -> None:
    assert shown.startswith(f"{item['line']:>6} │ ")
    if len(source) > text_format.WINDOW:
        return
    end = item["end_column"] if item["end_line"] == item["line"] else len(source) + 1
    assert shown == f"{item['line']:>6} │ " + visible(source)
    before, span = source[: item["column"] - 1], source[item["column"] - 1 : end - 1]
    assert carets == "       │ " + " " * cell_len(visible(before)) + "^" * max(1, cell_len(visible(span)))


def test_carets_stand_under_the_span_as_the_terminal_draws_it(tmp_path: Path) -> None:
    """Two cells for a wide character, six for an escaped control character, one caret for an empty span."""
    write(tmp_path, "doc.md", "中文 teh 😀\x07 teh end\n")
    result = result_of([finding(line=1, column=4, end_column=7), finding(line=1, column=11, end_column=14),
                        finding(line=1, column=9, end_column=9)])  # an empty span, before an escaped character
    lines = report(render, result, tmp_path).split("\n")
    assert lines[3] == "       │ " + " " * 5 + "^^^"  # 中文 and a space
    assert lines[6] == "       │ " + " " * 18 + "^^^"  # and teh, 😀, \u0007
    assert lines[9] == "       │ " + " " * 11 + "^"


def source_line(files: dict[str, str], path: str, line: int) -> str | None:
    lines = files[path].lstrip("\ufeff").split("\n") if path in files else []
    return lines[line - 1].rstrip("\r") if line <= len(lines) else None


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
