"""The exported JSON Schema gives the same verdicts as contentlint's schema rules.

What JSON Schema can express, and is compared here: the rules that validate the front matter's data against
its pydantic model, `schema/missing-field`, `schema/invalid-value` and `schema/unknown-key` (required keys,
types, ranges, non-blank text, real calendar dates, the `related_articleN` pattern, no other keys).

What it cannot express, and is left out of the comparison: YAML syntax (`schema/invalid-yaml`,
`schema/unclosed-front-matter`, `schema/duplicate-key`: the editor's YAML parser reports those), whether
front matter is present at all (`schema/missing-front-matter`), consistency between fields or with the file's
name (`schema/file-name-mismatch`, `schema/url-mismatch`, `schema/title-mismatch`), text quality
(`schema/description-length`, `schema/keywords`), and corpus rules that need the other documents
(`schema/duplicate-id`, `schema/subject-spelling`). One difference in YAML itself: a YAML 1.2 editor reads an
unquoted date as a string, so it cannot tell `date: 2025-01-30` from `date: "2025-01-30"`, which contentlint
rejects (the site's loader reads YAML 1.1 and expects a date); `test_known_difference_quoted_date` pins it.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from lint.document import Document

from .articles import article
from .conftest import FIXTURES, REPO, run_cli, write

DATA_RULES = "schema/missing-field,schema/invalid-value,schema/unknown-key"


def export(*args: str) -> dict[str, Any]:
    completed = subprocess.run([sys.executable, "-m", "lint", "schema", *args, "--format", "json-schema"],
                               cwd=REPO, capture_output=True, text=True, check=True)
    exported: dict[str, Any] = json.loads(completed.stdout)
    return exported


@pytest.fixture(scope="module")
def default_schema() -> jsonschema.Draft202012Validator:
    exported = export("default")
    jsonschema.Draft202012Validator.check_schema(exported)
    return jsonschema.Draft202012Validator(exported, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def as_editor_sees_it(value: Any) -> Any:
    """Front-matter data as JSON, the way a YAML 1.2 editor hands it to its schema validator."""
    if isinstance(value, dict):
        return {str(key): as_editor_sees_it(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_editor_sees_it(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def schema_verdicts(validator: jsonschema.Draft202012Validator, files: list[Path]) -> dict[str, bool]:
    """Valid or not, for every file whose front matter parses (the others are YAML's business)."""
    verdicts = {}
    for path in files:
        doc = Document.from_bytes(path.name, path.read_bytes())
        fm = doc.front_matter
        if fm is None or fm.problem is not None or not fm.block.closed:
            continue
        verdicts[str(path)] = validator.is_valid(as_editor_sees_it(doc.data))
    return verdicts


def rule_verdicts(root: Path, capsys: pytest.CaptureFixture[str]) -> set[str]:
    """The files the data rules reject."""
    code, out, err = run_cli(["check", str(root), "--root", str(root), "--format", "json", "--no-cache",
                              "--jobs", "1", "--select", DATA_RULES], capsys)
    assert code in (0, 1), err
    return {str(root / finding["path"]) for finding in json.loads(out)["findings"]}


def test_seeds_and_schema_fixtures_get_the_same_verdicts(default_schema: jsonschema.Draft202012Validator,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    files = sorted([*FIXTURES.glob("*.md"), *FIXTURES.glob("rules/schema/*/*/*.md")])
    verdicts = schema_verdicts(default_schema, files)
    rejected = rule_verdicts(FIXTURES, capsys)
    assert {path for path, valid in verdicts.items() if not valid} == rejected & set(verdicts)
    assert len(verdicts) >= 30 and len(rejected & set(verdicts)) >= 3  # both verdicts are exercised
    for seed in FIXTURES.glob("*.md"):
        assert verdicts[str(seed)] is True


VALID = article(960101, "what-is-anemia")
VARIANTS = {
    "valid": VALID,
    "blank-answer": VALID.replace("answer: >-\n    Anemia is a condition in which your blood has fewer healthy red "
                                  "blood cells than normal.", "answer: '   '"),
    "negative-id": VALID.replace("id: 960101", "id: -960101"),
    "zero-id": VALID.replace("id: 960101", "id: 0"),
    "string-id": VALID.replace("id: 960101", 'id: "960101"'),
    "boolean-id": VALID.replace("id: 960101", "id: true"),
    "impossible-date": VALID.replace("date: 2025-01-30", "date: 2025-02-30"),
    "not-a-date": VALID.replace("date: 2025-01-30", "date: last tuesday"),
    "score-text": VALID.replace("score: -1.0", "score: high"),
    "score-int": VALID.replace("score: -1.0", "score: 3"),
    "post-on-number": VALID.replace("post_on_text: Posted on", "post_on_text: 5"),
    "empty-post-on": VALID.replace("post_on_text: Posted on", "post_on_text: ''"),
    "missing-seo-keywords": VALID.replace("  page_keywords: >-\n    anemia, red blood cells, iron, fatigue\n", ""),
    "unknown-seo-key": VALID.replace("seo:\n", "seo:\n  canonical: /x\n"),
    "seo-as-text": VALID.replace("seo:\n", "seo: QuickTakes\nseo_block:\n"),
    "missing-schema-selector": VALID.replace("_schema: default\n", ""),
    "related-ok": VALID.replace("score: -1.0\n", "score: -1.0\nrelated_article1:\n  id: 960102\n  title: T\n"
                                                   "  subject: Health Studies\n  url: /learn/x\n"),
    "related-missing-url": VALID.replace("score: -1.0\n", "score: -1.0\nrelated_article1:\n  id: 960102\n"
                                                            "  title: T\n  subject: Health Studies\n"),
    "related-extra-key": VALID.replace("score: -1.0\n", "score: -1.0\nrelated_article2:\n  id: 960102\n  title: T\n"
                                                          "  subject: S\n  url: /x\n  slug: x\n"),
    "related-zero": VALID.replace("score: -1.0\n", "score: -1.0\nrelated_article0:\n  id: 960102\n  title: T\n"
                                                     "  subject: S\n  url: /x\n"),
    "related-suffix": VALID.replace("score: -1.0\n", "score: -1.0\nrelated_article1x:\n  id: 960102\n  title: T\n"
                                                       "  subject: S\n  url: /x\n"),
    "related-negative-id": VALID.replace("score: -1.0\n", "score: -1.0\nrelated_article1:\n  id: -2\n  title: T\n"
                                                            "  subject: S\n  url: /x\n"),
    "title-list": VALID.replace("title: What is anemia?\narticle_title", "title: [a, b]\narticle_title"),
}


def test_variants_get_the_same_verdicts(default_schema: jsonschema.Draft202012Validator, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    files = [write(tmp_path / name, "what-is-anemia.md", text) for name, text in VARIANTS.items()]
    verdicts = schema_verdicts(default_schema, files)
    assert len(verdicts) == len(VARIANTS)
    rejected = rule_verdicts(tmp_path, capsys)
    mismatches = {Path(path).parent.name for path, valid in verdicts.items() if valid == (path in rejected)}
    assert mismatches == set()
    valid = {Path(path).parent.name for path, ok in verdicts.items() if ok}
    assert valid == {"valid", "score-int", "empty-post-on", "related-ok"}


def test_known_difference_quoted_date(default_schema: jsonschema.Draft202012Validator, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "what-is-anemia.md", VALID.replace("date: 2025-01-30", 'date: "2025-01-30"'))
    assert schema_verdicts(default_schema, [path]) == {str(path): True}
    assert rule_verdicts(tmp_path, capsys) == {str(path)}


def test_one_schema_for_all_dispatches_on_the_selector() -> None:
    exported = export()
    jsonschema.Draft202012Validator.check_schema(exported)
    validator = jsonschema.Draft202012Validator(exported)
    data = as_editor_sees_it(Document.from_bytes("a.md", VALID.encode()).data)
    assert validator.is_valid(data)
    assert not validator.is_valid({**data, "_schema": "defualt"})
    without_selector = {key: value for key, value in data.items() if key != "_schema"}
    assert not validator.is_valid(without_selector)  # absent means default, which requires it
    assert not validator.is_valid({**data, "answer": " "})


def test_custom_schemas_are_exported(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "adoption_test_models.py",
          "from pydantic import BaseModel, ConfigDict\n\n"
          "class Recipe(BaseModel):\n    model_config = ConfigDict(extra='forbid')\n    title: str\n    serves: int\n")
    write(tmp_path, "site/contentlint.toml", 'schemas = { recipe = "adoption_test_models:Recipe" }\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    code, out, err = run_cli(["schema", "recipe", "--root", str(tmp_path / "site")], capsys)
    assert code == 0, err
    recipe = jsonschema.Draft202012Validator(json.loads(out))
    assert recipe.is_valid({"_schema": "recipe", "title": "Soup", "serves": 4})  # the selector is allowed
    assert not recipe.is_valid({"title": "Soup", "serves": "four"})
    code, out, _ = run_cli(["schema", "--root", str(tmp_path / "site")], capsys)
    combined = jsonschema.Draft202012Validator(json.loads(out))
    assert combined.is_valid({"_schema": "recipe", "title": "Soup", "serves": 4})
    assert not combined.is_valid({"_schema": "recipe", "title": "Soup"})


def test_cli_errors_and_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(["schema", "defualt", "--root", str(tmp_path)], capsys)
    assert code == 2 and "unknown schema 'defualt'; known schemas: default" in err
    code, out, _ = run_cli(["schema", "default", "--root", str(tmp_path), "--output", str(tmp_path / "s.json")],
                           capsys)
    exported = json.loads((tmp_path / "s.json").read_text())
    assert code == 0 and out == "" and exported["patternProperties"] == {
        "^(?:related_article[1-9][0-9]*)$": {"$ref": "#/$defs/RelatedArticle"}}
