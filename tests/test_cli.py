"""The command line and the JSON contract, end to end on the fixtures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from .conftest import FIXTURES, REPO, lint_json, run_cli, write

SCHEMA = json.loads((Path(__file__).parent / "result.schema.json").read_text())
SEED_000 = "fixtures/what-are-the-key-changes-in-the-bone-marrow-associated-with-leukemia-pathophysiology.md"
SEED_001 = "fixtures/how-does-organ-infiltration-present-in-leukemia.md"


@pytest.fixture(scope="module")
def fixtures_result() -> dict:
    completed = subprocess.run([sys.executable, "-m", "lint", "check", "--format", "json", "fixtures/"],
                               cwd=REPO, capture_output=True, text=True, check=False)
    assert completed.returncode == 1, completed.stderr
    return json.loads(completed.stdout)


def test_json_output_matches_the_contract(fixtures_result: dict) -> None:
    jsonschema.validate(fixtures_result, SCHEMA)
    keys = [(f["path"], f["line"], f["column"]) for f in fixtures_result["findings"]]
    assert keys == sorted(keys)
    summary = fixtures_result["summary"]
    assert summary["findings"] == len(fixtures_result["findings"]) == sum(summary["by_rule"].values())
    assert summary["files"] == len(fixtures_result["files"])


def test_seeds_have_no_schema_errors(fixtures_result: dict) -> None:
    for finding in fixtures_result["findings"]:
        if finding["path"] in (SEED_000, SEED_001) and finding["category"] == "schema":
            assert finding["severity"] != "error", finding
    files = {f["path"]: f for f in fixtures_result["files"]}
    assert files[SEED_000]["schema"] == "default"
    assert files["fixtures/gard-bone-marrow-necrosis.txt"]["schema"] is None


def test_seed_000_subject_is_the_minority_spelling(fixtures_result: dict) -> None:
    (finding,) = [f for f in fixtures_result["findings"]
                  if f["rule"] == "schema/subject-spelling" and f["path"] == SEED_000]
    assert (finding["line"], finding["column"], finding["field"]) == (20, 10, "subject")
    assert finding["suggestion"] == "Health Studies"


def test_text_output_shows_source_and_caret(capsys: pytest.CaptureFixture[str]) -> None:
    root = FIXTURES / "rules/schema/unknown-key/fail"
    code, out, _ = run_cli(["check", str(root), "--root", str(root), "--select", "schema"], capsys)
    assert code == 1
    assert "15:1  warning unknown key 'auther' for schema 'default'; did you mean 'author'?" in out
    assert "    15 │ auther: QuickTakes\n       │ ^^^^^^\n" in out
    assert "Found 1 finding (1 warning) in 1 file." in out


def test_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "notes.txt", "Plain and fine.\n")
    assert lint_json(tmp_path, capsys)[0] == 0
    write(tmp_path, "bad.md", "no front matter\n")
    assert lint_json(tmp_path, capsys)[0] == 1
    assert lint_json(tmp_path, capsys, "--exit-zero")[0] == 0
    assert lint_json(tmp_path, capsys, "--ignore", "schema/missing-front-matter")[0] == 0
    code, _, err = run_cli(["check", str(tmp_path), "--select", "nonsense/rule"], capsys)
    assert code == 2 and "unknown rule or category 'nonsense/rule'" in err


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(["rules"], capsys)
    assert code == 0 and "schema/missing-field" in out and "encoding/invalid-utf8" in out
    code, out, _ = run_cli(["explain", "schema/unknown-key"], capsys)
    assert code == 0 and "**Why it matters:**" in out and "**Example:**" in out
    code, _, err = run_cli(["explain", "schema/unknown-keys"], capsys)
    assert code == 2 and "did you mean schema/unknown-key" in err


def test_several_formats_go_to_an_output_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = write(tmp_path / "c", "bad.md", "no front matter\n").parent
    code, out, _ = run_cli(["check", str(content), "--root", str(content), "--format", "text,json",
                            "--output-dir", str(tmp_path / "reports")], capsys)
    assert code == 1
    assert "bad.md" in out  # the text report is printed as well
    assert json.loads((tmp_path / "reports/contentlint.json").read_text())["summary"]["findings"] == 1
    assert "bad.md" in (tmp_path / "reports/contentlint.txt").read_text()


def test_fix_rewrites_only_the_value(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = (FIXTURES / "rules/schema/url-mismatch/fail/what-is-anemia.md").read_text()
    path = write(tmp_path, "what-is-anemia.md", source)
    code, result = lint_json(tmp_path, capsys, "--select", "schema/url-mismatch", "--fix")
    assert code == 1 and path.read_text() == source  # the url fix is unsafe: --fix alone leaves it
    code, result = lint_json(tmp_path, capsys, "--select", "schema/url-mismatch", "--fix", "--unsafe-fixes")
    assert code == 0 and result["findings"] == []
    fixed = path.read_text()
    assert fixed == source.replace("questions/what-is-anaemia", "questions/what-is-anemia")


def test_parallel_run_gives_the_same_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(70):
        write(tmp_path, f"doc{number:02}.md", "no front matter\n" if number % 3 else "---\ntitle: x\n---\n")
    _, serial = lint_json(tmp_path, capsys, "--jobs", "1")
    _, parallel = lint_json(tmp_path, capsys, "--jobs", "2")
    assert serial == parallel
    assert serial["summary"]["files"] == 70


def test_parallel_runs_answer_corpus_questions_as_a_serial_run(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Workers read the corpus index from its database: forked before it exists (nothing cached yet), or
    after it was built (a cache to reuse), they must give the serial run's link findings."""
    for number in range(80):
        target = (number + 1) % 80 if number % 7 else 999  # every seventh links to an article that is not there
        write(tmp_path, f"a{number:02}.md", (
            f"---\nid: {1000 + number}\ntitle: Article {number}\nsubject: Health Studies\nfile_name: a{number:02}.md\n"
            f"url: /q/a{number:02}\nrelated_article1:\n    id: {1000 + target}\n    title: Article {target}\n"
            f"    subject: Health Studies\n    url: /q/a{target:02}\n---\nAnswer.\n"))
    _, serial = lint_json(tmp_path, capsys, "--select", "links")
    missing = [f for f in serial["findings"] if f["rule"] == "links/missing-target"]
    assert len(missing) == 12
    for use_cache in (True, True, False):  # an empty cache (early workers), a full one, none
        _, parallel = lint_json(tmp_path, capsys, "--select", "links", "--jobs", "2", use_cache=use_cache)
        assert parallel == serial
        write(tmp_path, "a00.md", (tmp_path / "a00.md").read_text() + "More.\n")  # the next run checks a file
        _, serial = lint_json(tmp_path, capsys, "--select", "links")


