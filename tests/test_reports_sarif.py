"""The SARIF 2.1.0 report: valid against the official schema, rules documented, regions, fixes, fingerprints.

tests/sarif-schema-2.1.0.json is the official OASIS schema, unchanged: sarif-2.1/schema/sarif-schema-2.1.0.json
of github.com/oasis-tcs/sarif-spec at commit e0583813964ec43cea53b6b531b402866095ed1f (its "id" is
https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json, the SARIF 2.1.0
Errata 01 OASIS Standard). Nothing is downloaded at test time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lint import registry
from lint.reporters import ReportContext
from lint.reporters.sarif_format import _Columns, to_sarif

from .conftest import FIXTURES, write
from .reports_support import finding, lint_to, render, result_of

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(sarif: dict[str, Any]) -> None:
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(sarif)


@pytest.fixture(scope="module")
def fixtures_sarif(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    out = tmp_path_factory.mktemp("sarif")
    result = lint_to(FIXTURES, "sarif", out)
    return result, json.loads((out / "report.sarif").read_text(encoding="utf-8"))


def utf16_column(path: str, line: int, column: int) -> int:
    """A character column of a fixture as SARIF counts it: in UTF-16 code units (an emoji counts two)."""
    text = (FIXTURES / path).read_bytes().decode("utf-8", "surrogateescape").split("\n")[line - 1]
    return len(text[: column - 1].encode("utf-16-le", "surrogatepass")) // 2 + 1  # (an invalid byte: one column)


def test_schema_file_is_the_official_one() -> None:
    assert SCHEMA["id"] == "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    assert SCHEMA["$schema"] == "http://json-schema.org/draft-04/schema#"
    assert {"run", "result", "reportingDescriptor", "fix", "region"} <= set(SCHEMA["definitions"])


def test_fixtures_report_is_valid_sarif(fixtures_sarif: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result, sarif = fixtures_sarif
    validate(sarif)
    assert sarif["version"] == "2.1.0"
    (run,) = sarif["runs"]
    assert len(run["results"]) == len(result["findings"]) > 0


def test_an_invalid_log_is_rejected_by_the_schema(fixtures_sarif: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """The validation above can fail: the schema catches a region with a column 0 and an unknown level."""
    sarif = json.loads(json.dumps(fixtures_sarif[1]))
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startColumn"] = 0
    with pytest.raises(jsonschema.ValidationError):
        validate(sarif)
    sarif = json.loads(json.dumps(fixtures_sarif[1]))
    sarif["runs"][0]["results"][0]["level"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        validate(sarif)


def test_rules_carry_their_documentation(fixtures_sarif: tuple[dict[str, Any], dict[str, Any]]) -> None:
    driver = fixtures_sarif[1]["runs"][0]["tool"]["driver"]
    assert driver["name"] == "contentlint"
    descriptors = {rule["id"]: rule for rule in driver["rules"]}
    assert set(descriptors) == set(registry.all_rules())
    for rule_id, rule in registry.all_rules().items():
        descriptor = descriptors[rule_id]
        assert descriptor["shortDescription"]["text"] == rule.summary()
        assert descriptor["help"]["markdown"] == rule.documentation()
        assert "**" not in descriptor["help"]["text"] and "Why it matters:" in descriptor["help"]["text"]
        level = {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        assert descriptor["defaultConfiguration"]["level"] == level
    assert descriptors["schema/unknown-key"]["name"] == "UnknownKey"


def test_results_point_at_the_finding(fixtures_sarif: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result, sarif = fixtures_sarif
    run = sarif["runs"][0]
    for item, source in zip(run["results"], result["findings"], strict=True):
        assert run["tool"]["driver"]["rules"][item["ruleIndex"]]["id"] == item["ruleId"] == source["rule"]
        location = item["locations"][0]["physicalLocation"]
        assert location["artifactLocation"] == {"uri": source["path"], "uriBaseId": "SRCROOT"}
        region = location["region"]
        assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
            source["line"], utf16_column(source["path"], source["line"], source["column"]),
            source["end_line"], utf16_column(source["path"], source["end_line"], source["end_column"]))
        assert item["message"]["text"].startswith(source["message"])
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == FIXTURES.resolve().as_uri() + "/"


def test_fixes_become_sarif_fixes(fixtures_sarif: tuple[dict[str, Any], dict[str, Any]]) -> None:
    result, sarif = fixtures_sarif
    fixable = [(f, r) for f, r in zip(result["findings"], sarif["runs"][0]["results"], strict=True) if f["fix"]]
    assert fixable
    for source, item in fixable:
        (fix,) = item["fixes"]
        assert fix["description"]["text"] == source["fix"]["description"]
        assert fix["properties"]["safe"] is source["fix"]["safe"]
        replacements = fix["artifactChanges"][0]["replacements"]
        assert [r["insertedContent"]["text"] for r in replacements] == [e["content"] for e in source["fix"]["edits"]]
        edit, deleted = source["fix"]["edits"][0], replacements[0]["deletedRegion"]
        assert (deleted["startLine"], deleted["startColumn"]) == (
            edit["line"], utf16_column(source["path"], edit["line"], edit["column"]))
    assert all("fixes" not in r for f, r in zip(result["findings"], sarif["runs"][0]["results"], strict=True)
               if not f["fix"])


def test_columns_count_utf16_code_units_after_an_emoji(tmp_path: Path) -> None:
    write(tmp_path, "doc.md", "tip: 😀 auther here\n")
    sarif = json.loads(render("sarif", result_of([finding(line=1, column=8, end_column=14)]), tmp_path))
    validate(sarif)
    assert sarif["runs"][0]["columnKind"] == "utf16CodeUnits"
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (9, 15)  # the emoji is two UTF-16 code units


@settings(deadline=None)
@given(st.lists(st.sampled_from("a é\t😀🩸中\r"), max_size=30), st.integers(1, 40))
def test_columns_are_the_utf16_units_before_them(characters: list[str], column: int) -> None:
    """As the UTF-16 encoding of the line up to the column counts them, a column past the line's end
    moving on by one unit per character."""
    line = "".join(characters).rstrip("\r")
    context = ReportContext(root=Path("."))
    context._cache["doc.md"] = [line]
    expected = 1 + len(line[: column - 1].encode("utf-16-le")) // 2 + max(0, column - 1 - len(line))
    assert _Columns(context).column("doc.md", 1, column) == expected


def test_each_source_line_is_read_once_for_all_its_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its columns were converted by encoding the line up to each one: 60,000 findings on one 540 KB line took
    13 s; the line's characters outside the BMP are now found once for all the findings on it."""
    write(tmp_path, "doc.md", "😀 wo\u200brd " * 1000 + "\n")
    findings = [finding(line=1, column=column, end_column=column + 1, excerpt="\u200b", fix={
        "description": "delete", "safe": True, "edits": [
            {"line": 1, "column": column, "end_line": 1, "end_column": column + 1, "content": ""}]})
        for column in range(5, 8 * 1000, 8)]
    reads: list[int] = []
    source_line = ReportContext.source_line
    monkeypatch.setattr(ReportContext, "source_line",
                        lambda self, path, line: reads.append(line) or source_line(self, path, line))
    sarif = json.loads(render("sarif", result_of(findings), tmp_path))
    last = sarif["runs"][0]["results"][-1]["locations"][0]["physicalLocation"]["region"]
    assert (last["startColumn"], last["endColumn"]) == (7997 + 1000, 7998 + 1000)  # after 1,000 emoji
    assert reads == [1]


