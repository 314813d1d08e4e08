"""Every rule has a fixture that must pass and one that must fail at exact positions.

fixtures/rules/<category>/<name>/pass/ holds documents the rule must accept, fail/ documents it must
reject, and expected.json the exact [line, column, end_line, end_column] of each finding in fail/.
Each directory is its own content root, so corpus-wide rules see only the documents of their case.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lint import registry
from lint.rule import Category

from .conftest import FIXTURES, lint_json

RULE_DIRS = sorted(p.parent for p in (FIXTURES / "rules").glob("*/*/expected.json"))


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_pass_fixture_has_no_finding(rule_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule_id = f"{rule_dir.parent.name}/{rule_dir.name}"
    code, result = lint_json(rule_dir / "pass", capsys, "--select", rule_id)
    assert result["summary"]["files"] >= 1
    assert result["findings"] == []
    assert code == 0


@pytest.mark.parametrize("rule_dir", RULE_DIRS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fail_fixture_fails_at_exact_positions(rule_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rule_id = f"{rule_dir.parent.name}/{rule_dir.name}"
    expected = json.loads((rule_dir / "expected.json").read_text())
    assert expected["rule"] == rule_id
    code, result = lint_json(rule_dir / "fail", capsys, "--select", rule_id)
    found: dict[str, list[list[int]]] = {}
    for finding in result["findings"]:
        assert finding["rule"] == rule_id
        found.setdefault(finding["path"], []).append(
            [finding["line"], finding["column"], finding["end_line"], finding["end_column"]])
    assert found == expected["fail"]
    assert code == 1 or all(f["severity"] == "info" for f in result["findings"])


def test_every_rule_has_fixtures() -> None:
    covered = {f"{p.parent.name}/{p.name}" for p in RULE_DIRS}
    rules = {rule_id for rule_id, rule in registry.all_rules().items() if rule.category is not Category.LINT}
    assert rules - covered == set(), "rules without fixtures/rules/<id>/{pass,fail,expected.json}"
    assert covered - set(registry.all_rules()) == set(), "fixtures for rules that do not exist"


def test_fixture_articles_have_unique_ids() -> None:
    """fixtures/ is linted as one corpus by `make run`: only the duplicate-id case may share an id."""
    from lint.document import Document

    owners: dict[object, list[str]] = {}
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".md", ".txt") or "duplicate-id/fail" in path.as_posix():
            continue
        data = Document.from_bytes(path.name, path.read_bytes()).data
        if data and isinstance(data.get("id"), int):
            owners.setdefault(data["id"], []).append(path.relative_to(FIXTURES).as_posix())
    assert {i: paths for i, paths in owners.items() if len(paths) > 1} == {}
