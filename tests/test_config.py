"""Configuration: nearest file wins, selection, severities, per-file ignores, options, bad configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from lint import registry

from .conftest import FIXTURES, lint_json, run_cli, write

FAIL_DOC = (FIXTURES / "rules/schema/title-mismatch/fail/what-is-anemia.md").read_text()


def _rules(result: dict) -> list[str]:
    return [f["rule"] for f in result["findings"]]


def test_nearest_config_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "pyproject.toml", '[tool.contentlint]\nignore = ["schema/title-mismatch"]\n')
    write(tmp_path, "a/what-is-anemia.md", FAIL_DOC)
    write(tmp_path, "b/contentlint.toml", 'severity = { "schema/title-mismatch" = "error" }\n')
    write(tmp_path, "b/what-is-anemia.md", FAIL_DOC)
    _, result = lint_json(tmp_path, capsys, "--select", "schema/title-mismatch,schema/description-length")
    by_path = {(f["path"], f["severity"]) for f in result["findings"]}
    # --select replaces the configured selection, but a.md's config ignore still applies
    assert by_path == {("b/what-is-anemia.md", "error")}


def test_per_file_ignores_and_rule_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "contentlint.toml", '[per-file-ignores]\n"legacy/**" = ["schema"]\n'
          '[rules."schema/description-length"]\nmin-length = 200\n')
    write(tmp_path, "legacy/what-is-anemia.md", FAIL_DOC)
    write(tmp_path, "new/what-is-anemia.md", FAIL_DOC)
    _, result = lint_json(tmp_path, capsys)
    paths = {f["path"] for f in result["findings"]}
    assert paths == {"new/what-is-anemia.md"}
    assert "schema/description-length" in _rules(result)  # 101 characters < min-length 200


@pytest.mark.parametrize(("config", "message"), [
    ('select = ["nope"]\n', "unknown rule or category: nope"),
    ("fail-level = 'fatal'\n", "fail-level"),
    ("unknown-setting = 1\n", "unknown setting"),
    ("select = [\n", "invalid TOML"),
    ('[rules."schema/description-length"]\nmax-lenght = 3\n', "invalid configuration"),
    # each of these ended the run with a traceback: a pattern pathspec cannot compile, a timer that overflows
    ('extend-exclude = ["drafts/", "[z-a]"]\n', "extend-exclude: Value error, invalid pattern '[z-a]'"),
    ("timeout = inf\n", "timeout: Input should be a finite number"),
    ("timeout = 1e300\n", "timeout: Input should be less than or equal to 86400"),
    ('schemas = { recipe = "..:Recipe" }\n', "cannot load schema model '..:Recipe'"),  # a relative import
])
def test_bad_config_is_a_clear_error_with_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                 config: str, message: str) -> None:
    write(tmp_path, "contentlint.toml", config)
    write(tmp_path, "a.txt", "text\n")
    code, _, err = run_cli(["check", str(tmp_path)], capsys)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_a_pyproject_whose_tool_is_no_table_has_no_configuration(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "pyproject.toml", 'tool = "x"\n')  # ended the run with an AttributeError
    write(tmp_path, "a.txt", "text\n")
    code, result = lint_json(tmp_path, capsys, "--select", "encoding")
    assert code == 0 and [file["path"] for file in result["files"]] == ["a.txt"]


def test_a_gitignore_line_that_is_no_pattern_matches_nothing(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, ".gitignore", "[z-a]\nignored.txt\n")  # as git: the bad range matches nothing
    write(tmp_path, "ignored.txt", "text\n")
    write(tmp_path, "a.txt", "text\n")
    _, result = lint_json(tmp_path, capsys)
    assert [file["path"] for file in result["files"]] == ["a.txt"]


def test_selection_semantics() -> None:
    ids = lambda rules: {r.id for r in rules}  # noqa: E731
    defaults = ids(registry.select([], [], []))
    assert "lint/unused-suppression" not in defaults  # off by default
    assert "schema/missing-field" in defaults
    only_schema = ids(registry.select(["schema"], [], ["schema/keywords"]))
    assert "schema/keywords" not in only_schema and "schema/missing-field" in only_schema
    assert all(r.startswith("schema/") for r in only_schema)
    assert ids(registry.select(["schema/keywords"], [], ["schema"])) == {"schema/keywords"}
    assert "lint/unused-suppression" in ids(registry.select([], ["lint/unused-suppression"], []))


def test_custom_schema_model_from_config(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "site_schemas.py", (
        "from pydantic import BaseModel, ConfigDict\n\n"
        "class Recipe(BaseModel):\n"
        "    model_config = ConfigDict(extra='forbid')\n"
        "    title: str\n"
        "    servings: int\n"))
    monkeypatch.syspath_prepend(str(tmp_path))
    write(tmp_path, "contentlint.toml", 'schemas = { recipe = "site_schemas:Recipe" }\n')
    write(tmp_path, "pie.md", "---\n_schema: recipe\ntitle: Pie\nservings: many\n---\nBake it.\n")
    _, result = lint_json(tmp_path, capsys, "--select", "schema")
    assert [(f["rule"], f["line"], f["column"], f["field"]) for f in result["findings"]] == [
        ("schema/invalid-value", 4, 11, "servings")]


def test_unloadable_custom_schema_is_a_config_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "contentlint.toml", 'schemas = { recipe = "no_such_module:Recipe" }\n')
    write(tmp_path, "a.txt", "text\n")
    code, _, err = run_cli(["check", str(tmp_path)], capsys)
    assert code == 2
    assert "cannot load schema model 'no_such_module:Recipe'" in err
