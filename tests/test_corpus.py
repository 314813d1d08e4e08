"""The corpus index: what it reads from a front matter, its lookups, and its on-disk cache (re-reads only
changed files; survives corrupt, unwritable, foreign and concurrently written caches)."""

from __future__ import annotations

import difflib
import heapq
import json
import multiprocessing
import os
import shutil
import sqlite3
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lint import corpus
from lint.corpus import CorpusCache, CorpusEntry, CorpusIndex, RelatedLink, cache_directory, id_key, read_entry

from .conftest import lint_json, run_cli, write

MAX = 5_000_000


def article(ident: object, slug: str, title: str = "A title", links: str = "", subject: str = "Health Studies") -> str:
    return (f"---\nid: {ident}\ntitle: >-\n    {title}\nsubject: {subject}\nfile_name: {slug}.md\n"
            f"url: /learn/health-studies/questions/{slug}\n{links}---\nbody\n")


def link(number: int, ident: object, slug: str, title: str = "A title") -> str:
    return (f"related_article{number}:\n    id: {ident}\n    title: >-\n        {title}\n"
            f"    subject: Health Studies\n    url: /learn/health-studies/questions/{slug}\n")


def make_corpus(root: Path, count: int) -> list[tuple[str, Path]]:
    files = []
    past = time.time() - 3600  # edited an hour ago: outside the cache's racy window
    for number in range(count):
        path = write(root, f"d{number // 10}/a{number}.md",
                     article(1000 + number, f"a{number}", f"Article {number}",
                             link(1, 1000 + (number + 1) % count, f"a{(number + 1) % count}",
                                  f"Article {(number + 1) % count}")))
        os.utime(path, (past, past))
        files.append((f"d{number // 10}/a{number}.md", path))
    return files


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    reads: list[str] = []
    real = corpus.read_entry

    def counting(path: str, raw: bytes) -> CorpusEntry | None:
        reads.append(path)
        return real(path, raw)

    monkeypatch.setattr(corpus, "read_entry", counting)
    return reads


# --- reading front matter ----------------------------------------------------------------------------


def test_read_entry_keeps_ids_urls_titles_and_mapping_links() -> None:
    text = article(930001, "what-is-anemia", "What is\n    anemia?",
                   link(1, 930002, "b", "B title") + "related_article2: just a string\n"
                   "related_article3: [1, 2]\nrelated_article4:\n    id: '930003'\n")
    entry = read_entry("x.md", text.encode())
    assert entry is not None
    assert (entry.id, entry.url, entry.title, entry.subject, entry.file_name) == (
        930001, "/learn/health-studies/questions/what-is-anemia", "What is anemia?", "Health Studies",
        "what-is-anemia.md")
    assert entry.related == (
        RelatedLink("related_article1", 930002, "/learn/health-studies/questions/b", "B title", "Health Studies"),
        RelatedLink("related_article4", "930003", None, None, None),
    )


@pytest.mark.parametrize("raw", [
    b"", b"no front matter\n", b"---\nid: 1\n", b"---\n[1, 2]\n---\n", b"---\nid: [unclosed\n---\n",
    b"---\nid: 1\n---\n---\nid: 2\n", "---\nid: caf\xe9\n---\n".encode("latin-1"),
])
def test_read_entry_of_bad_input_is_none_or_an_entry_never_an_exception(raw: bytes) -> None:
    entry = read_entry("x.md", raw)
    assert entry is None or isinstance(entry, CorpusEntry)


@pytest.mark.parametrize(("value", "kept"), [
    ("2025-02-30", None), ("2025-01-30", None), ("true", None), ("1.5", None), ("[1]", None),
    ("99999999999999999999999", None), ("'930001'", "930001"), ("930001", 930001),
])
def test_only_strings_and_integers_are_index_values(value: str, kept: object) -> None:
    entry = read_entry("x.md", f"---\nid: {value}\n---\n".encode())
    assert entry is not None
    assert entry.id == kept