def test_jobs_are_a_whole_number_from_one_and_at_most_four_per_cpu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from lint import cli, runner

    write(tmp_path, "a.txt", "text\n")
    for bad in ("0", "-3", "x"):
        with pytest.raises(SystemExit) as usage:
            run_cli(["check", str(tmp_path), "--jobs", bad], capsys)
        assert usage.value.code == 2 and "argument --jobs/-j" in capsys.readouterr().err
    asked: list[int] = []
    real = runner.RunOptions

    def options(**kwargs):  # type: ignore[no-untyped-def]
        asked.append(kwargs["jobs"])
        return real(**kwargs)

    monkeypatch.setattr(cli, "RunOptions", options)
    monkeypatch.setattr(cli, "default_jobs", lambda: 2)
    for command in (["check", "--no-cache"], ["baseline", "--no-cache"]):  # 100000 forked 100,000 workers at once
        run_cli([*command, "--root", str(tmp_path), str(tmp_path), "--jobs", "100000"], capsys)
    assert asked == [8, 8]


def test_a_report_that_cannot_be_written_is_an_error_naming_it(tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "site/a.txt", "text\n")
    write(tmp_path, "taken", "a file where the reports' directory should be\n")
    site = tmp_path / "site"
    check = ["check", str(site), "--root", str(site), "--no-cache", "--format", "json", "--exit-zero"]
    cases = [("--output", tmp_path / "no" / "such" / "dir.json"), ("--output", tmp_path),
             ("--output-dir", tmp_path / "taken")]
    if Path("/dev/full").exists():
        cases.append(("--output", Path("/dev/full")))  # a full disk
    for option, target in cases:  # each was a traceback, after the whole run
        code, _, err = run_cli([*check, option, str(target)], capsys)
        assert code == 2 and "cannot write the report" in err and str(target) in err and "Traceback" not in err, err
    assert run_cli([*check, "--output", str(tmp_path / "result.json")], capsys)[0] == 0
    code, _, err = run_cli(["merge", str(tmp_path / "result.json"), "--output", str(tmp_path)], capsys)
    assert code == 2 and "cannot write the report" in err and "Traceback" not in err, err
