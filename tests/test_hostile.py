"""The hostile-input corpus (tests/hostile/ plus files too big or too odd to commit, made here).

For each input: a clear finding or message, no crash, no rule failure, no code run from the content, no
control characters reaching a report, and the findings of an ordinary file beside it complete.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import pytest

from lint import registry
from lint.discovery import gitignore_spec
from lint.reporters import REPORTERS, ReportContext

from .conftest import FIXTURES, run_cli, write

HOSTILE = Path(__file__).parent / "hostile"
CONTROL = FIXTURES / "rules/schema/title-mismatch/fail/what-is-anemia.md"
EXPECTED = {
    "alias-bomb.md": "schema/invalid-yaml",
    "deep-nesting.md": "schema/invalid-yaml",
    "python-tag.md": "schema/invalid-yaml",
    "python-name.md": "schema/invalid-yaml",
    "nul-bytes.txt": "lint/binary-file",
    "utf16-le-bom.txt": "lint/unsupported-encoding",
    "utf16-be-bom.txt": "lint/unsupported-encoding",
    "utf16-le-no-bom.txt": "lint/unsupported-encoding",
    "invalid-utf8-classes.txt": "encoding/invalid-utf8",
    "huge.md": "lint/too-large",
}


def _run(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict, str]:
    code, out, err = run_cli(["check", str(root), "--root", str(root), "--format", "json", "--no-cache",
                              "--jobs", "1", "--ignore", "grammar"], capsys)
    assert code in (0, 1), err
    assert "Traceback" not in err and "internal error" not in err
    return json.loads(out), err


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, str]:
    root = tmp_path_factory.mktemp("hostile")
    for path in HOSTILE.iterdir():
        shutil.copy(path, root / path.name)
    shutil.copy(CONTROL, root / "what-is-anemia.md")
    with open(root / "huge.md", "wb") as huge:  # 100 MB, sparse: never parsed
        huge.truncate(100 * 2**20)
    write(root, "million-lines.txt", "ab\n" * 1_000_000)
    write(root, "one-long-line.txt", "word " * 2_000_000)  # 10 MB: over the default 5 MB limit
    write(root, "name with spaces.md", CONTROL.read_text().replace("id: 9", "id: 7"))
    write(root, "naïve-ünïcödé.txt", "Plain text.\n")
    write(root, "new\nline.txt", "Plain text.\n")
    os.symlink("/etc/passwd", root / "passwd.md")
    os.symlink(root, root / "loop")
    os.mkfifo(root / "pipe.md")  # reading it would wait for a writer forever: never opened
    return root, {}, ""


def test_each_hostile_file_gets_its_finding(hostile_run: tuple[Path, dict, str],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = hostile_run[0]
    result, err = _run(root, capsys)
    by_path: dict[str, set[str]] = {}
    for finding in result["findings"]:
        by_path.setdefault(finding["path"], set()).add(finding["rule"])
    for name, rule in EXPECTED.items():
        assert rule in by_path.get(name, set()), (name, by_path.get(name))
    assert not any(f["rule"] == "lint/rule-error" for f in result["findings"])
    # a million one-word lines is a million sentences: finishing or a lint/timeout are both within the promise
    assert {f["path"] for f in result["findings"] if f["rule"] == "lint/timeout"} <= {"million-lines.txt"}
    assert "passwd.md: symlink to a file outside the content root; skipped" in err
    checked = {f["path"] for f in result["files"]}
    assert {"million-lines.txt", "name with spaces.md", "naïve-ünïcödé.txt", "new\nline.txt",
            "twenty-languages.txt", "all-table.md", "all-code.md", "mixed-line-endings.txt"} <= checked
    assert "one-long-line.txt" in by_path and "lint/too-large" in by_path["one-long-line.txt"]
    assert "pipe.md" not in checked
    assert not Path("/tmp/contentlint-pwned").exists()


def test_ordinary_file_findings_are_complete_beside_hostile_ones(hostile_run: tuple[Path, dict, str],
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(CONTROL, alone / "what-is-anemia.md")
    expected, _ = _run(alone, capsys)
    result, _ = _run(hostile_run[0], capsys)
    beside = [f for f in result["findings"] if f["path"] == "what-is-anemia.md"]
    # corpus-wide rules may legitimately differ (the hostile corpus is another corpus); the rest may not
    corpus_rules = {r for r, cls in registry.all_rules().items() if cls.needs_corpus}
    strip = lambda items: [f for f in items if f["rule"] not in corpus_rules]  # noqa: E731
    assert strip(beside) == strip(expected["findings"])


def test_no_report_format_passes_control_characters_through(hostile_run: tuple[Path, dict, str],
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    root = hostile_run[0]
    result, _ = _run(root, capsys)
    # the injection article puts escape sequences into findings: the formats below must neutralise them
    assert any("\x1b" in f["message"] for f in result["findings"])
    for name, (render, _) in REPORTERS.items():
        out = io.StringIO()
        render(result, out, ReportContext(root=root, rules=registry.all_rules()))
        text = out.getvalue()
        if name == "json":
            continue  # JSON escapes control characters itself (\u001b): checked by json.dumps
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, name


def test_per_file_time_budget(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose rules run past `timeout` gets lint/timeout; the next file is still checked."""
    import time

    from lint import runner

    real = runner.check_document

    def slow(doc, *args, **kwargs):  # type: ignore[no-untyped-def]
        if doc.path == "slow.txt":
            time.sleep(120)  # far past the budget: only the timeout can end it
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(runner, "check_document", slow)
    # 3 s: long enough for the first file to load the rules' data, short next to the 120 s above
    write(tmp_path, "contentlint.toml", "timeout = 3\n")
    write(tmp_path, "slow.txt", "Text.\n")
    write(tmp_path, "bad.md", "no front matter\n")
    result, _ = _run(tmp_path, capsys)
    rules = {(f["path"], f["rule"]) for f in result["findings"]}
    assert ("slow.txt", "lint/timeout") in rules
    assert ("bad.md", "schema/missing-front-matter") in rules



