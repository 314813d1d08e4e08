"""The baseline: known findings stay hidden across unrelated edits; new ones fail; a bad file is an error."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from lint.baseline import BASELINE_NAME, SourceText, fingerprint
from lint.result import Finding
from lint.rule import Severity

from .conftest import FIXTURES, run_cli, write

SEED = "fixtures/how-does-organ-infiltration-present-in-leukemia.md"
NOTES = "notes/anemia-notes.txt"


def check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, dict, str]:
    code, out, err = run_cli(["check", "--root", str(root), "--format", "json", "--jobs", "1", "--no-cache",
                              *extra, str(root)], capsys)
    return code, json.loads(out), err


def record(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    code, _, err = run_cli(["baseline", "--root", str(root), "--jobs", "1", "--no-cache", *extra, str(root)], capsys)
    return code, err


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A copy of fixtures/ plus a plain-text page with an invalid byte in its second paragraph."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES, root / "fixtures")
    write(root, NOTES, b"Anemia is common.\n\nIt don\x92t always cause symptoms.\n\nSee a doctor when tired.\n")
    return root


@pytest.fixture
def baselined(corpus: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    code, err = record(corpus, capsys)
    assert code == 0, err
    return corpus


def recorded(root: Path) -> int:
    files = json.loads((root / BASELINE_NAME).read_text())["files"]
    return sum(item["count"] for entry in files.values() for item in entry["findings"])


def test_baseline_then_check_passes(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, result, _ = check(baselined, capsys, "--no-baseline")
    total = result["summary"]["findings"]
    assert code == 1 and total == recorded(baselined) >= 20
    code, result, err = check(baselined, capsys)
    assert (code, result["findings"]) == (0, [])
    assert f"{total} known findings hidden by .contentlint-baseline.json" in err


@pytest.mark.parametrize(("defect", "rule", "column"), [
    ("It\u00e2\u20ac\u2122s posted on", "encoding/mojibake", 17),  # "It’s" decoded as Windows-1252
    ("Posted\udc92on", "encoding/invalid-utf8", 21),  # a Windows-1252 byte in a UTF-8 file
])
def test_a_new_defect_is_the_only_finding(baselined: Path, capsys: pytest.CaptureFixture[str], defect: str,
                                          rule: str, column: int) -> None:
    seed = baselined / SEED  # in a field that is not prose, so that only the encoding rules read it
    text = seed.read_text(encoding="utf-8").replace("post_on_text: Posted on", f"post_on_text: {defect}", 1)
    seed.write_bytes(text.encode("utf-8", "surrogateescape"))
    code, result, _ = check(baselined, capsys)
    assert code == 1
    [finding] = result["findings"]
    assert (finding["path"], finding["rule"], finding["field"]) == (SEED, rule, "post_on_text")
    assert (finding["line"], finding["column"]) == (10, column)


def test_ten_lines_inserted_above_keep_findings_baselined(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed = baselined / SEED  # its description-length finding is on line 14
    seed.write_text(seed.read_text().replace("---\n", "---\n" + "# editorial note\n" * 10, 1))
    notes = baselined / NOTES
    notes.write_bytes(b"\n" * 10 + notes.read_bytes())
    code, result, err = check(baselined, capsys, "--no-baseline")
    lines = {f["path"]: f["line"] for f in result["findings"]
             if (f["path"], f["rule"]) in ((SEED, "schema/description-length"), (NOTES, "encoding/invalid-utf8"))}
    assert lines == {SEED: 24, NOTES: 13}  # the findings did move
    code, result, err = check(baselined, capsys)
    assert (code, result["findings"]) == (0, []), err


def test_a_moved_paragraph_keeps_its_finding_baselined(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = baselined / NOTES
    notes.write_bytes(b"Anemia is common.\n\nSee a doctor when tired.\n\nIt don\x92t always cause symptoms.\n")
    assert check(baselined, capsys)[0] == 0


def test_editing_the_flagged_text_makes_the_finding_new(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = baselined / NOTES
    notes.write_bytes(notes.read_bytes().replace(b"It don\x92t always", b"It doesn\x92t always"))
    code, result, err = check(baselined, capsys)
    assert code == 1 and {f["path"] for f in result["findings"]} == {NOTES}  # (a speller may add "doesn")
    assert ("encoding/invalid-utf8", 3) in [(f["rule"], f["line"]) for f in result["findings"]]
    assert "recorded in .contentlint-baseline.json no longer occur" in err


def test_a_second_copy_of_a_known_defect_is_new(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = baselined / NOTES
    notes.write_bytes(notes.read_bytes() + b"\nIt don\x92t always cause symptoms.\n")
    code, result, _ = check(baselined, capsys)
    assert code == 1 and [(f["path"], f["line"]) for f in result["findings"]] == [(NOTES, 7)]


def test_a_renamed_file_with_the_same_content_stays_baselined(baselined: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    (baselined / NOTES).rename(baselined / "notes/renamed-notes.txt")
    assert check(baselined, capsys)[0] == 0


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=root, check=True,
                   capture_output=True)


def test_a_git_rename_with_edits_stays_baselined(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _git(baselined, "init", "-q", "-b", "main")
    _git(baselined, "add", "-A")
    _git(baselined, "commit", "-q", "-m", "corpus and baseline")
    _git(baselined, "mv", NOTES, "notes/renamed-notes.txt")
    renamed = baselined / "notes/renamed-notes.txt"
    renamed.write_bytes(renamed.read_bytes().replace(b"when tired", b"when you are tired"))
    code, result, err = check(baselined, capsys)
    assert (code, result["findings"]) == (0, []), err
    _git(baselined, "add", "-A")
    _git(baselined, "commit", "-q", "-m", "rename")
    assert check(baselined, capsys)[0] == 0  # committed renames are followed too


def test_without_git_a_renamed_and_edited_file_is_new(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    renamed = baselined / "notes/renamed-notes.txt"
    (baselined / NOTES).rename(renamed)
    renamed.write_bytes(renamed.read_bytes().replace(b"when tired", b"when you are tired"))
    code, result, _ = check(baselined, capsys)
    assert code == 1 and [f["path"] for f in result["findings"]] == ["notes/renamed-notes.txt"]


def test_update_drops_fixed_findings_and_never_adds(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = json.loads((baselined / BASELINE_NAME).read_text())
    notes = baselined / NOTES
    notes.write_bytes(notes.read_bytes().replace(b"don\x92t", b"doesn't"))  # fixed
    seed = baselined / SEED
    seed.write_bytes(seed.read_bytes().replace(b"Posted on", b"Posted\x92on", 1))  # new
    total = recorded(baselined)
    code, err = record(baselined, capsys, "--update")
    assert code == 0 and f"{total - 1} kept, 1 dropped" in err and "1 new finding not added" in err
    after = json.loads((baselined / BASELINE_NAME).read_text())
    assert set(before["files"]) - set(after["files"]) == {NOTES}
    assert after["files"][SEED]["findings"] == before["files"][SEED]["findings"]
    code, result, _ = check(baselined, capsys)
    assert code == 1 and [f["rule"] for f in result["findings"]] == ["encoding/invalid-utf8"]


def test_update_drops_deleted_files_and_follows_renames(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (baselined / SEED).unlink()
    (baselined / NOTES).rename(baselined / "notes/moved.txt")
    assert record(baselined, capsys, "--update")[0] == 0
    files = json.loads((baselined / BASELINE_NAME).read_text())["files"]
    assert SEED not in files and NOTES not in files and "notes/moved.txt" in files


def test_the_file_is_sorted_versioned_and_stable(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = baselined / BASELINE_NAME
    first = path.read_text()
    data = json.loads(first)
    assert data["version"] == 1 and list(data["files"]) == sorted(data["files"])
    for entry in data["files"].values():
        keys = [(item["rule"], item["fingerprint"]) for item in entry["findings"]]
        assert keys == sorted(keys)
    assert record(baselined, capsys)[0] == 0
    assert path.read_text() == first
    assert record(baselined, capsys, "--update")[0] == 0
    assert path.read_text() == first


def test_baseline_of_some_paths_keeps_the_other_entries(baselined: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = json.loads((baselined / BASELINE_NAME).read_text())["files"]
    notes = baselined / NOTES
    notes.write_bytes(notes.read_bytes() + b"\nMore \x92 here.\n")
    code, _, _ = run_cli(["baseline", "--root", str(baselined), "--no-cache", str(notes)], capsys)
    after = json.loads((baselined / BASELINE_NAME).read_text())["files"]
    assert code == 0 and set(after) == set(before)
    assert sum(item["count"] for item in after[NOTES]["findings"]) == 2


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "not valid JSON"),
    ("<<<<<<< HEAD\n{}\n=======\n{}\n>>>>>>> branch\n", "not valid JSON"),
    ('{"files": {}}', "not a contentlint baseline"),
    ('{"version": 0, "files": {}}', "format version 0, but this contentlint reads version 1"),
    ('{"version": 1, "files": {"a.md": {"content": "0000000000000000", "findings": '
     '[{"rule": "schema/no-such-rule", "fingerprint": "0123456789abcdef", "count": 1}]}}}', "unknown rule"),
    ('{"version": 1, "files": {"a.md": {"content": "0000000000000000", "findings": '
     '[{"rule": "schema/missing-field", "fingerprint": "line 12", "count": 1}]}}}', "malformed baseline"),
    ('{"version": 1, "files": {"a.md": {"content": "0000000000000000", "findings": '
     '[{"rule": "schema/missing-field", "fingerprint": "0123456789abcdef", "count": 0}]}}}', "malformed baseline"),
    ('{"version": 1, "files": {}, "files": {}}', "appears twice"),
    ('{"version": 1, "files": {"../outside.md": {"content": "0000000000000000", "findings": '
     '[{"rule": "schema/missing-field", "fingerprint": "0123456789abcdef", "count": 1}]}}}', "not a path relative"),
    ('{"version": 1, "files": {}, "ignore_everything": true}', "malformed baseline"),
])
def test_an_untrustworthy_baseline_is_an_error(baselined: Path, capsys: pytest.CaptureFixture[str],
                                               content: str, message: str) -> None:
    (baselined / BASELINE_NAME).write_text(content)
    code, _, err = run_cli(["check", "--root", str(baselined), "--no-cache", str(baselined)], capsys)
    assert code == 2 and message in err and "contentlint baseline" in err
    code, err = record(baselined, capsys, "--update")
    assert code == 2 and message in err
    code, err = record(baselined, capsys)  # rebuilding replaces it, and says so
    assert code == 0 and "replacing an unusable baseline" in err
    assert check(baselined, capsys)[0] == 0


def test_an_entry_whose_name_no_file_system_takes_is_no_error(baselined: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads((baselined / BASELINE_NAME).read_text())
    data["files"]["x" * 300 + ".md"] = data["files"][NOTES]  # past NAME_MAX: Path.is_file raised OSError
    (baselined / BASELINE_NAME).write_text(json.dumps(data))
    code, _, err = check(baselined, capsys)
    assert code == 0 and "Traceback" not in err, err
    code, err = record(baselined, capsys, str(baselined / "notes"))  # re-recording some paths keeps the others
    assert code == 0 and "x" * 300 + ".md" not in json.loads((baselined / BASELINE_NAME).read_text())["files"]


def test_update_without_a_baseline_is_an_error(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, err = record(corpus, capsys, "--update")
    assert code == 2 and "no baseline to update" in err


def _finding(line: int, column: int, rule: str = "encoding/invalid-utf8") -> Finding:
    return Finding("a.txt", rule, rule.split("/")[0], Severity.ERROR, "m", line, column, line, column + 1, None, "X",
                   None, None, {})


def test_fingerprint_ignores_line_numbers_but_not_the_text_around() -> None:
    first = fingerprint(_finding(1, 6), SourceText("It's X here.\n"))
    assert first == fingerprint(_finding(3, 6), SourceText("\n\nIt's X here.\n"))
    assert first == fingerprint(_finding(2, 10), SourceText("\n  It's   X here.\n"))  # whitespace-normalised
    assert first == fingerprint(_finding(1, 6), SourceText("It's X here.\n" + "a" * 40 + " other edit\n"))
    assert first != fingerprint(_finding(1, 6), SourceText("It's X there.\n"))
    assert first != fingerprint(_finding(1, 6, "schema/keywords"), SourceText("It's X here.\n"))