def test_columns_are_kept_when_the_source_is_gone(tmp_path: Path) -> None:
    sarif = json.loads(render("sarif", result_of([finding(line=3, column=8, end_column=14)]), tmp_path))
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startColumn"], region["endColumn"]) == (8, 14)


def test_paths_are_uri_encoded(tmp_path: Path) -> None:
    sarif = json.loads(render("sarif", result_of([finding(path="my notes/100% #1.md")]), tmp_path))
    validate(sarif)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20notes/100%25%20%231.md"


def test_a_file_name_that_is_not_utf8_is_percent_encoded_byte_for_byte(tmp_path: Path) -> None:
    odd = os.fsdecode(b"bad \xff.md")  # its byte escaped as a lone surrogate, which UTF-8 cannot encode
    sarif = json.loads(render("sarif", result_of([finding(path=odd), finding(path="ok.md")]), tmp_path))
    validate(sarif)
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]]
    assert uris == ["bad%20%FF.md", "ok.md"]


def test_fingerprints_survive_inserted_lines(tmp_path: Path) -> None:
    source = (FIXTURES / "rules/schema/unknown-key/fail/what-is-anemia.md").read_text(encoding="utf-8")
    content = tmp_path / "content"
    write(content, "what-is-anemia.md", source)
    before = lint_to(content, "sarif", tmp_path / "before", "--select", "schema/unknown-key")
    first = json.loads((tmp_path / "before/report.sarif").read_text())["runs"][0]["results"]
    write(content, "what-is-anemia.md", source.replace("---\n", "---\n# reviewed\n# again\n", 1))
    after = lint_to(content, "sarif", tmp_path / "after", "--select", "schema/unknown-key")
    second = json.loads((tmp_path / "after/report.sarif").read_text())["runs"][0]["results"]
    assert [f["line"] + 2 for f in before["findings"]] == [f["line"] for f in after["findings"]]
    assert [r["partialFingerprints"] for r in first] == [r["partialFingerprints"] for r in second]


def test_identical_findings_get_distinct_fingerprints(tmp_path: Path) -> None:
    sarif = json.loads(render("sarif", result_of([finding(line=1), finding(line=9), finding(path="b.md")]),
                              tmp_path))
    prints = [r["partialFingerprints"]["contentlint/v1"] for r in sarif["runs"][0]["results"]]
    assert len(set(prints)) == 3


@pytest.mark.parametrize("count", [0, 1, 2_345])
def test_the_streamed_log_is_the_log(tmp_path: Path, count: int) -> None:
    """Results are written one by one, a thousand at a time, inside the log that json.dumps writes around
    them: it reads back as the log built whole (also with no result, or a partial last batch)."""
    findings = sorted((finding(path=f"{n % 7}.md", line=n // 7 + 1) for n in range(count)),
                      key=lambda f: (f["path"], f["line"]))
    result = result_of(findings)
    context = ReportContext(root=tmp_path, rules=registry.all_rules())
    written = render("sarif", result, tmp_path)
    assert json.loads(written) == to_sarif(result, context)
    validate(json.loads(written))
    assert len({r["partialFingerprints"]["contentlint/v1"] for r in json.loads(written)["runs"][0]["results"]}) == count
