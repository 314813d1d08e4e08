"""A disk cache of LanguageTool results, one entry per paragraph, so an unchanged paragraph is never re-sent.

Entries are keyed by a hash of the paragraph and of everything that changes LanguageTool's answer (server,
language, disabled rules): changing any of them simply misses. The store is one SQLite file under the
cache directory (``cache-dir``, default ``.contentlint_cache/`` in the content root), safe to share between the worker
processes of a parallel run; a cache that cannot be opened or written is left alone, never an error.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from rules._languagetool import LTMatch

FILE_NAME = "languagetool.sqlite"
SCHEMA = "CREATE TABLE IF NOT EXISTS matches (key TEXT PRIMARY KEY, value TEXT NOT NULL)"


def paragraph_key(fingerprint: str, paragraph: str) -> str:
    return hashlib.sha256(f"{fingerprint}\x00{paragraph}".encode("utf-8", "surrogatepass")).hexdigest()


class ResultCache:
    """Paragraph results on disk. All methods swallow storage errors: a broken cache only costs requests."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / FILE_NAME
        self._db: sqlite3.Connection | None = None
        self.broken: str | None = None

    def _connection(self) -> sqlite3.Connection | None:
        if self._db is None and self.broken is None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path, timeout=10, isolation_level=None)
                # WAL without a sync per commit: a cache may lose its last entries in a power cut, never
                # become corrupt, and a commit per document stays cheap
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=NORMAL")
                db.execute(SCHEMA)
                self._db = db
            except (OSError, sqlite3.Error) as error:
                self.broken = f"cannot use the cache {self.path}: {error}"
        return self._db

    def get_many(self, keys: Iterable[str]) -> dict[str, list[LTMatch]]:
        wanted = list(dict.fromkeys(keys))
        db = self._connection()
        if db is None or not wanted:
            return {}
        found: dict[str, list[LTMatch]] = {}
        try:
            for start in range(0, len(wanted), 500):  # SQLite limits the number of bound parameters
                chunk = wanted[start : start + 500]
                rows = db.execute(f"SELECT key, value FROM matches WHERE key IN ({','.join('?' * len(chunk))})",
                                  chunk).fetchall()
                for key, value in rows:
                    found[key] = [LTMatch.from_json(item) for item in json.loads(value)]
        except (sqlite3.Error, ValueError, TypeError) as error:
            self.broken = f"cannot read the cache {self.path}: {error}"
            return {}
        return found

    def put_many(self, entries: dict[str, list[LTMatch]]) -> None:
        db = self._connection()
        if db is None or not entries:
            return
        rows = [(key, json.dumps([m.to_json() for m in matches])) for key, matches in entries.items()]
        try:
            with db:
                db.execute("BEGIN")
                db.executemany("INSERT OR REPLACE INTO matches (key, value) VALUES (?, ?)", rows)
        except sqlite3.Error as error:
            self.broken = f"cannot write the cache {self.path}: {error}"
