"""`contentlint config PATH` tells which configuration applies to a file and why; `rules --format json` tells
tools everything about every rule."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lint import registry

from .conftest import run_cli, write

ROOT_CONFIG = """[tool.contentlint]
extend-exclude = ["drafts/"]
severity = { "schema/title-mismatch" = "error" }
per-file-ignores = { "legacy/**" = ["links"] }

[tool.contentlint.rules."schema/description-length"]
min-length = 70
"""


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    write(root, "pyproject.toml", ROOT_CONFIG)
    write(root, "team/contentlint.toml", 'fail-level = "error"\n')
    write(root, "team/pyproject.toml", "[project]\nname = 'x'\n")
    write(root, "other/pyproject.toml", "[project]\nname = 'y'\n")
    for name in ("article.md", "team/article.md", "other/article.md", "drafts/article.md", "legacy/old.md",
                 "notes.rst"):
        write(root, name, "---\ntitle: x\n---\n")
    (root / ".git").mkdir()
    return root


def config(site: Path, relpath: str, capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, err = run_cli(["config", str(site / relpath), "--format", "json", "--root", str(site)], capsys)
    assert code == 0, err
    return json.loads(out)


def test_the_nearest_configuration_applies_and_the_others_are_explained(site: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    report = config(site, "team/article.md", capsys)
    assert report["root"] == str(site) and report["config"] == str(site / "team/contentlint.toml")
    statuses = {Path(c["path"]).relative_to(site).as_posix(): c["status"] for c in report["candidates"]}
    assert statuses == {
        "team/contentlint.toml": "used",
        "team/pyproject.toml": "not used: a nearer configuration replaces it (configurations do not merge)",
        "pyproject.toml": "not used: a nearer configuration replaces it (configurations do not merge)",
    }
    assert report["settings"]["fail-level"] == {"value": "error", "source": "config"}
    assert report["settings"]["extend-exclude"] == {"value": [], "source": "default"}  # no merging


def test_without_root_the_nearest_configuration_is_the_root(site: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["config", str(site / "team/article.md"), "--format", "json"], capsys)
    report = json.loads(out)
    assert code == 0 and report["root"] == str(site / "team")  # as `contentlint check team/article.md` would
    assert report["candidates"][-1] == {
        "path": str(site / "pyproject.toml"),
        "status": f"not used: above the content root {site / 'team'} (choose the root with --root)"}


def test_a_pyproject_without_a_table_is_skipped_and_says_so(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = config(site, "other/article.md", capsys)
    assert report["config"] == str(site / "pyproject.toml")
    assert report["candidates"][0] == {"path": str(site / "other/pyproject.toml"),
                                       "status": "not used: no [tool.contentlint] table"}


def test_rules_severity_and_options_for_a_file(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = {rule["id"]: rule for rule in config(site, "article.md", capsys)["rules"]}
    assert rules["schema/title-mismatch"]["severity"] == "error" and rules["schema/title-mismatch"]["configured"]
    assert rules["schema/description-length"]["options"] == {"min-length": 70, "max-length": 160}
    assert rules["schema/missing-field"] == {"id": "schema/missing-field", "severity": "error", "options": {},
                                             "configured": False}
    assert "links/numbering-gap" in rules
    legacy = config(site, "legacy/old.md", capsys)
    assert legacy["per_file_ignores"] == ["links"]
    assert not any(rule["id"].startswith("links/") for rule in legacy["rules"])


@pytest.mark.parametrize(("relpath", "checked", "reason"), [
    ("article.md", True, "matches `include`"),
    ("drafts/article.md", False, "excluded by 'drafts/' (extend-exclude)"),
    ("notes.rst", False, "matches no `include` pattern"),
])
def test_whether_a_file_is_checked(site: Path, capsys: pytest.CaptureFixture[str], relpath: str, checked: bool,
                                   reason: str) -> None:
    report = config(site, relpath, capsys)["checked"]
    assert report["checked"] is checked and reason in report["reason"]


def test_a_gitignored_file_names_the_gitignore(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(site, ".gitignore", "# generated\nlegacy/\n")
    report = config(site, "legacy/old.md", capsys)["checked"]
    assert report == {"checked": False, "reason": "excluded by 'legacy/' (.gitignore)"}


def test_text_output(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["config", str(site / "article.md"), "--root", str(site)], capsys)
    assert code == 0
    assert f"configuration: {site / 'pyproject.toml'} [tool.contentlint]" in out
    assert re.search(r'\n  extend-exclude += \["drafts/"\]\n', out)
    assert re.search(r'\n  fail-level += "warning"  # default\n', out)
    assert re.search(r"\n  schema/description-length +warning  min-length = 70, max-length = 160  # configured\n", out)
    assert "checked:       yes" in out


def test_a_directory_shows_its_settings_without_rules(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = config(site, "team", capsys)
    assert report["path"] == "team" and "rules" not in report
    assert report["settings"]["fail-level"]["value"] == "error"


def test_errors(site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["config", str(tmp_path / "elsewhere.md"), "--root", str(site)], capsys)
    assert code == 2 and "outside the content root" in err
    write(site, "team/contentlint.toml", 'fail-level = "fatal"\n')
    code, _, err = run_cli(["config", str(site / "team/x.md"), "--root", str(site)], capsys)
    assert code == 2 and "team/contentlint.toml" in err and "fail-level" in err


def test_rules_json_documents_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["rules", "--format", "json"], capsys)
    listed = {rule["id"]: rule for rule in json.loads(out)}
    assert code == 0 and list(listed) == list(registry.all_rules())
    for rule_id, rule in registry.all_rules().items():
        entry = listed[rule_id]
        assert entry["documentation"] == rule.documentation() and "**Why it matters:**" in entry["documentation"]
        assert (entry["severity"], entry["fixable"], entry["category"]) == (
            rule.severity.value, rule.fixable, rule.category.value)
    assert listed["schema/description-length"]["options"]["properties"]["min-length"]["default"] == 50
    assert listed["schema/duplicate-id"]["needs_corpus"] is True