def test_alias_bomb_is_not_expanded() -> None:
    levels = "".join(f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    raw = ("---\na: &a [x,x,x,x,x,x,x,x,x]\n" + levels + "id: 7\nrelated_article1:\n    url: *i\n---\n").encode()
    entry = read_entry("bomb.md", raw)
    assert entry is not None
    assert entry.id == 7
    assert entry.related == (RelatedLink("related_article1", None, None, None, None),)


@pytest.mark.parametrize(("value", "key"), [
    (930001, 930001), ("930001", 930001), (" 930001 ", 930001), ("A-12", "A-12"), ("", None), (True, None),
    (None, None), ([1], None), (1.0, None),
])
def test_id_key_treats_digit_strings_as_numbers(value: object, key: object) -> None:
    assert id_key(value) == key


# --- lookups -----------------------------------------------------------------------------------------


def test_paths_sharing_an_id_or_url_come_sorted_as_python_sorts(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    names = ["b.md", "B.md", "é.md", "z.md", "日本.md", "a-b.md", "a_b.md", "a/b.md", "ab.md"]
    for name in names:
        write(tmp_path, name, article("77", "same"))
    index = CorpusIndex.build([(name, tmp_path / name) for name in names], MAX)
    assert index.paths_with_id(77) == index.paths_with_url("/learn/health-studies/questions/same") == tuple(
        sorted(names))
    _, result = lint_json(tmp_path, capsys, "--select", "schema/duplicate-id")
    messages = {f["path"]: f["message"] for f in result["findings"]}
    assert messages["b.md"] == "id 77 is also used by B.md, a-b.md, a/b.md ..."  # itself left out, the rest counted
    assert messages["日本.md"] == "id 77 is also used by B.md, a-b.md, a/b.md ..."


def test_lookups_inbound_links_and_subject_spellings(tmp_path: Path) -> None:
    files = make_corpus(tmp_path, 3)
    write(tmp_path, "twin.md", article("1001", "a1"))  # claims a1's id (as a string) and url
    files.append(("twin.md", tmp_path / "twin.md"))
    index = CorpusIndex.build(files, MAX)
    assert index.paths_with_url("/learn/health-studies/questions/a1") == ("d0/a1.md", "twin.md")
    assert index.paths_with_id(1001) == ("d0/a1.md", "twin.md")
    assert index.paths_with_id(None) == () and index.paths_with_url(5) == ()
    assert index.has_inbound_links("d0/a2.md") and index.has_inbound_links("d0/a0.md")
    assert index.has_inbound_links("twin.md")  # the ambiguous url counts for both claimants
    assert index.subject_spellings("health  STUDIES") == {"Health Studies": 7}


def test_inbound_links_by_url_or_by_id_of_a_link_without_url_never_from_itself(tmp_path: Path) -> None:
    texts = {"self.md": article(1, "self", links=link(1, 1, "self")),  # links only to itself
             "by-id.md": article(2, "by-id"),
             "id-link.md": article(3, "id-link", links="related_article1:\n    id: 2\n"),  # no url: by id
             "url-wins.md": article(4, "url-wins"),
             "url-link.md": article(5, "url-link", links=link(1, 4, "elsewhere"))}  # has a url: not by id
    index = CorpusIndex.build([(name, write(tmp_path, name, text)) for name, text in texts.items()], MAX)
    assert [name for name in texts if index.has_inbound_links(name)] == ["by-id.md"]


def test_title_counts_count_each_document_once_per_title(tmp_path: Path) -> None:
    files = make_corpus(tmp_path, 3)  # a0 -> a1 -> a2 -> a0: each title is its article's and one link's
    write(tmp_path, "twice.md", article(7, "twice", "Article 1", link(1, 1001, "a1", "Article 1")))
    files.append(("twice.md", tmp_path / "twice.md"))
    counts = dict(CorpusIndex.build(files, MAX).title_counts())
    assert counts == {"Article 0": 2, "Article 1": 3, "Article 2": 2}  # twice.md counts "Article 1" once


def test_names_and_values_sqlite_cannot_store_are_no_error(tmp_path: Path) -> None:
    files = make_corpus(tmp_path, 3)
    odd = os.fsdecode(b"bad\xff.md")  # a file name that is not UTF-8: a lone surrogate in Python
    write(tmp_path, odd, article(9, "bad", links=link(1, 1001, "a1", "Article 1")))
    files.append((odd, tmp_path / odd))
    index = CorpusIndex.build(files, MAX)
    assert len(index.entries) == 3 and odd not in index.entries and index.entry(odd) is None
    assert not index.has_inbound_links(odd) and index.has_inbound_links("d0/a1.md")
    found = index.nearest("/learn/health-studies/questions/a1x", "Article 1", exclude=odd)
    assert found is not None and found.path == "d0/a1.md"
    assert corpus.index_value("Bad \udc80 title") == "Bad \ufffd title"


def test_nearest_finds_a_renamed_article_and_scores_only_a_few_candidates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = CorpusIndex()
    for number in range(3000):
        slug = f"what-is-the-treatment-for-condition-{number}"
        index.add(CorpusEntry(f"{slug}.md", number, f"/learn/x/questions/{slug}", f"{slug}.md",
                              f"What is the treatment for condition {number}?", "X"))
    index.add(CorpusEntry("anemia.md", 9999, "/learn/x/questions/how-is-iron-deficiency-anemia-treated",
                          "anemia.md", "How is iron deficiency anemia treated?", "X"))
    scored: list[str] = []
    real = corpus._similarity
    monkeypatch.setattr(corpus, "_similarity", lambda a, b, beat=0.0: scored.append(b) or real(a, b, beat))
    found = index.nearest("/learn/x/questions/how-is-iron-deficiency-anaemia-treated", "Iron deficiency treatment")
    assert found is not None and found.path == "anemia.md"
    assert len(scored) <= 2 * corpus.SUGGESTION_CANDIDATES  # not one comparison per article
    assert index.nearest("/learn/x/questions/zzz-qqq", "Nothing like it") is None


def test_nearest_takes_the_greatest_paths_of_a_tie_larger_than_a_query(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,500 articles share the link's one word: the candidates are the 40 greatest paths, read a thousand
    articles per query, with the linking article left out."""
    index = CorpusIndex()
    paths = [f"a{number:05d}.md" for number in range(2500)]
    for number in (n * 7 % 2500 for n in range(2500)):  # numbered out of the paths' order: the greatest in each query
        index.add(CorpusEntry(paths[number], number, f"/q/anemia-{number}", paths[number], "Anemia", "X"))
    bounded: list[list[str]] = []
    real_bounds = corpus._bounds
    monkeypatch.setattr(corpus, "COMMON_TOKEN_SHARE", 1.0)
    monkeypatch.setattr(corpus, "_bounds", lambda a, others: bounded.append(others) or real_bounds(a, others))
    index.nearest("/q/anemia", "Anemia", exclude=paths[-2])
    greatest = [path for path in reversed(paths) if path != paths[-2]][: corpus.SUGGESTION_CANDIDATES]
    assert bounded[0] == [corpus._slug(index.entries[path].url) for path in greatest]


# --- the cache ---------------------------------------------------------------------------------------


def test_cache_rereads_only_changed_added_and_removed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "root"
    files = make_corpus(root, 30)
    cache = CorpusCache(tmp_path / "cache", root, MAX)
    cold = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert cache.path.is_file() and (tmp_path / "cache" / ".gitignore").is_file()
    reads = count_reads(monkeypatch)
    warm = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert reads == [] and warm.entries == cold.entries

    changed = files[7][1]
    changed.write_text(article(1007, "a7", "Renamed"), encoding="utf-8")
    past = time.time() - 60
    os.utime(changed, (past, past))
    files[3][1].unlink()
    added = write(root, "new.md", article(5000, "new"))
    os.utime(added, (past, past))
    files.append(("new.md", added))
    index = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert sorted(reads) == ["d0/a7.md", "new.md"]
    assert index.entries["d0/a7.md"].title == "Renamed"
    assert "d0/a3.md" not in index.entries and "new.md" in index.entries
    reads.clear()
    assert CorpusIndex.build(files, MAX, cache, min_files_to_cache=0).entries == index.entries
    assert reads == []


def test_a_cache_written_by_other_code_is_rebuilt_in_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine's code reads the entries: under one version an editable install changes it, and the cached
    entries of the old code must not be reused. The cache file stays the one file for this root."""
    root = tmp_path / "root"
    files = make_corpus(root, 6)
    cache = CorpusCache(tmp_path / "cache", root, MAX)
    CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert CorpusCache(tmp_path / "cache", root, MAX).stamps()
    monkeypatch.setattr(corpus, "code_digest", lambda directory: "other code")
    other = CorpusCache(tmp_path / "cache", root, MAX)
    assert other.path == cache.path and other.stamps() == {}
    reads = count_reads(monkeypatch)
    CorpusIndex.build(files, MAX, other, min_files_to_cache=0)
    assert len(reads) == 6 and other.stamps()
    assert [p.name for p in (tmp_path / "cache").glob("corpus-*")] == [cache.path.name]


def test_an_unchanged_corpus_reuses_the_digest_stored_with_its_cache(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "root"
    files = make_corpus(root, 12)
    past = time.time() - 60
    for _, path in files:
        os.utime(path, (past, past))
    cache = lambda: CorpusCache(tmp_path / "cache", root, MAX)  # noqa: E731 (a fresh load each run)
    computed: list[int] = []
    real = CorpusIndex._store_digest
    monkeypatch.setattr(CorpusIndex, "_store_digest", lambda self, **kw: computed.append(1) or real(self, **kw))

    def digest_of(build: list[tuple[str, Path]]) -> str:
        return CorpusIndex.build(build, MAX, cache(), min_files_to_cache=0).digest

    cold = digest_of(files)
    assert computed  # cold: computed (and stored with the cache)
    computed.clear()
    assert digest_of(files) == cold and computed == []  # nothing changed: the stored one, not computed
    files[2][1].write_text(article(1002, "a2", "Renamed"), encoding="utf-8")
    os.utime(files[2][1], (past, past))
    changed = digest_of(files)
    assert changed != cold and changed == CorpusIndex.build(files, MAX, None).digest and computed
    assert digest_of(files[:-1]) == CorpusIndex.build(files[:-1], MAX, None).digest  # one file gone
    assert digest_of(files[:-1]) != changed


def test_a_file_changed_within_its_mtime_tick_is_not_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_corpus(tmp_path, 5)
    os.utime(files[0][1])  # just now: the file could change again without its mtime moving
    cache = CorpusCache(tmp_path / "cache", tmp_path, MAX)
    CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    reads = count_reads(monkeypatch)
    CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert reads == ["d0/a0.md"]


def test_small_corpora_write_no_cache(tmp_path: Path) -> None:
    files = make_corpus(tmp_path / "root", 3)
    cache = CorpusCache(tmp_path / "cache", tmp_path / "root", MAX)
    CorpusIndex.build(files, MAX, cache)
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize("garbage", [b"", b"not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_corrupt_cache_is_rebuilt(tmp_path: Path, garbage: bytes) -> None:
    files = make_corpus(tmp_path / "root", 10)
    cache = CorpusCache(tmp_path / "cache", tmp_path / "root", MAX)
    write(tmp_path / "cache", cache.path.name, garbage)
    expected = CorpusIndex.build(files, MAX).entries
    assert CorpusIndex.build(files, MAX, cache, min_files_to_cache=0).entries == expected
    assert CorpusCache(tmp_path / "cache", tmp_path / "root", MAX).stamps() != {}  # replaced by a good one


def test_cache_with_wrong_rows_or_another_identity_is_ignored(tmp_path: Path) -> None:
    files = make_corpus(tmp_path / "root", 10)
    cache = CorpusCache(tmp_path / "cache", tmp_path / "root", MAX)
    CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    with sqlite3.connect(cache.path) as db:
        db.execute("UPDATE meta SET value = 'someone else'")
    assert cache.stamps() == {}
    CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    with sqlite3.connect(cache.path) as db:  # rows of the wrong types: their stamps never match, so re-read
        db.execute("UPDATE files SET size = 'big', id = 1.5, url = x'00' WHERE path = 'd0/a1.md'")
        db.execute("INSERT INTO files (path, size, mtime_ns, indexed, id, url) VALUES ('gone.md', 1, 2, 1, 1, 2)")
    assert CorpusIndex.build(files, MAX, cache, min_files_to_cache=0).entries == CorpusIndex.build(files, MAX).entries


def test_unwritable_cache_location_still_builds(tmp_path: Path) -> None:
    files = make_corpus(tmp_path / "root", 10)
    blocker = write(tmp_path, "not-a-directory", "x")
    cache = CorpusCache(blocker / "cache", tmp_path / "root", MAX)
    assert CorpusIndex.build(files, MAX, cache, min_files_to_cache=0).entries == CorpusIndex.build(files, MAX).entries


def test_a_full_cache_disk_still_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_corpus(tmp_path / "root", 10)
    cache = CorpusCache(tmp_path / "cache", tmp_path / "root", MAX)
    real = CorpusIndex._insert

    def full_near_the_cache(self: CorpusIndex, rows: list[tuple[str, corpus.Stamp, CorpusEntry | None]]) -> None:
        if self.path.is_relative_to(tmp_path / "cache"):
            raise sqlite3.OperationalError("database or disk is full")
        real(self, rows)

    monkeypatch.setattr(CorpusIndex, "_insert", full_near_the_cache)
    index = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert index.entries == CorpusIndex.build(files, MAX).entries and len(index.entries) == 10
    assert not cache.path.exists()


def test_cache_locked_by_another_run_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_corpus(tmp_path / "root", 10)
    cache = CorpusCache(tmp_path / "cache", tmp_path / "root", MAX)
    CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    files[0][1].write_text(article(1000, "a0", "Changed"), encoding="utf-8")
    monkeypatch.setattr(corpus, "LOCK_TIMEOUT", 0.05)
    with sqlite3.connect(cache.path, isolation_level=None) as other:
        other.execute("BEGIN EXCLUSIVE")  # another run in the middle of writing
        index = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
        other.execute("ROLLBACK")
    assert index.entries["d0/a0.md"].title == "Changed"
    assert len(cache.stamps()) == 10  # the other run's cache was neither deleted nor damaged


def _build_repeatedly(root: str, cache_dir: str, rounds: int) -> int:
    root_path = Path(root)
    files = sorted((p.relative_to(root_path).as_posix(), p) for p in root_path.rglob("*.md"))
    cache = CorpusCache(Path(cache_dir), root_path, MAX)
    sizes = set()
    for number in range(rounds):
        target = files[number % len(files)][1]
        temporary = target.with_suffix(f".{os.getpid()}.tmp")  # edited atomically, as editors save files
        temporary.write_text(target.read_text(encoding="utf-8") + "x", encoding="utf-8")
        past = time.time() - 60 + number
        os.utime(temporary, (past, past))
        os.replace(temporary, target)
        sizes.add(len(CorpusIndex.build(files, MAX, cache, min_files_to_cache=0).entries))
    return len(sizes)


def test_concurrent_runs_share_one_cache(tmp_path: Path) -> None:
    make_corpus(tmp_path / "root", 40)
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        results = pool.starmap(_build_repeatedly, [(str(tmp_path / "root"), str(tmp_path / "cache"), 6)] * 3)
    assert results == [1, 1, 1]  # every build saw all 40 documents
    files = sorted((p.relative_to(tmp_path / "root").as_posix(), p) for p in (tmp_path / "root").rglob("*.md"))
    cache = CorpusCache(tmp_path / "cache", tmp_path / "root", MAX)
    assert CorpusIndex.build(files, MAX, cache, min_files_to_cache=0).entries == CorpusIndex.build(files, MAX).entries


def test_cache_directory_is_configurable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(corpus.CACHE_DIR_ENV, raising=False)
    monkeypatch.delenv(corpus.NO_CACHE_ENV, raising=False)
    assert cache_directory(tmp_path) == tmp_path / ".contentlint_cache"
    assert cache_directory(tmp_path, "build/cache") == tmp_path / "build/cache"  # the cache-dir setting
    monkeypatch.setenv(corpus.CACHE_DIR_ENV, "build/lint-cache")
    assert cache_directory(tmp_path) == tmp_path / "build/lint-cache"
    monkeypatch.setenv(corpus.CACHE_DIR_ENV, str(tmp_path / "elsewhere"))
    assert cache_directory(Path("/some/root")) == tmp_path / "elsewhere"
    monkeypatch.setenv(corpus.NO_CACHE_ENV, "1")
    assert cache_directory(tmp_path) is None


def test_a_run_writes_its_cache_where_configured_and_pre_commit_runs_see_the_whole_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "root"
    make_corpus(root, 12)
    monkeypatch.setattr(corpus, "CACHE_MIN_FILES", 0)
    monkeypatch.setenv(corpus.CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(corpus.NO_CACHE_ENV, raising=False)
    code, result = lint_json(root, capsys, "--select", "links/missing-target", use_cache=True)
    assert code == 0 and result["findings"] == []
    assert list((tmp_path / "cache").glob("corpus-*.sqlite"))
    assert not (root / ".contentlint_cache").exists()
    # Only one file checked (as pre-commit does): its link to a2 still resolves through the whole root.
    code, out, _ = run_cli(["check", str(root / "d0/a1.md"), "--root", str(root), "--select", "links",
                            "--format", "json"], capsys)
    assert json.loads(out)["summary"]["files"] == 1
    assert code == 0


def test_parallel_cold_build_equals_the_sequential_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = make_corpus(tmp_path, 60)
    files.append(("vanished.md", tmp_path / "vanished.md"))
    sequential = CorpusIndex.build(files, MAX)
    monkeypatch.setattr(corpus, "PARALLEL_READ_MIN", 10)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    parallel = CorpusIndex.build(files, MAX)
    assert parallel.entries == sequential.entries and len(parallel.entries) == 60
    assert all(entry.url == f"/learn/health-studies/questions/{Path(path).stem}"
               for path, entry in parallel.entries.items())


@given(st.text("abcde-", max_size=30), st.text("abcde-", max_size=30), st.floats(0.0, 1.0))
def test_similarity_is_difflibs_ratio_whenever_it_can_matter(a: str, b: str, beat: float) -> None:
    exact = difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0
    score = corpus._similarity(a, b, beat)
    if exact >= corpus.SUGGESTION_CUTOFF and exact > beat:
        assert score == exact
    else:
        assert score in (0.0, exact)


_SLUG_WORDS = ["iron", "anemia", "anaemia", "treated", "treatment", "how", "is", "what", "diet", "test"]


@given(st.lists(st.lists(st.sampled_from(_SLUG_WORDS), min_size=1, max_size=4), min_size=1, max_size=12),
       st.lists(st.sampled_from(_SLUG_WORDS), min_size=1, max_size=4), st.integers(1, 40), st.integers(-1, 11))
def test_nearest_is_the_first_candidate_with_the_best_score(slugs: list[list[str]], wanted: list[str], candidates: int,
                                                            excluded: int) -> None:
    """Also with few candidates scored (ties at the last place) and the linking article left out."""
    index = CorpusIndex()
    for number, words in enumerate(slugs):
        slug = "-".join(words)
        index.add(CorpusEntry(f"a{number}.md", number, f"/q/{slug}", f"a{number}.md", " ".join(words), "X"))
    url, title = "/q/" + "-".join(wanted), " ".join(wanted).title()
    exclude = f"a{excluded}.md" if excluded >= 0 else None
    bounded: list[list[str]] = []  # the slugs, then the titles, of the candidates, in their order

    def bounds(a: str, others: list[str]) -> list[float]:
        bounded.append(others)
        return real_bounds(a, others)

    real_bounds = corpus._bounds
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus, "SUGGESTION_CANDIDATES", candidates)
        patch.setattr(corpus, "_bounds", bounds)
        found = index.nearest(url, title, exclude=exclude)
    # the reference: every candidate scored exactly, in the order nearest ranks them
    words = set(corpus._words(url)) | set(corpus._words(title))
    shared: Counter[str] = Counter(entry.path for word in words for entry in index.all_entries()
                                   if word in corpus._title_words(entry.url, entry.title) and entry.path != exclude)
    ranked = [path for path, _ in heapq.nlargest(candidates, shared.items(), key=lambda i: (i[1], i[0]))]
    assert bounded[0] == [corpus._slug(index.entries[path].url) for path in ranked]
    best = None
    for path in ranked:
        entry = index.entries[path]
        score = max(corpus._similarity(corpus._slug(url), corpus._slug(entry.url)),
                    corpus._similarity(corpus._fold_any(title), corpus._fold_any(entry.title)))
        if score >= corpus.SUGGESTION_CUTOFF and (best is None or score > best[1]):
            best = (path, score)
    assert (found.path, found.score) == best if found is not None else best is None


@given(st.text("abcde- ", max_size=30), st.lists(st.text("abcde- ", max_size=30), max_size=5))
def test_bounds_are_each_others_bound(a: str, others: list[str]) -> None:
    assert corpus._bounds(a, others) == [corpus._bound(a, b) for b in others]


def test_a_build_reads_on_the_pool_it_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold run's idle workers read the corpus: the build starts no processes of its own."""
    files = make_corpus(tmp_path, 60)
    sequential = CorpusIndex.build(files, MAX)
    monkeypatch.setattr(corpus, "PARALLEL_READ_MIN", 10)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    monkeypatch.setattr(corpus, "ProcessPoolExecutor", None)  # a pool of its own would fail to start
    with ThreadPoolExecutor(2) as pool:
        shared = CorpusIndex.build(files, MAX, pool=pool)
    assert shared.entries == sequential.entries and len(shared.entries) == 60


def test_stamps_read_from_the_cache_are_reused_only_for_a_snapshot_of_that_very_file(tmp_path: Path) -> None:
    """A pre-commit run reads the cache's stamps to see whether anything changed, then updates a snapshot:
    the stamps are not read twice, unless the cache was replaced in between (by a concurrent run)."""
    files = make_corpus(tmp_path / "root", 10)
    cache = CorpusCache(tmp_path / "cache", tmp_path / "root", MAX)
    CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    stamps = cache.stamps()
    assert len(stamps) == 10
    snapshot = tmp_path / "snapshot.sqlite"
    assert cache.snapshot(snapshot) and cache.stamps_of_snapshot(snapshot) is stamps
    assert cache.stamps_of_snapshot(snapshot) is None  # handed over once: a run does not keep them
    replacement = tmp_path / "replacement.sqlite"
    shutil.copyfile(cache.path, replacement)
    cache.stamps()
    os.replace(replacement, cache.path)  # another run published its cache after this one read the stamps
    other = tmp_path / "other.sqlite"
    assert cache.snapshot(other) and cache.stamps_of_snapshot(other) is None
    # an index built after a changed file, with the stamps read first, equals one built from scratch
    write(tmp_path / "root", "d0/a0.md", article(1000, "a0", "Renamed article"))
    fresh_cache = CorpusCache(tmp_path / "fresh", tmp_path / "root", MAX)
    cache.stamps()
    built = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert built.entries == CorpusIndex.build(files, MAX, fresh_cache, min_files_to_cache=0).entries
    assert built.entries["d0/a0.md"].title == "Renamed article"


def test_the_titles_digest_is_kept_while_the_titles_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit of an article's text leaves the digest of the corpus's title counts as stored: a pre-commit run
    does not count the titles again. An edit of a title changes it, to what counting gives."""
    root = tmp_path / "root"
    files = make_corpus(root, 12)
    cache = CorpusCache(tmp_path / "cache", root, MAX)
    first = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert first.title_counts_digest() == corpus._digest_of(first.title_counts())
    counted: list[int] = []
    real = CorpusIndex._title_rows
    monkeypatch.setattr(CorpusIndex, "_title_rows", lambda self: counted.append(1) or real(self))
    text = (root / "d0/a1.md").read_text()
    write(root, "d0/a1.md", text.replace("body", "body, edited"))  # same front matter, new mtime
    edited = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert edited.digest == first.digest and edited.title_counts_digest() == first.title_counts_digest()
    assert counted == []
    write(root, "d0/a1.md", text.replace("Article 1\n", "Article one\n"))
    renamed = CorpusIndex.build(files, MAX, cache, min_files_to_cache=0)
    assert counted == [1]
    assert renamed.title_counts_digest() != first.title_counts_digest()
    assert renamed.title_counts_digest() == corpus._digest_of(real(renamed).fetchall())


def test_link_suggestions_remember_a_bounded_number_of_files_per_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What nearest() remembers of each word's files stays under WORD_FILES_MEMO numbers (a word's files can be
    thousands on a large corpus), and forgetting changes no suggestion."""
    slugs = ["iron-anemia-diet", "iron-test", "anemia-treated", "what-is-anemia", "diet-test", "how-is-iron-treated"]
    index = CorpusIndex()
    for number, slug in enumerate(slugs):
        index.add(CorpusEntry(f"a{number}.md", number, f"/q/{slug}", f"a{number}.md", slug.replace("-", " "), "X"))
    asked = [("/q/iron-anemia", "Iron anemia"), ("/q/diet-tests", "Diet tests"), ("/q/anemia-treatment", "Anemia"),
             ("/q/how-iron", "How iron")] * 3
    remembered = [index.nearest(url, title) for url, title in asked]
    small = CorpusIndex()
    for number, slug in enumerate(slugs):
        small.add(CorpusEntry(f"a{number}.md", number, f"/q/{slug}", f"a{number}.md", slug.replace("-", " "), "X"))
    monkeypatch.setattr(corpus, "WORD_FILES_MEMO", 4)
    for (url, title), expected in zip(asked, remembered, strict=True):
        assert small.nearest(url, title) == expected
        assert small._word_files_size <= 4
    assert any(found is not None for found in remembered)


def test_remembered_file_numbers_take_four_bytes_each_unless_one_needs_eight() -> None:
    small, large = corpus._numbers([1, 7, 2**32 - 1]), corpus._numbers([1, 2**32])
    assert (small.typecode, small.itemsize, list(small)) == ("I", 4, [1, 7, 2**32 - 1])
    assert (large.itemsize, list(large)) == (8, [1, 2**32])
