"""--fix and --diff: fixes change only the bytes they are about, are written atomically, never over a file
that changed on disk, and a second run finds nothing more to fix."""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from lint import runner
from lint.cli import main
from lint.rule import Edit
from lint.runner import apply_edits, write_if_unchanged

from .conftest import FIXTURES, lint_json, run_cli, write

SEED_001 = "how-does-organ-infiltration-present-in-leukemia.md"
MOJIBAKE, REPAIRED = "Hereâ€™s".encode(), "Here’s".encode()


def seed_001(root: Path, crlf: bool = False, bom: bool = False) -> tuple[Path, bytes]:
    data = (FIXTURES / SEED_001).read_bytes()
    if crlf:
        data = data.replace(b"\n", b"\r\n")
    if bom:
        data = b"\xef\xbb\xbf" + data
    return write(root, SEED_001, data), data


def check(root: Path, *args: str) -> list[str]:
    return ["check", str(root), "--root", str(root), "--jobs", "1", "--format", "json", "--no-cache", *args]


@pytest.mark.parametrize(("crlf", "bom"), [(False, False), (True, False), (False, True)],
                         ids=["lf", "crlf", "bom"])
def test_fix_changes_only_the_mojibake_bytes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             crlf: bool, bom: bool) -> None:
    path, original = seed_001(tmp_path, crlf, bom)
    assert original.count(MOJIBAKE) == 1
    run_cli(check(tmp_path, "--fix"), capsys)
    assert path.read_bytes() == original.replace(MOJIBAKE, REPAIRED)
    code, out, err = run_cli(check(tmp_path, "--diff"), capsys)  # a second run: nothing left to fix
    assert (code, out) == (0, "")
    assert "0 fixes would be applied" in err


