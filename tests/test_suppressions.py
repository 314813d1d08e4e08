"""Inline suppressions in bodies and front matter, and reporting unused ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import FIXTURES, lint_json, write

BAD = (FIXTURES / "rules/schema/title-mismatch/fail/what-is-anemia.md").read_text()


def test_yaml_comment_suppresses_the_key_it_stands_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "what-is-anemia.md",
          BAD.replace("question: >-\n", "question: >-  # contentlint: disable=schema/title-mismatch\n"))
    _, result = lint_json(tmp_path, capsys, "--select", "schema/title-mismatch")
    assert result["findings"] == []


def test_yaml_comment_for_another_rule_does_not_suppress(tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "what-is-anemia.md",
          BAD.replace("question: >-\n", "question: >-  # contentlint: disable=schema/keywords\n"))
    _, result = lint_json(tmp_path, capsys, "--select", "schema/title-mismatch")
    assert len(result["findings"]) == 1


def test_body_comments_disable_next_line_and_blocks(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    body = (b"<!-- contentlint-disable-next-line encoding -->\nbad \xff here\nbad \xfe there\n"
            b"<!-- contentlint-disable encoding/invalid-utf8 -->\n\xff\n\xff\n"
            b"<!-- contentlint-enable encoding/invalid-utf8 -->\nlast \xff\n")
    write(tmp_path, "page.txt", body)
    _, result = lint_json(tmp_path, capsys, "--select", "encoding/invalid-utf8")
    assert [f["line"] for f in result["findings"]] == [3, 8]


def test_unused_suppression_is_reported_when_selected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "page.txt", "fine\n<!-- contentlint-disable-next-line encoding/invalid-utf8 -->\nfine\n")
    _, result = lint_json(tmp_path, capsys, "--select", "encoding/invalid-utf8")
    assert result["findings"] == []
    _, result = lint_json(tmp_path, capsys, "--select", "encoding/invalid-utf8,lint/unused-suppression")
    (finding,) = result["findings"]
    assert (finding["rule"], finding["line"], finding["column"]) == ("lint/unused-suppression", 2, 1)