def test_exclude_patterns_match_a_file_name_that_is_not_utf8() -> None:
    # pathspec's re2 and hyperscan backends (used when installed) raise on such a name; Python's re does not
    odd = os.fsdecode(b"not-utf8-\xff.tmp")
    assert gitignore_spec(["*.tmp"]).match_file(odd) and not gitignore_spec(["*.md"]).match_file(odd)


def test_a_file_name_that_is_not_utf8_is_linted_and_reported(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    odd = os.fsdecode(b"not-utf8-\xff.md")  # a lone surrogate in Python: SQLite cannot store it, UTF-8 not write it
    write(tmp_path, odd, CONTROL.read_text())
    write(tmp_path, "what-is-anemia.md", CONTROL.read_text().replace("id: 9", "id: 8"))
    result, _ = _run(tmp_path, capsys)  # the JSON report on standard output: the name as its escape, \udcff
    assert sorted(file["path"] for file in result["files"]) == sorted([odd, "what-is-anemia.md"])
    assert {finding["path"] for finding in result["findings"]} == {odd, "what-is-anemia.md"}
    for render, _ in REPORTERS.values():  # every format writes the name (SARIF's fingerprint, its URI)
        render(result, io.StringIO(), ReportContext(root=tmp_path, rules=registry.all_rules()))


def test_a_report_reads_no_excerpt_outside_the_root(tmp_path: Path) -> None:
    """A merged shard names its own paths: "../secret.md" or a symlink out of the root shows no source line,
    before and after a file of the root was read."""
    write(tmp_path, "secret.md", "the secret\n")
    write(tmp_path, "site/page.md", "a line\n")
    os.symlink(tmp_path / "secret.md", tmp_path / "site" / "link.md")
    context = ReportContext(root=tmp_path / "site")
    assert context.source_line("../secret.md", 1) is None
    assert context.source_line("page.md", 1) == "a line"
    assert context.source_line("../secret.md", 1) is None
    assert context.source_line("link.md", 1) is None
