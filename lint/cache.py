"""The result cache: a file's findings are reused while its bytes, its rules and the corpus it sees are unchanged.

One SQLite database under the cache directory (``.contentlint_cache/`` in the content root by default), written
only by the main process. An entry is reused when the file's (mtime, size) still match — no read at all — or,
failing that, when its content hash matches. The entry's key covers the contentlint version, the file's
effective settings and rule set and, for files checked by corpus-wide rules, a digest of the corpus index, so a
change to an article's id, url, title or links re-checks the articles that could be affected while a change
to its prose re-checks only that article. An entry whose rules said its findings depend on their scope (a
date's age on the day: ``Rule.cache_scope``) also keeps that scope, and is reused only while it is the same.
A cache that cannot be opened or written (read-only, full, corrupt, locked by a concurrent run) is left alone:
the run goes on without it, at worst slower.

An entry keeps a file's findings as the JSON contract lines the JSON report writes, with a checksum: a warm run
hands them on without decoding them, and an entry whose lines no longer match their checksum is recomputed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from lint import __version__
from lint.result import FileResult, kind_of

SCHEMA_VERSION = 5
LOOKUP_BATCH = 500  # entries fetched by one query: few queries, bounded memory
COLUMNS = 10  # of the results table
FLUSH_EVERY = 256  # entries held before a write: memory stays flat on large corpora


def content_digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


@dataclass(frozen=True, slots=True)
class Stamp:
    mtime_ns: int
    size: int


class CacheRequest(NamedTuple):
    """A file the run asks the cache for: ``read`` returns its bytes when its stamp changed and its content hash
    must decide; ``scope`` is what its rules' findings may depend on this run (``Rule.cache_scope``)."""

    relpath: str
    stamp: Stamp
    key: str
    scope: str
    read: Callable[[], bytes]


class ResultCache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.problem: str | None = None
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[Any, ...]] = []  # new entries, written every FLUSH_EVERY files
        self._restamp: list[tuple[int, int, str]] = []  # entries of touched but unchanged files
        self.empty = True
        try:
            directory.mkdir(parents=True, exist_ok=True)
            gitignore = directory / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# created by contentlint\n*\n", encoding="utf-8")
            self._db = sqlite3.connect(directory / f"results-v{SCHEMA_VERSION}.sqlite", timeout=2.0,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS results (path TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER, "
                "digest TEXT, key TEXT, scope TEXT, payload TEXT, metrics TEXT, findings BLOB, checksum INTEGER)"
            )
            # Nothing cached (a first run, or a cleared cache): every file will be checked.
            self.empty = self._db.execute("SELECT 1 FROM results LIMIT 1").fetchone() is None
        except (OSError, sqlite3.Error) as error:
            self._disable(f"cache disabled ({directory}): {error}")

    def _disable(self, message: str) -> None:
        self.problem = self.problem or message
        self.empty = True
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    def lookup(self, wanted: list[CacheRequest]) -> dict[str, FileResult]:
        """The cached results of files, by path. Two queries for all the entries asked (their stamps, then the
        findings of those still valid): no run holds the whole cache in memory."""
        if self._db is None or not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        try:
            rows = {path: rest for path, *rest in self._db.execute(
                f"SELECT path, mtime_ns, size, digest, key, scope FROM results WHERE path IN ({marks})",
                [request.relpath for request in wanted])}
            valid = [request.relpath for request in wanted
                     if request.relpath in rows and self._still_valid(request, rows[request.relpath])]
            if not valid:
                return {}
            entries = self._db.execute("SELECT path, payload, metrics, findings, checksum FROM results WHERE path "
                                       f"IN ({', '.join('?' * len(valid))})", valid).fetchall()
        except sqlite3.Error:
            return {}
        found: dict[str, FileResult] = {}
        asked = {relpath: relpath for relpath in valid}  # the caller's strings: a second copy of every path is not kept
        for relpath, *entry in entries:
            with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError):  # corrupt: recomputed
                found[relpath] = _decode(asked[relpath], *entry)
        return found

    def _still_valid(self, request: CacheRequest, row: list[Any]) -> bool:
        mtime_ns, size, digest, key, scope = row
        if key != request.key or scope not in ("", request.scope):
            return False
        stamp = request.stamp
        if (mtime_ns, size) != (stamp.mtime_ns, stamp.size):
            try:
                if content_digest(request.read()) != digest:
                    return False
            except OSError:
                return False
            self._restamp.append((stamp.mtime_ns, stamp.size, request.relpath))
        return True

    def store(self, result: FileResult, stamp: Stamp, digest: str, key: str, scope: str = "") -> None:
        """Keep a file's result; ``scope``: what its findings depend on ("" when its rules said nothing)."""
        payload = json.dumps({"schema": result.schema,
                              "tally": [[*kind, count] for kind, count in result.tally().items()]},
                             ensure_ascii=False)
        findings = result.encoded_text().encode("utf-8", "surrogatepass")  # bytes: checked and spooled as they are
        metrics = result.metrics_text()
        self._pending.append((result.path, stamp.mtime_ns, stamp.size, digest, key, scope, payload, metrics,
                              findings, _checksum(metrics, findings)))
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        if self._db is None or not (self._pending or self._restamp):
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                self._db.executemany(f"INSERT OR REPLACE INTO results VALUES ({', '.join('?' * COLUMNS)})",
                                     self._pending)
                self._db.executemany("UPDATE results SET mtime_ns = ?, size = ? WHERE path = ?", self._restamp)
        except sqlite3.Error as error:
            self._disable(f"cache not written ({self.directory}): {error}")
        self._pending, self._restamp = [], []

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()


