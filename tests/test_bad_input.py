"""Bad input gives a clear finding or message, never a traceback, and other files are still linted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from .conftest import lint_json, run_cli, write

GOOD = "---\ntitle: x\n---\n"


def _findings(result: dict, path: str) -> list[str]:
    return [f["rule"] for f in result["findings"] if f["path"] == path]


@pytest.mark.parametrize(("name", "content", "rule"), [
    ("empty.md", b"", "schema/missing-front-matter"),
    ("unclosed.md", b"---\ntitle: x\n", "schema/unclosed-front-matter"),
    ("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "lint/binary-file"),
    ("latin1.txt", b"caf\xe9\n", "encoding/invalid-utf8"),
    ("bomb.md", ("---\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
        + "---\n").encode(), "schema/invalid-yaml"),
    ("deep.md", ("---\nx: " + "[" * 500 + "]" * 500 + "\n---\n").encode(), "schema/invalid-yaml"),
])
def test_bad_file_gets_a_finding_and_others_are_still_linted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, rule: str
) -> None:
    write(tmp_path, name, content)
    write(tmp_path, "other.md", "no front matter\n")
    code, out, err = run_cli(["check", str(tmp_path), "--root", str(tmp_path), "--format", "json"], capsys)
    assert "Traceback" not in err
    import json

    result = json.loads(out)
    assert rule in _findings(result, name)
    assert _findings(result, "other.md") == ["schema/missing-front-matter"]
    assert code == 1


def test_too_large_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "huge.md", b"a" * (20 * 1024 * 1024))
    write(tmp_path, "other.md", "no front matter\n")
    _, result = lint_json(tmp_path, capsys)
    assert _findings(result, "huge.md") == ["lint/too-large"]
    assert _findings(result, "other.md") == ["schema/missing-front-matter"]


def test_symlinks_loops_and_outside_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "outside"
    write(outside, "secret.md", "no front matter\n")
    root = tmp_path / "root"
    write(root, "ok.md", GOOD)
    os.symlink(root, root / "loop")  # a directory symlink loop
    os.symlink(outside / "secret.md", root / "leak.md")
    code, out, err = run_cli(["check", str(root), "--root", str(root), "--format", "json"], capsys)
    assert "leak.md: symlink to a file outside the content root; skipped" in err
    import json

    assert [f["path"] for f in json.loads(out)["files"]] == ["ok.md"]
    assert code == 1  # ok.md lacks required fields; the symlinks add nothing


def test_directory_without_matching_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "image.png", b"\x89PNG")
    code, out, _ = run_cli(["check", str(tmp_path), "--root", str(tmp_path)], capsys)
    assert code == 0
    assert "0 files checked" in out


def test_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                         monkeypatch: pytest.MonkeyPatch) -> None:
    locked = write(tmp_path, "locked.md", GOOD)
    write(tmp_path, "other.md", "no front matter\n")
    real_read = Path.read_bytes

    def read_bytes(self: Path) -> bytes:  # mode 000 does not stop root, so refuse the read itself
        if self == locked:
            raise PermissionError(13, "Permission denied")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    _, result = lint_json(tmp_path, capsys)
    assert _findings(result, "locked.md") == ["lint/unreadable"]
    assert [f["message"] for f in result["findings"] if f["path"] == "locked.md"] == [
        "cannot read the file: Permission denied"]
    assert _findings(result, "other.md") == ["schema/missing-front-matter"]


def test_a_path_outside_the_root_is_refused_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "content"
    write(root, "inside.md", "No front matter here.\n")
    outside = write(tmp_path, "secret.md", "No front matter here either.\n")
    opened: list[str] = []
    real_open = Path.open

    def watching(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self.name)
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", watching)
    code, out, err = run_cli(["check", str(outside), str(root / "inside.md"), "--root", str(root),
                              "--format", "json", "--no-cache"], capsys)
    assert f"{outside}: outside the content root {root}; skipped" in err
    assert {f["path"] for f in json.loads(out)["findings"]} == {"inside.md"}
    assert "secret.md" not in opened and code == 1


def test_a_missing_path_is_a_usage_error_and_the_others_are_still_checked(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "other.md", "No front matter here.\n")
    code, out, err = run_cli(["check", str(tmp_path / "nope.md"), str(tmp_path / "other.md"), "--root",
                              str(tmp_path), "--format", "json", "--exit-zero"], capsys)
    assert "nope.md: no such file or directory" in err
    assert code == 2  # even with --exit-zero: a mistyped path must not pass for having checked nothing
    assert [f["rule"] for f in json.loads(out)["findings"]] == ["schema/missing-front-matter"]


def test_a_pipe_given_is_named_for_what_it_is_and_never_opened(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(tmp_path / "pipe.md")  # opening it would wait for a writer forever
    write(tmp_path, "other.md", "No front matter here.\n")
    code, out, err = run_cli(["check", str(tmp_path / "pipe.md"), str(tmp_path / "other.md"), "--root",
                              str(tmp_path), "--format", "json", "--exit-zero"], capsys)
    assert "pipe.md: not a regular file or directory; not read" in err  # it was "no such file or directory"
    assert code == 2 and [f["rule"] for f in json.loads(out)["findings"]] == ["schema/missing-front-matter"]


def test_numbers_too_long_for_python_are_findings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    digits = "1" * 5000  # past Python's limit on int() (4,300 digits): PyYAML's int constructor raises
    write(tmp_path, "unquoted.md", f"---\nid: 7\ntitle: T\nscore: {digits}\n---\nBody.\n")
    write(tmp_path, "quoted.md", f'---\nid: "{digits}"\ntitle: Q\nrelated_article1:\n  id: "{digits}"\n---\nBody.\n')
    # a tag sends the front matter through the constructor itself
    write(tmp_path, "tagged.md", f"---\nid: 8\nkinds: !!set {{a, b}}\nscore: {digits}\n---\nBody.\n")
    write(tmp_path, "other.md", "No front matter here.\n")
    code, result = lint_json(tmp_path, capsys)
    assert code == 1
    assert [f["message"] for f in result["findings"] if f["path"] == "tagged.md"] == [
        "invalid YAML value: Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits"]
    assert [(f["line"], f["column"], f["message"]) for f in result["findings"] if f["path"] == "unquoted.md"] == [
        (4, 8, "a number of 5,000 digits is too long to read; not parsed")]
    assert {f["rule"] for f in result["findings"] if f["path"] == "quoted.md"} >= {"schema/invalid-value"}
    assert _findings(result, "other.md") == ["schema/missing-front-matter"]
    assert not [f for f in result["findings"] if f["rule"] == "lint/rule-error"]
