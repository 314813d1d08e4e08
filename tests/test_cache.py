"""The result cache, sharding and merging: same results, less work."""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from lint import cache, runner
from lint import corpus as corpus_module
from rules import freshness

from .conftest import FIXTURES, run_cli, write

ARTICLE = (FIXTURES / "rules/schema/title-mismatch/fail/what-is-anemia.md").read_text()


def _check(root: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> dict:
    code, out, err = run_cli(["check", str(root), "--root", str(root), "--format", "json", "--jobs", "1", *extra],
                             capsys)
    assert code in (0, 1), err
    return json.loads(out)


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    for number in range(6):
        text = ARTICLE.replace("id: 900", f"id: 8{number}").replace("what-is-anemia", f"what-is-anemia-{number}")
        write(tmp_path, f"what-is-anemia-{number}.md", text)
    write(tmp_path, "page.txt", b"caf\xe9\n")
    return tmp_path


def _count_linted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    linted: list[str] = []
    real = runner.lint_file

    def counting(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        linted.append(source.relpath)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(runner, "lint_file", counting)
    return linted


def test_warm_run_reuses_every_result(corpus: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    cold = _check(corpus, capsys)
    linted = _count_linted(monkeypatch)
    warm = _check(corpus, capsys)
    assert warm == cold
    assert linted == []


def test_changed_prose_rechecks_one_file_changed_id_rechecks_corpus_rules(
        corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    _check(corpus, capsys)
    linted = _count_linted(monkeypatch)
    path = corpus / "what-is-anemia-2.md"
    path.write_text(path.read_text().replace("Common signs", "Usual signs"))
    _check(corpus, capsys)
    assert linted == ["what-is-anemia-2.md"]
    linted.clear()
    path.write_text(path.read_text().replace("id: 82", "id: 83"))  # now a duplicate id: the index changed
    result = _check(corpus, capsys)
    assert "schema/duplicate-id" in result["summary"]["by_rule"]
    # every file checked by corpus-wide rules is checked again: the index they read has changed
    assert sorted(linted) == sorted(p.name for p in corpus.iterdir() if p.is_file())
    assert result == _check(corpus, capsys, "--no-cache")


def test_touched_but_unchanged_file_is_not_rechecked(corpus: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _check(corpus, capsys)
    linted = _count_linted(monkeypatch)
    os.utime(corpus / "page.txt", ns=(1, 1))
    _check(corpus, capsys)
    assert linted == []


def test_an_unchanged_corpus_is_not_indexed_again_on_a_warm_run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(corpus_module.CACHE_MIN_FILES):
        text = ARTICLE.replace("id: 900", f"id: 7{number:03}").replace("what-is-anemia", f"what-is-anemia-{number}")
        path = write(tmp_path, f"what-is-anemia-{number}.md", text)
        os.utime(path, ns=(1, 10**18))  # not "just written": stamps the corpus cache may trust
    cold = _check(tmp_path, capsys)
    builds: list[int] = []
    real = corpus_module.CorpusIndex.build_stamped
    monkeypatch.setattr(corpus_module.CorpusIndex, "build_stamped",
                        classmethod(lambda cls, *args, **kwargs: builds.append(1) or real(*args, **kwargs)))
    assert _check(tmp_path, capsys) == cold and builds == []  # every result cached: only the stored digest read
    path = tmp_path / "what-is-anemia-7.md"
    path.write_text(path.read_text().replace("Common signs", "Usual signs"))
    os.utime(path, ns=(1, 10**18 + 1))
    changed = _check(tmp_path, capsys)
    assert builds == [1]  # a file to check: the index is built for its corpus-wide rules
    assert changed == _check(tmp_path, capsys, "--no-cache")


def test_results_checked_against_an_index_that_changed_after_the_stamps_are_stored_under_its_digest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm run whose stamps said "unchanged" but which must check files after all builds the index then;
    when a file changed in between, the results are stored under the digest of the index they were checked
    against (the stored digest would have been a key nobody asks again)."""
    for number in range(corpus_module.CACHE_MIN_FILES):
        text = ARTICLE.replace("id: 900", f"id: 6{number:03}").replace("what-is-anemia", f"what-is-anemia-{number}")
        path = write(tmp_path, f"what-is-anemia-{number}.md", text)
        os.utime(path, ns=(1, 10**18))
    cold = _check(tmp_path, capsys)
    results = next((tmp_path / ".contentlint_cache").glob("results-*.sqlite"))
    with contextlib.closing(sqlite3.connect(results)) as db, db:
        db.execute("DELETE FROM results")  # every file must be checked again
    monkeypatch.setattr(corpus_module.CorpusIndex, "unchanged_digest", staticmethod(lambda *args: "0" * 32))
    assert _check(tmp_path, capsys) == cold
    monkeypatch.undo()
    linted = _count_linted(monkeypatch)
    assert _check(tmp_path, capsys) == cold and linted == []


def test_corrupt_or_readonly_cache_gives_correct_results(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    expected = _check(corpus, capsys, "--no-cache")
    _check(corpus, capsys)
    database = corpus / ".contentlint_cache" / f"results-v{cache.SCHEMA_VERSION}.sqlite"
    with contextlib.closing(sqlite3.connect(database)) as db, db:
        db.execute("UPDATE results SET payload = 'not json'")
    assert _check(corpus, capsys) == expected
    with contextlib.closing(sqlite3.connect(database)) as db, db:  # findings edited behind the checksum's back
        db.execute("UPDATE results SET findings = replace(findings, '\"warning\"', '\"info\"')")
    assert _check(corpus, capsys) == expected
    database.write_bytes(b"garbage" * 100)
    _, out, err = run_cli(["check", str(corpus), "--root", str(corpus), "--format", "json"], capsys)
    assert json.loads(out) == expected
    assert "cache disabled" in err


def test_shards_merge_into_the_single_run(corpus: Path, tmp_path_factory: pytest.TempPathFactory,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    single = _check(corpus, capsys, "--no-cache")
    out = tmp_path_factory.mktemp("shards")
    parts = []
    for index in range(1, 5):
        part = _check(corpus, capsys, "--no-cache", "--shard", f"{index}/4")
        (out / f"shard{index}.json").write_text(json.dumps(part))
        parts.append(part)
    assert sum(p["summary"]["files"] for p in parts) == single["summary"]["files"]
    code, merged, _ = run_cli(["merge", *(str(out / f"shard{i}.json") for i in range(1, 5))], capsys)
    assert code == 0
    assert json.loads(merged) == single
    # byte-identical JSON, as the reports write it
    code, direct, _ = run_cli(["check", str(corpus), "--root", str(corpus), "--format", "json", "--no-cache"], capsys)
    assert merged == direct


def test_a_merge_holds_no_shard_after_adding_it(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Each shard's files go into the merged result's spool as it is added: a merge held every shard's JSON and
    every finding as an object (609 MB for four shards of 158,678 findings)."""
    from lint.result import ResultMerger

    merger, added = ResultMerger(), 0
    for index in range(1, 3):
        shard = _check(corpus, capsys, "--no-cache", "--shard", f"{index}/2")
        merger.add(shard)
        added += shard["summary"]["files"]
        assert merger.result._files == [] and merger.result._spool is not None
        assert len(merger.result._spool) == added
    assert len(merger.merged().files) == _check(corpus, capsys, "--no-cache")["summary"]["files"]


def test_a_bad_shard_is_named_and_a_shard_given_twice_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, "site/a.md", "no front matter\n")
    good = json.loads(run_cli(["check", str(tmp_path / "site"), "--root", str(tmp_path / "site"), "--format", "json",
                               "--no-cache", "--exit-zero"], capsys)[1])
    write(tmp_path, "good.json", json.dumps(good))
    shards = {"truncated.json": json.dumps(good)[:40], "empty.json": "", "list.json": "[1, 2]",
              "version.json": json.dumps({**good, "version": 99}), "binary.json": b"\xff\xfe",
              "finding.json": json.dumps({**good, "findings": [{"path": "a.md"}]}),
              "position.json": json.dumps({**good, "findings": [{**good["findings"][0], "line": "\x1b[31m2"}]}),
              "rule.json": json.dumps({**good, "findings": [{**good["findings"][0], "rule": ["x"]}]}),
              "other-version.json": json.dumps({**good, "files": [], "findings": [],
                                                "tool": {**good["tool"], "version": "0.0.1"}})}
    expected = {"truncated.json": "Unterminated string", "empty.json": "Expecting value",
                "list.json": "not a contentlint JSON result", "version.json": "result version 99, expected 1",
                "binary.json": "codec can't decode", "finding.json": "not a contentlint JSON result (no 'rule')",
                "position.json": "'line' is '\\x1b[31m2', not a positive integer", "rule.json": "'rule' is list",
                "other-version.json": "different contentlint versions"}
    for name, content in shards.items():
        write(tmp_path, name, content)
        code, _, err = run_cli(["merge", str(tmp_path / "good.json"), str(tmp_path / name)], capsys)
        assert code == 2 and expected[name] in err and "Traceback" not in err, (name, err)
        assert "different" in err or name in err, err  # the culprit is named
    # the same shard twice counted each of its files and findings twice, and said nothing
    code, _, err = run_cli(["merge", str(tmp_path / "good.json"), str(tmp_path / "good.json")], capsys)
    assert code == 2 and "a.md is in both" in err


def test_clean_removes_the_cache(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _check(corpus, capsys)
    assert (corpus / ".contentlint_cache").is_dir()
    code, _, _ = run_cli(["clean", "--root", str(corpus)], capsys)
    assert code == 0 and not (corpus / ".contentlint_cache").exists()


def test_a_spooled_result_keeps_its_metrics_when_its_findings_are_replaced(corpus: Path) -> None:
    """Baseline filtering replaces the findings of results already moved to the spool: the metrics stay."""
    from lint.result import FileResult
    from lint.spool import Spool

    result = runner.run([corpus], corpus, runner.RunOptions()).files[0]
    metrics, findings = result.metrics, result.findings
    assert metrics and findings  # the fixture corpus gives both
    moved = FileResult(result.path, result.schema, findings, metrics)
    moved.spool_to(Spool())
    assert moved.findings == findings and moved.metrics == metrics
    moved.findings = findings[1:]
    assert moved.metrics == metrics and moved.count == len(findings) - 1
    moved.metrics = {"words": 1}
    assert moved.findings == findings[1:]


def test_a_cached_finding_that_depends_on_the_day_is_checked_again_the_next_day(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    today = datetime.date.today()
    at_the_limit = today - datetime.timedelta(days=round(3 * 365.25))  # not older than 3 years today
    write(tmp_path, "page.txt", f"Last updated: {at_the_limit.isoformat()}\n\nAnemia is a lack of red blood cells.\n")
    write(tmp_path, "undated.txt", "Anemia is a lack of red blood cells.\n")
    assert _check(tmp_path, capsys, "--select", "freshness")["findings"] == []
    linted = _count_linted(monkeypatch)

    class Tomorrow(datetime.date):
        @classmethod
        def today(cls) -> Tomorrow:
            tomorrow = datetime.date.today() + datetime.timedelta(days=1)
            return cls(tomorrow.year, tomorrow.month, tomorrow.day)

    monkeypatch.setattr(freshness, "datetime", SimpleNamespace(date=Tomorrow, datetime=datetime.datetime,
                                                               timedelta=datetime.timedelta))
    found = _check(tmp_path, capsys, "--select", "freshness")["findings"]
    assert [(f["rule"], f["path"], f["line"], f["column"]) for f in found] == [("freshness/stale", "page.txt", 1, 1)]
    assert linted == ["page.txt"]  # a page without dates has the same findings every day: still cached


def test_results_cached_by_other_code_are_not_reused(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """An edited rule module or data file changes the key results are cached under, also without a new version
    number (an editable install; the test suite's cached results of fixtures/ once hid a change of the
    tokeniser that way). The engine's files and each checked rule's package count."""
    (tmp_path / "rule.py").write_text("limit = 1\n")
    before = cache.entry_key("{}", ("x/y",), None, (str(tmp_path),))
    (tmp_path / "rule.py").write_text("limit = 22\n")
    cache.code_digest.cache_clear()
    assert cache.entry_key("{}", ("x/y",), None, (str(tmp_path),)) != before
    asked: list[str] = []
    real = cache.code_digest
    monkeypatch.setattr(cache, "code_digest", lambda directory: asked.append(directory) or real(directory))
    runner._cache_key.cache_clear()
    _check(corpus, capsys)
    assert str(Path(cache.__file__).parent) in asked and str(Path(freshness.__file__).parent) in asked
