"""Inline suppressions in bodies and front matter, and reporting unused ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lint.document import Document
from lint.suppressions import find_suppressions

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


_COMMENTS = ["<!-- contentlint-disable-next-line encoding -->", "<!-- contentlint-disable-line links/self-link -->",
             "<!-- contentlint-disable readability -->", "<!-- contentlint-enable readability -->",
             "<!-- contentlint-disable -->", "<!-- contentlint-enable -->", "text", ""]
_FRONT = ["answer: x  # contentlint: disable=encoding\n", "question: >-  # contentlint: disable\n  a\n  b\n",
          "seo:  # contentlint: disable=links\n  title: t\n  url: u\n", "id: 1\n"]


@given(st.lists(st.sampled_from(_FRONT), max_size=4), st.lists(st.sampled_from(_COMMENTS), max_size=12))
def test_the_suppressions_covering_a_line_are_those_a_scan_of_all_finds(front: list[str], body: list[str]) -> None:
    doc = Document.from_bytes("a.md", ("---\n" + "".join(front) + "---\n" + "\n".join(body)).encode())
    suppressions = find_suppressions(doc)
    for rule in ("encoding/mojibake", "links/self-link", "readability/long-sentence"):
        for line in range(doc.lines.line_count + 2):
            expected = [s for s in suppressions.all if s.covers(rule, line)]
            assert sorted(map(id, suppressions.covering(rule, line))) == sorted(map(id, expected))


def test_many_suppressions_are_found_by_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = [f"<!-- contentlint-disable-next-line encoding/mojibake -->\nHereâ€™s line {n}." for n in range(3000)]
    write(tmp_path, "page.txt", "\n".join(lines) + "\nHereâ€™s the last line.\n")
    _, result = lint_json(tmp_path, capsys, "--select", "encoding/mojibake,lint/unused-suppression")
    assert [(f["rule"], f["line"]) for f in result["findings"]] == [("encoding/mojibake", 6001)]
