"""RunResult.keep: a run's file results wait in its spool, not in memory, and come back whole."""

from __future__ import annotations

import dataclasses
import gc
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from lint.result import FileResult, Finding, RunResult
from lint.rule import Severity

texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
findings = st.builds(
    Finding, path=st.just("a.md"), rule=st.sampled_from(["links/missing-target", "encoding/mojibake"]),
    category=st.sampled_from(["links", "encoding"]), severity=st.sampled_from(list(Severity)), message=texts,
    line=st.integers(1, 50), column=st.integers(1, 80), end_line=st.integers(1, 50), end_column=st.integers(1, 80),
    field=st.none() | texts, excerpt=texts, suggestion=st.none() | texts, fix=st.none(), details=st.just({}))


def _result(path: str, schema: str | None, found: list[Finding], metrics: dict[str, Any], fixes: dict[str, int],
            diff: str, fix_error: str | None) -> FileResult:
    result = FileResult(path, schema, [dataclasses.replace(finding, path=path) for finding in found], metrics)
    result.fixes, result.diff, result.fix_error = fixes, diff, fix_error
    return result


results = st.builds(
    _result,
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20), st.none() | texts,
    st.lists(findings, max_size=5), st.dictionaries(texts, st.integers() | texts, max_size=3),
    st.dictionaries(texts, st.integers(1, 9), max_size=2), texts, st.none() | texts)


def _outcome(result: FileResult) -> tuple[Any, ...]:
    return (result.path, result.schema, result.encoded_text(), result.metrics_text(), sorted(result.kinds()),
            dict(result.fixes), result.fixed, result.diff, result.fix_error, result.record_json())


@settings(max_examples=60, deadline=None)
@given(st.lists(results, max_size=6))
def test_kept_results_come_back_whole_and_in_order(files: list[FileResult]) -> None:
    expected = [_outcome(file) for file in files]
    listed = RunResult(files=[_result(f.path, f.schema, f.findings, f.metrics, dict(f.fixes), f.diff, f.fix_error)
                              for f in files])
    kept = RunResult()
    for file in files:
        kept.keep(file)
    assert [_outcome(file) for file in kept.files] == expected
    assert json.dumps(kept.to_dict(), default=list) == json.dumps(listed.to_dict(), default=list)


def _live_results() -> int:
    gc.collect()
    return sum(isinstance(thing, FileResult) for thing in gc.get_objects())


def test_a_run_holds_no_result_object_per_kept_file() -> None:
    """While the files are checked the main process keeps nothing per file but the spool's bounds."""
    before = _live_results()
    run = RunResult()
    for number in range(200):
        run.keep(FileResult(f"page-{number}.txt", None, [], {"words": number}))
    assert _live_results() == before
    assert [file.metrics for file in run.files] == [{"words": number} for number in range(200)]
    assert _live_results() == before + 200


def test_results_kept_after_the_first_were_read_come_back_too() -> None:
    """Reading a kept result's findings moves the spool's position: what is kept next still lands at its end."""
    run = RunResult()

    def page(number: int) -> FileResult:
        finding = Finding(f"p{number}.md", "encoding/mojibake", "encoding", Severity.ERROR, f"message {number}",
                          1, 1, 1, 2, None, "x", None, None, {})
        return FileResult(f"p{number}.md", "qa", [finding], {"words": number})

    for number in range(3):
        run.keep(page(number))
    assert [json.loads(file.encoded_text())["message"] for file in run.files] == ["message 0", "message 1",
                                                                                   "message 2"]
    for number in range(3, 5):
        run.keep(page(number))
    assert [(file.path, file.metrics, file.findings[0].message) for file in run.files] == [
        (f"p{number}.md", {"words": number}, f"message {number}") for number in range(5)]
