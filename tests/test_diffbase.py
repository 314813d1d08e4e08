"""Changed-lines mode: `check --diff-base REF` reports only what a change touched, in a real git repository."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from lint.diffbase import parse_diff

from .articles import article
from .conftest import run_cli

BODY = (b"Paragraph one has a bad byte: don\x92t.\n\nParagraph two has a bad byte: can\x92t.\n\n"
        b"Paragraph three has a bad byte: won\x92t.\n")


def git(root: Path, *args: str) -> str:
    completed = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                                "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", *args],
                               cwd=root, check=True, capture_output=True, text=True)
    return completed.stdout


def check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[dict], str]:
    code, out, err = run_cli(["check", str(root), "--root", str(root), "--format", "json", "--jobs", "1",
                              "--no-cache", *extra], capsys)
    return code, (json.loads(out)["findings"] if out else []), err


def line_of(path: Path, needle: bytes) -> int:
    return path.read_bytes()[: path.read_bytes().index(needle)].count(b"\n") + 1


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: an article with three bad paragraphs and a too-short description, and a second article."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "what-is-anemia.md").write_bytes(
        article(960001, "what-is-anemia", description="Too short.", body="").encode() + BODY)
    (root / "what-causes-anemia.md").write_text(article(960002, "what-causes-anemia", title="What causes anemia?"))
    (root / "contentlint.toml").write_text('select = ["schema", "encoding"]\n')  # exact findings, whatever prose rules
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    git(root, "checkout", "-q", "-b", "feature")
    return root


def edit_paragraph_two(root: Path) -> Path:
    path = root / "what-is-anemia.md"
    path.write_bytes(path.read_bytes().replace(b"Paragraph two has a bad byte: can\x92t.",
                                               b"Paragraph two, edited, still has a bad byte: can\x92t."))
    return path


def test_only_the_touched_paragraph_is_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edit_paragraph_two(repo)
    code, everything, _ = check(repo, capsys)
    assert code == 1 and len(everything) == 4  # three bad bytes and the description
    git(repo, "commit", "-qam", "edit paragraph two")
    code, findings, err = check(repo, capsys, "--diff-base", "main")
    assert code == 1 and "3 findings on lines not changed since main not shown" in err
    assert [(f["rule"], f["line"]) for f in findings] == [
        ("encoding/invalid-utf8", line_of(path, b"Paragraph two"))]


def test_uncommitted_edits_count_as_changes(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = edit_paragraph_two(repo)
    _, findings, _ = check(repo, capsys, "--diff-base", "main")
    assert [f["line"] for f in findings] == [line_of(path, b"Paragraph two")]


def test_no_change_no_findings(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, findings, err = check(repo, capsys, "--diff-base", "main")
    assert (code, findings) == (0, []) and "no file to check changed since main" in err


def test_document_level_findings_of_changed_documents_are_kept(repo: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "what-causes-anemia.md"
    path.write_text(path.read_text().replace("author: QuickTakes\n", ""))
    _, findings, _ = check(repo, capsys, "--diff-base", "main")
    assert [(f["path"], f["rule"], f["line"], f["column"]) for f in findings] == [
        ("what-causes-anemia.md", "schema/missing-field", 1, 1)]


def test_corpus_rules_still_see_the_whole_corpus(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "what-causes-anemia.md"
    path.write_text(path.read_text().replace("id: 960002", "id: 960001"))  # the unchanged article's id
    _, findings, _ = check(repo, capsys, "--diff-base", "main")
    assert [(f["path"], f["rule"]) for f in findings] == [("what-causes-anemia.md", "schema/duplicate-id")]
    assert "what-is-anemia.md" in findings[0]["message"]


def test_new_and_untracked_files_are_reported_whole(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "notes.txt").write_bytes(b"one \x92\n\ntwo \x92\n")
    _, findings, _ = check(repo, capsys, "--diff-base", "main")
    assert [(f["path"], f["line"]) for f in findings] == [("notes.txt", 1), ("notes.txt", 3)]


def test_the_baseline_still_applies(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = repo / "what-is-anemia.md"
    long_line = b"Paragraph three has a bad byte: won\x92t, then a long stretch of ordinary words."
    path.write_bytes(path.read_bytes().replace(b"Paragraph three has a bad byte: won\x92t.", long_line))
    assert run_cli(["baseline", str(repo), "--root", str(repo), "--no-cache"], capsys)[0] == 0
    path.write_bytes(path.read_bytes().replace(long_line, long_line + b" A new \x92 one."))
    _, findings, _ = check(repo, capsys, "--diff-base", "main")  # the line holds a known and a new finding
    assert [(f["line"], f["column"]) for f in findings] == [(line_of(path, b"Paragraph three"), len(long_line) + 8)]


@pytest.mark.parametrize("ref", ["no-such-branch", "origin/main", "HEAD~5", "-p", "main^{tree}"])
def test_a_ref_that_is_not_a_commit_is_an_error(repo: Path, capsys: pytest.CaptureFixture[str], ref: str) -> None:
    code, findings, err = check(repo, capsys, f"--diff-base={ref}")
    assert code == 2 and findings == []
    assert "--diff-base" in err and ref in err


def test_outside_a_repository_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("fine\n")
    code, _, err = check(tmp_path, capsys, "--diff-base", "main")
    assert code == 2 and "needs a git repository" in err


def test_a_shallow_clone_with_the_base_fetched(repo: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    path = edit_paragraph_two(repo)
    git(repo, "commit", "-qam", "edit paragraph two")
    clone = tmp_path / "ci"
    git(tmp_path, "clone", "-q", "--depth=1", "--branch", "feature", f"file://{repo}", str(clone))
    code, _, err = check(clone, capsys, "--diff-base", "origin/main")
    assert code == 2 and "shallow" in err and "git fetch" in err  # the base is not fetched yet
    git(clone, "fetch", "-q", "--depth=1", "origin", "main:refs/remotes/origin/main")
    code, findings, err = check(clone, capsys, "--diff-base", "origin/main")
    assert code == 1, err
    assert [f["line"] for f in findings] == [line_of(path, b"Paragraph two")]


DIFF = '''diff --git a/kept.md b/kept.md
index 1..2 100644
--- a/kept.md
+++ b/kept.md
@@ -3 +3 @@ title
-old
+new
@@ -10,2 +10,3 @@
-a
-b
+a
+b
+c
@@ -20,2 +21,0 @@
-gone
-gone
diff --git a/new.md b/new.md
new file mode 100644
--- /dev/null
+++ b/new.md
@@ -0,0 +1,2 @@
+x
+y
diff --git a/deleted.md b/deleted.md
deleted file mode 100644
--- a/deleted.md
+++ /dev/null
@@ -1 +0,0 @@
-x
diff --git a/old name.md b/new name.md
similarity index 100%
rename from old name.md
rename to new name.md
diff --git "a/tab\\there.md" "b/tab\\there.md"
--- "a/tab\\there.md"
+++ "b/tab\\there.md"
@@ -1 +1 @@
-x
+y
diff --git "a/caf\\303\\251.md" "b/caf\\303\\251.md"
--- "a/caf\\303\\251.md"
+++ "b/caf\\303\\251.md"
@@ -2,0 +3 @@
+z
'''


def test_parse_diff() -> None:
    assert parse_diff(DIFF) == {
        "kept.md": {3, 10, 11, 12, 21, 22},  # a pure deletion touches the lines on either side of it
        "new.md": None,
        "new name.md": set(),
        "tab\there.md": {1},
        "café.md": {3},
    }