def _checksum(metrics: str, findings: bytes) -> int:
    """What the reports copy without decoding (the metrics and the findings) is checked before it is used."""
    return zlib.crc32(findings, zlib.crc32(metrics.encode("utf-8", "surrogatepass")))


def _decode(relpath: str, payload: str, metrics: str, findings: bytes, checksum: int) -> FileResult:
    if _checksum(metrics, findings) != checksum:
        raise ValueError("metrics or findings do not match their checksum")
    data = json.loads(payload)
    count = findings.count(b"\n") + 1 if findings else 0
    prefix = '{"path": ' + json.dumps(relpath, ensure_ascii=False) + ", "
    if count and not findings.startswith(prefix.encode("utf-8", "surrogatepass")):
        raise ValueError("entry of another file")
    # the kinds of a file's findings, in no particular order (the report only counts them)
    kinds = tuple(kind for rule, severity, number in data["tally"] for kind in [kind_of(rule, severity)] * number)
    if len(kinds) != count:
        raise ValueError("tally does not match the findings")
    return FileResult(relpath, data["schema"], metrics_text=metrics, encoded=findings, kinds=kinds)


ENGINE = str(Path(__file__).parent)  # the engine's package directory, whose code every cached result depends on


def entry_key(settings_json: str, rule_ids: tuple[str, ...], corpus_digest: str | None,
              code_directories: tuple[str, ...] = ()) -> str:
    """The key a file's results are cached under: the contentlint version, the code (``code_digest`` of the
    engine and of ``code_directories``, the rules' packages), the effective settings, the rules and the corpus."""
    code = "\0".join(map(code_digest, (ENGINE, *code_directories)))
    text = "\0".join((__version__, code, settings_json, ",".join(rule_ids), corpus_digest or ""))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=64)
def code_digest(directory: str) -> str:
    """The files of a package directory as installed: the name, size and modification time of each (its data
    files too). Results cached by other code are not reused, also without a new version number: an editable
    install changes code under one version, and the test suite's cached results of fixtures/ once hid a change
    of the tokeniser that way. About 1 ms a run."""
    hasher = hashlib.blake2b(digest_size=16)
    root = Path(directory)
    for path in sorted(root.rglob("*")):
        if "__pycache__" not in path.parts and path.is_file():
            stat = path.stat()
            line = f"{path.relative_to(root)}\0{stat.st_size}\0{stat.st_mtime_ns}\n"
            hasher.update(line.encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()