def test_fix_reports_what_it_changed_and_the_findings_that_remain(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed_001(tmp_path)
    code, out, err = run_cli(check(tmp_path, "--fix", "--select", "encoding"), capsys)
    assert f"fixed {SEED_001}: encoding/mojibake (1)" in err
    assert "applied 1 fix" in err
    assert code == 0 and '"findings": []' in out


def test_fix_keeps_the_file_permissions_and_leaves_no_temporary_file(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, _ = seed_001(tmp_path)
    path.chmod(0o640)
    run_cli(check(tmp_path, "--fix"), capsys)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [SEED_001]


def test_an_interrupted_write_leaves_the_article_as_it_was(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path, original = seed_001(tmp_path)

    def interrupted(source: str, target: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    code, _, err = run_cli(check(tmp_path, "--fix"), capsys)
    assert code == 2 and "interrupted" in err
    assert path.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [SEED_001]


def test_a_file_changed_on_disk_during_the_check_is_not_overwritten(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = seed_001(tmp_path)
    edited = b"---\ntitle: saved by an editor meanwhile\n---\nHere\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s\n"
    real_check = runner.check_document

    def check_while_an_editor_saves(*args: object, **kwargs: object) -> object:
        path.write_bytes(edited)
        return real_check(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(runner, "check_document", check_while_an_editor_saves)
    code, _, err = run_cli(check(tmp_path, "--fix"), capsys)
    assert path.read_bytes() == edited
    assert f"{SEED_001}: the file changed on disk while it was being checked; fixes not written" in err
    assert code == 1  # the findings of the file as it was checked remain


def test_write_if_unchanged_compares_the_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"old\n")
    assert write_if_unchanged(path, b"other\n", b"new\n") is not None
    assert path.read_bytes() == b"old\n"
    assert write_if_unchanged(path, b"old\n", b"new\n") is None
    assert path.read_bytes() == b"new\n"


def test_write_if_unchanged_reports_an_unwritable_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "a.txt", b"old\n")

    def read_only(**kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(runner.tempfile, "mkstemp", read_only)
    assert write_if_unchanged(path, b"old\n", b"new\n") == "cannot write the fixes: Permission denied"
    assert path.read_bytes() == b"old\n"


def test_diff_shows_the_fixes_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path, original = seed_001(tmp_path)
    code, out, err = run_cli(check(tmp_path, "--diff"), capsys)
    assert code == 1
    assert path.read_bytes() == original
    assert out.startswith(f"--- a/{SEED_001}\n+++ b/{SEED_001}\n@@ -18,7 +18,7 @@\n")
    removed = [line for line in out.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line for line in out.splitlines() if line.startswith("+") and not line.startswith("+++")]
    assert len(removed) == len(added) == 1
    assert removed[0].replace("Hereâ€™s", "Here’s")[1:] == added[0][1:]
    assert "1 fix would be applied to 1 file" in err
    code, _, _ = run_cli(check(tmp_path, "--diff", "--exit-zero"), capsys)
    assert code == 0


def test_diff_marks_a_missing_final_newline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "notes.txt", "Notes\n\ncafÃ©")
    _, out, _ = run_cli(check(tmp_path, "--diff"), capsys)
    assert out.endswith("-cafÃ©\n\\ No newline at end of file\n+café\n\\ No newline at end of file\n")


def test_diff_lines_are_split_as_patch_reads_them(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A line holding \\r, \\f or U+2028 is one line of the patch (splitlines cut it in two: "malformed patch")."""
    before = "Old Mac\rline &amp; x\nnext\x0cpage &amp; y\u2028z\n"
    write(tmp_path, "page.txt", before)
    _, out, _ = run_cli(check(tmp_path, "--diff", "--select", "boilerplate/html-entity"), capsys)
    header, _, hunk = out.partition("@@ -1,2 +1,2 @@\n")
    assert header == "--- a/page.txt\n+++ b/page.txt\n"
    lines = hunk.split("\n")
    assert lines.pop() == "" and all(line[:1] in "-+" for line in lines)
    assert "".join(line[1:] + "\n" for line in lines if line[0] == "-") == before
    assert "".join(line[1:] + "\n" for line in lines if line[0] == "+") == before.replace("&amp;", "&")


def _apply_comparing_all(text: str, fixes: list[tuple[Edit, ...]]) -> tuple[str, list[int]]:
    """apply_edits as specified: each fix is compared with every edit taken before it."""
    accepted: list[Edit] = []
    taken: list[int] = []
    for index, edits in enumerate(fixes):
        if any((a.start < b.end and b.start < a.end) or a.start == b.start for a in edits for b in accepted):
            continue
        accepted.extend(edits)
        taken.append(index)
    out, last = [], 0
    for edit in sorted(accepted, key=lambda e: (e.start, e.end)):
        out += [text[last : edit.start], edit.text]
        last = edit.end
    return "".join([*out, text[last:]]), taken


@settings(max_examples=300, deadline=None)
@given(st.text("abcdef", max_size=30),
       st.lists(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 4), st.text("XY", max_size=3)),
                         min_size=1, max_size=3), max_size=12))
def test_apply_edits_takes_the_fixes_a_comparison_with_all_taken_edits_would(
        text: str, drawn: list[list[tuple[int, int, str]]]) -> None:
    """apply_edits compares an edit with its neighbours among the taken ones only (a page of 80,000 fixable
    entities took 133 s comparing with all): the fixes taken and the text made are the same."""
    fixes = []
    for group in drawn:
        edits: list[Edit] = []
        for start, width, replacement in sorted(group):
            start = min(start, len(text))
            edit = Edit(start, min(start + width, len(text)), replacement)
            if not any((edit.start < e.end and e.start < edit.end) or edit.start == e.start for e in edits):
                edits.append(edit)  # a rule's own edits never overlap
        fixes.append(tuple(edits))
    assert apply_edits(text, fixes) == _apply_comparing_all(text, fixes)


def test_fixes_of_several_rules_are_applied_together_and_settle(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "page.txt",
                 "Iron &amp; folate\r\n\r\nThe clinicâ€™s nurses check leu\u200bkemia.\r\n\r\n\r\n\r\n\r\nEnd.\r\n\r\n")
    code, result = lint_json(tmp_path, capsys, "--fix", "--select", "encoding,boilerplate")
    assert path.read_bytes() == "Iron & folate\r\n\r\nThe clinic’s nurses check leukemia.\r\n\r\n\r\nEnd.\r\n".encode()
    assert result["findings"] == [] and code == 0


def test_unsafe_fixes_wait_for_unsafe_fixes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "page.txt", "Skip to main content\nAnemia is common.\n")
    lint_json(tmp_path, capsys, "--fix", "--select", "boilerplate/scrape-residue")
    assert path.read_text() == "Skip to main content\nAnemia is common.\n"
    lint_json(tmp_path, capsys, "--fix", "--unsafe-fixes", "--select", "boilerplate/scrape-residue")
    assert path.read_text() == "Anemia is common.\n"


def test_a_file_with_undecodable_bytes_is_never_rewritten(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = "The clinicâ€™s nurses\n".encode() + b"caf\xe9\n"
    path = write(tmp_path, "page.txt", data)
    lint_json(tmp_path, capsys, "--fix")
    assert path.read_bytes() == data


def test_overlapping_fixes_are_applied_one_at_a_time() -> None:
    text, taken = apply_edits("abcdef", [(Edit(1, 3, "X"),), (Edit(2, 4, "Y"),), (Edit(4, 5, "Z"),)])
    assert (text, taken) == ("aXdZf", [0, 2])


def test_a_run_killed_at_random_points_leaves_each_file_old_or_new(tmp_path: Path) -> None:
    """SIGKILL a fixing run at random moments: each article is then byte for byte the original or the fixed
    one, never a mix or a truncation (temporary files are written beside it and renamed into place)."""
    import random
    import signal
    import subprocess
    import sys
    import time

    seed = (FIXTURES / "how-does-organ-infiltration-present-in-leukemia.md").read_bytes()
    originals = {f"article-{n:03}.md": seed.replace(b"Here", b"Here" * (1 + n % 3), 1) * 40 for n in range(40)}
    reference = tmp_path / "reference"
    for name, data in originals.items():
        write(reference, name, data)
    fix = [sys.executable, "-m", "lint", "check", ".", "--root", ".", "--fix", "--no-cache", "--jobs", "1",
           "--select", "encoding/mojibake", "--exit-zero", "-q", "--format", "json", "--output", os.devnull]
    started = time.monotonic()
    subprocess.run(fix, cwd=reference, check=True, timeout=600)
    duration = time.monotonic() - started  # kills land between start-up and the end of such a run
    fixed = {name: (reference / name).read_bytes() for name in originals}
    assert all(fixed[name] != originals[name] for name in originals)
    rng = random.Random(20261124)
    interrupted = 0
    for attempt in range(8):
        work = tmp_path / f"run{attempt}"
        for name, data in originals.items():
            write(work, name, data)
        process = subprocess.Popen(fix, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.4, 0.95) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        states = set()
        for name in originals:
            now = (work / name).read_bytes()
            assert now in (originals[name], fixed[name]), (attempt, name)
            states.add(now == fixed[name])
        interrupted += states == {True, False}  # killed in the middle of the run, between two files
        leftovers = [p.name for p in work.iterdir() if p.name not in originals]
        assert all(p.startswith(".") and p.endswith(".tmp") for p in leftovers), leftovers
    assert interrupted >= 2  # the kills did land while files were being fixed


# Fixable pieces and what --fix --unsafe-fixes makes of each, anywhere in a line: next to each other, at the
# file's start and end, with LF or CRLF, with or without a BOM and a final newline.
PIECES = {"&amp;": "&", "&nbsp;": "\xa0", "&lt;": "<", "&#8217;": "\u2019", "&#0;": "&#0;", "\x07": "", "\x1b": "",
          "leu\u200bkemia": "leukemia", "it\u00e2\u20ac\u2122s": "it\u2019s", "\x0c": "\n",
          "&amp;amp;": "&", "caf\u00c3\u00a9": "caf\u00e9", "\ufeff": "", "\u2028": "\u2028"}
FIX_RULES = "boilerplate/html-entity,encoding/control-char,encoding/mojibake"
line_pieces = st.lists(st.sampled_from([*PIECES, "word", "Blood", " ", "."]), max_size=8)


@settings(max_examples=100, deadline=None)
@given(st.lists(line_pieces, min_size=1, max_size=4), st.sampled_from(["\n", "\r\n"]), st.booleans(), st.booleans())
def test_fixes_keep_every_other_character_once_and_settle(lines: list[list[str]], newline: str, bom: bool,
                                                          final_newline: bool) -> None:
    def join(repair: bool) -> str:  # "Note: " first: a lone &nbsp; line opening a page is a publishing convention
        text = "Note: " + newline.join("".join(PIECES.get(piece, piece) if repair else piece for piece in line)
                            for line in lines)
        return text + newline if final_newline else text

    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        path = write(root, "page.txt", b"\xef\xbb\xbf" * bom + join(repair=False).encode())
        for _ in range(2):  # the second run has nothing left to fix
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                main(check(root, "--select", FIX_RULES, "--fix", "--unsafe-fixes"))
            assert path.read_bytes() == b"\xef\xbb\xbf" * bom + join(repair=True).encode()


YAML_PIECES = ["&amp;", "&nbsp;", "&lt;", "&#35;", "&quot;", "&#39;", "&#58;", "&#92;", "\x07", "\u200b",
               "it\u00e2\u20ac\u2122s", "word", " ", "#", ":", "'", '"', "\\", "x"]
yaml_values = st.lists(st.sampled_from(YAML_PIECES), min_size=1, max_size=6).map("".join)
YAML_STYLES = {"plain": lambda v: " " + v, "single": lambda v: " '" + v.replace("'", "''") + "'",
               "double": lambda v: ' "' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\x07", "\\a") + '"',
               "folded": lambda v: " >-\n  " + v, "literal": lambda v: " |-\n  " + v}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["title", "question", "answer"]), yaml_values,
                          st.sampled_from(sorted(YAML_STYLES))), min_size=1, max_size=3, unique_by=lambda f: f[0]),
       st.sampled_from(["\n", "\r\n"]))
def test_fixes_even_unsafe_ones_keep_the_front_matter_readable_and_settle(fields: list[tuple[str, str, str]],
                                                                          newline: str) -> None:
    text = "".join(f"{name}:{YAML_STYLES[style](value)}\n" for name, value, style in fields)
    keys = {name for name, _, _ in fields}
    try:
        if set(yaml.safe_load(text)) != keys:
            return  # a piece such as ": " made another key already: not a fixing question
    except yaml.YAMLError:
        return
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        path = write(root, "page.md", f"---\n{text}---\nBody.\n".replace("\n", newline).encode())
        fixed = []
        for _ in range(2):  # the second run has nothing left to fix
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                main(check(root, "--select", FIX_RULES, "--fix", "--unsafe-fixes"))
            fixed.append(path.read_bytes())
        assert fixed[0] == fixed[1]
        assert set(yaml.safe_load(fixed[0].decode().split("---")[1])) == keys  # it still reads, every key kept
