"""The corpus index: who is who across all documents of the content root, for cross-document rules.

It is built from the front matter alone (no prose work), from every file under the content root, even when
only a few files are checked: a pre-commit run on two staged files still knows every article's id and url.
It holds, per document, only what cross-document rules compare: id, url, file_name, title, subject and the
related_articleN links, in an SQLite database with an index for each lookup, so a rule asking about one link
costs one indexed query whatever the size of the corpus, and no process holds the corpus in memory.

Reading 20,000 front matters takes seconds, so the database is kept between runs (see ``CorpusCache``): a
re-run re-reads only the files whose path, size or modification time changed."""

from __future__ import annotations

import contextlib
import difflib
import gc
import hashlib
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import time
import weakref
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import groupby, repeat
from operator import itemgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import yaml
from rapidfuzz.distance import Indel, LCSseq

from lint import frontmatter
from lint.cache import ENGINE, code_digest
from lint.document import decode
from lint.pool import ordered_map

try:  # The C parser is an order of magnitude faster; fall back to the pure-Python one where libyaml is absent.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

RELATED_KEY = re.compile(r"related_article([0-9]+)")
_SURROGATE = re.compile("[\ud800-\udfff]")
ENTRY_FIELDS = ("id", "url", "file_name", "title", "subject")
LINK_FIELDS = ("id", "url", "title", "subject")

# A value of the index: a string or an integer. Anything else where an id, url or title belongs (a date, a
# list, true, 1.5) is the schema rules' business; for the index it is no usable value.
Scalar = str | int | None
FilePath = str | os.PathLike[str]  # a file's absolute path (a SourceFile: made only when the file is read)
T = TypeVar("T")
MAX_INT = 2**63 - 1  # what SQLite stores; a larger "id" is no usable id either

CACHE_DIR_ENV = "CONTENTLINT_CACHE_DIR"  # overrides `cache-dir` (relative paths: to the content root)
NO_CACHE_ENV = "CONTENTLINT_NO_CACHE"  # set to 1 to neither read nor write any cache (as --no-cache)
DEFAULT_CACHE_DIR = ".contentlint_cache"
CACHE_MIN_FILES = 200  # below this many files reading every front matter costs less than a cache file
CACHE_FORMAT = 2  # bump when what is indexed, or how, changes
TITLES_COMPARED = 500  # changed files whose titles are compared before and after (more: counted again)
BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM,
              sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY)
LOCK_TIMEOUT = 1.0  # seconds to wait for a concurrent run's write before giving up updating the cache
STALE_SCRATCH_S = 86_400  # a run's scratch directory this old belongs to a run that was killed
RACY_WINDOW_NS = 2_000_000_000  # a file changed this recently may change again within its mtime tick

PARALLEL_READ_MIN = 1000  # files per extra process: below this a pool costs more than it saves
READ_BATCH = 128  # files read by a worker at a time
READS_AHEAD = 4  # batches waiting per worker: the reads must not pile up ahead of the inserts
SUGGESTION_CANDIDATES = 40  # how many prefiltered articles the similarity score is computed for
SUGGESTION_CUTOFF = 0.7
QUERY_MEMO_SIZE = 4096  # lookups remembered per process: a document's rules ask alike about its few links
WORD_FILES_MEMO = 1_000_000  # file numbers remembered for link suggestions' words, per process (4 MB)
INSERT_BATCH = 1000  # entries written to the database at a time while files are read
COMMON_TOKEN_SHARE = 0.05  # a slug word in more than this share of articles ("what", "the") tells nothing


class RelatedLink(NamedTuple):
    """A related_articleN mapping as the index keeps it. (Named tuples: an index of 100,000 links is built
    and loaded in a fraction of the time dataclasses take.)"""

    field: str  # "related_article3"
    id: Scalar
    url: Scalar
    title: Scalar
    subject: Scalar


class CorpusEntry(NamedTuple):
    path: str
    id: Scalar
    url: Scalar
    file_name: Scalar
    title: Scalar
    subject: Scalar
    related: tuple[RelatedLink, ...] = ()

    @classmethod
    def from_data(cls, path: str, data: dict[str, Any]) -> CorpusEntry:
        """An entry from already constructed front-matter data (as a Document's ``data``)."""
        related = tuple(
            RelatedLink._make((key, *(index_value(value.get(name)) for name in LINK_FIELDS)))
            for key, value in data.items()
            if isinstance(key, str) and RELATED_KEY.fullmatch(key) and isinstance(value, dict)
        )
        return cls._make((path, *(index_value(data.get(name)) for name in ENTRY_FIELDS), related))


def index_value(value: Any) -> Scalar:
    """A front-matter value as the index keeps it: a string or an integer, else None. A string SQLite cannot
    store (a lone surrogate, from a YAML escape such as "\\udc80") has it replaced by U+FFFD."""
    if isinstance(value, str):
        return shared(value if storable(value) else _SURROGATE.sub("\ufffd", value))
    if type(value) is int and -MAX_INT <= value <= MAX_INT:
        return value
    return None


def storable(text: str) -> bool:
    """Whether SQLite can store the text (UTF-8 has no lone surrogates)."""
    return text.isascii() or not _SURROGATE.search(text)


def shared(value: Scalar) -> Scalar:
    """One string object for equal strings: links repeat their targets' titles, urls and subjects, so on a
    large corpus most of the index's strings are repeats."""
    return sys.intern(value) if type(value) is str else value


def id_key(value: Any) -> int | str | None:
    """The identity of an id for lookups: 930001 and "930001" are the same article; bools and lists are none."""
    if isinstance(value, str):
        value = value.strip()
        if value.isascii() and value.isdecimal():
            with contextlib.suppress(ValueError):  # past Python's limit on digits: text, as no number spells it
                return int(value)
        return value or None
    return value if type(value) is int else None


# --- reading one file ---------------------------------------------------------------------------------


def read_entry(path: str, raw: bytes) -> CorpusEntry | None:
    """The index entry of a file, or None when it has no readable front matter.

    Only the YAML node tree is composed; just the indexed scalars are constructed. Aliases are never
    expanded (a node tree shares anchored nodes), so an alias bomb costs nothing here.
    """
    text, _, _ = decode(raw)
    block = frontmatter.split(text)
    if block is None or not block.closed:
        return None
    loader = _Loader(text[block.start : block.end])
    try:
        root = loader.get_single_node()
        if not isinstance(root, yaml.MappingNode):
            return None
        top = _scalars_of(loader, root)
        related = tuple(
            RelatedLink._make((shared(key), *(links.get(name) for name in LINK_FIELDS)))
            for key, node in _pairs(root)
            if RELATED_KEY.fullmatch(key) and isinstance(node, yaml.MappingNode)
            for links in (_scalars_of(loader, node),)
        )
    except (yaml.YAMLError, RecursionError, ValueError):
        return None
    finally:
        loader.dispose()
    return CorpusEntry._make((path, *(top.get(name) for name in ENTRY_FIELDS), related))


def _pairs(node: yaml.MappingNode) -> Iterator[tuple[str, yaml.Node]]:
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode):
            yield str(key.value), value


def _scalars_of(loader: Any, node: yaml.MappingNode) -> dict[str, Scalar]:
    """The scalar values of the mapping's keys that the index keeps; of a duplicated key the last one wins,
    as when PyYAML constructs the mapping."""
    found: dict[str, Scalar] = {}
    for key, value in _pairs(node):
        if key in ENTRY_FIELDS and isinstance(value, yaml.ScalarNode):
            try:
                found[key] = index_value(loader.construct_object(value))
            except (yaml.YAMLError, ValueError):  # an impossible date and the like: no usable value
                found[key] = None
        elif key in ENTRY_FIELDS:
            found[key] = None
    return found


_UNREADABLE = "unreadable"  # a file that vanished or cannot be read: not indexed, not cached
_NOT_READ = "not read"


def _read_file(item: StampedFile) -> CorpusEntry | str | None:
    relpath, abspath, _ = item
    try:
        with open(abspath, "rb") as stream:
            return read_entry(relpath, stream.read())
    except OSError:
        return _UNREADABLE


def _read_files(items: list[StampedFile]) -> list[CorpusEntry | str | None]:
    return [_read_file(item) for item in items]


def read_entries(items: list[StampedFile],
                 pool: Executor | None = None) -> Iterator[CorpusEntry | str | None]:
    """Read many files, in order; a cold build of thousands of files is spread over the CPUs (YAML parsing is
    CPU-bound), on ``pool`` when the caller has one (a run's idle workers), else on a pool of its own.
    Entries come out as they are read, a few batches ahead, so that they need not all be held at once."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(cpus, len(items) // PARALLEL_READ_MIN)
    done = 0
    if workers > 1:  # a pool that cannot start or breaks (a sandbox without semaphores) means reading here
        with contextlib.suppress(OSError, RuntimeError, BrokenExecutor), contextlib.ExitStack() as stack:
            executor = pool if pool is not None else stack.enter_context(ProcessPoolExecutor(workers))
            for read in ordered_map(executor, _read_files, items, READ_BATCH, workers * READS_AHEAD):
                yield read
                done += 1
    for item in items[done:]:
        yield _read_file(item)


# --- the database -----------------------------------------------------------------------------------------


def cache_directory(root: Path, configured: str = DEFAULT_CACHE_DIR) -> Path | None:
    """Where contentlint's caches live for a content root (the `cache-dir` setting, overridden by
    CONTENTLINT_CACHE_DIR), or None when caching is switched off (CONTENTLINT_NO_CACHE=1)."""
    if os.environ.get(NO_CACHE_ENV, "").strip() not in ("", "0"):
        return None
    return root / (os.environ.get(CACHE_DIR_ENV, "").strip() or configured)


class Stamp(NamedTuple):
    """What says a file is unchanged since it was indexed."""

    size: int
    mtime_ns: int


StampedFile = tuple[str, FilePath, Stamp]  # (relative path, absolute path, stamp)
UNTRUSTED_MTIME = -1  # stored for a file changed within its mtime tick: the next run reads it again


def stamp_files(files: Iterable[tuple[str, FilePath]]) -> list[StampedFile]:
    """The files that can be stat()ed, with their stamps (size and mtime)."""
    stamped = []
    for relpath, abspath in files:
        try:
            stat = os.stat(abspath)
        except OSError:
            continue
        stamped.append((relpath, abspath, Stamp(stat.st_size, stat.st_mtime_ns)))
    return stamped


# Every file of the root has a row (``indexed`` 0: no usable front matter, remembered so it is not re-read);
# links and title/url words point at their file's number. id_key and subject_fold are the lookup forms.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (number INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size, mtime_ns,
    indexed INTEGER, id, url, file_name, title, subject, id_key, subject_fold, hash BLOB);
CREATE INDEX IF NOT EXISTS files_by_url ON files (url);
CREATE INDEX IF NOT EXISTS files_by_id ON files (id_key);
CREATE INDEX IF NOT EXISTS files_by_subject ON files (subject_fold);
CREATE TABLE IF NOT EXISTS links (file INTEGER, position INTEGER, field TEXT, id, url, title, subject, id_key,
    subject_fold, PRIMARY KEY (file, position)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_by_url ON links (url);
CREATE INDEX IF NOT EXISTS links_by_id ON links (id_key);
CREATE INDEX IF NOT EXISTS links_by_subject ON links (subject_fold);
CREATE TABLE IF NOT EXISTS words (word TEXT, file INTEGER, PRIMARY KEY (word, file)) WITHOUT ROWID;
"""


class CorpusCache:
    """The index of one content root kept between runs: the last run's index database.

    SQLite rather than a JSON or pickle file: loading it never runs code, whoever wrote it. The file is never
    written in place: a run takes it as a snapshot (a hard link, else a copy), changes its own copy, and
    renames that over the cache. Every failure is harmless: a missing, corrupt, foreign or unreadable cache
    means a cold build, and a cache that cannot be written (read-only or full disk, locked by a foreign
    writer) is simply not updated.
    """

    def __init__(self, directory: Path, root: Path, max_size: int) -> None:
        self.directory = directory
        place = f"{CACHE_FORMAT}\0{root.resolve()}\0{max_size}"
        digest = hashlib.sha256(place.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.path = directory / f"corpus-v{CACHE_FORMAT}-{digest}.sqlite"
        # the engine's code too (it reads the entries): a cache written by other code is rebuilt, in the same file
        self.identity = f"{place}\0{code_digest(ENGINE)}"
        self._skip = False  # a foreign writer holds the file: leave it alone
        # The stamps last read, with the identity of the file read: the cache file is only ever replaced, never
        # written in place, so a snapshot with the same identity holds the same rows (and need not be read again).
        self._read: tuple[tuple[int, ...], dict[str, Stamp]] | None = None

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None)

    def stamps(self) -> dict[str, Stamp]:
        """The stamps of the files the cache holds (none when it is missing or not ours)."""
        return self._stamps_and_digest()[0]

    def unchanged_digest(self, stamps: dict[str, Stamp]) -> str | None:
        """The stored index digest, when the cache holds exactly these files with these stamps (then the index
        would be the cached one), without reading any entry; else None."""
        recorded, digest = self._stamps_and_digest()
        if digest and recorded == stamps:
            self._read = None  # no build will ask for them (as large as the corpus)
            return digest
        return None

    def _stamps_and_digest(self) -> tuple[dict[str, Stamp], str | None]:
        try:
            identity = _file_identity(self.path)
            with contextlib.closing(self._connect()) as db:
                meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('identity', 'digest')"))
                if meta.get("identity") != self.identity:
                    return {}, None
                stamps = {path: Stamp(size, mtime_ns)
                          for path, size, mtime_ns in db.execute("SELECT path, size, mtime_ns FROM files")}
        except (OSError, sqlite3.Error, TypeError, ValueError):
            return {}, None
        self._read = (identity, stamps)
        return stamps, meta.get("digest")

    def stamps_of_snapshot(self, snapshot: Path) -> dict[str, Stamp] | None:
        """The stamps read last, when ``snapshot`` is a second name of the very file they were read from."""
        read, self._read = self._read, None  # asked once, by the build that follows: not kept longer
        try:
            if read is not None and _file_identity(snapshot) == read[0]:
                return read[1]
        except OSError:
            pass
        return None

    def snapshot(self, target: Path) -> bool:
        """Make ``target`` the cache's database: a second name for the same file where the file system allows
        (the cache file is never written in place, only replaced, so the snapshot cannot change under a
        run), else a copy. False, and no ``target``, when there is no usable cache."""
        if not self.path.is_file():
            return False
        try:
            _link_or_copy(self.path, target)
            with contextlib.closing(sqlite3.connect(target, timeout=LOCK_TIMEOUT)) as db:
                identity = db.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
        except (OSError, sqlite3.Error) as error:
            # Busy (a foreign writer holds it) or unreadable: leave the file alone. Else: not our cache, and the
            # next publish replaces it.
            self._skip = isinstance(error, OSError) or _busy(error)
            identity = None
        if identity != (self.identity,):
            with contextlib.suppress(OSError):
                os.unlink(target)
            return False
        return True

    def publish(self, source: Path) -> None:
        """Make a run's database the cache: linked (or copied) beside it, then renamed over it, so that a
        reader always opens a whole file and concurrent runs never wait for each other (the last one to
        finish wins)."""
        if self._skip:
            return
        partial = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            marker = self.directory / ".gitignore"
            if not marker.exists():
                marker.write_text("# written by contentlint: the corpus index cache\n*\n", encoding="utf-8")
            _link_or_copy(source, partial)
            os.replace(partial, self.path)
            for scratch in self.directory.glob(".run-*"):  # left by runs that were killed
                if time.time() - scratch.stat().st_mtime > STALE_SCRATCH_S:
                    shutil.rmtree(scratch, ignore_errors=True)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            # read-only or full disk: the next run tries again


def _file_identity(path: Path) -> tuple[int, ...]:
    """Which file a name points to (with its size and mtime: an inode number freed by a replaced cache can be
    given to a later file)."""
    status = os.stat(path)
    return status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copyfile(source, target)


def _busy(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorcode", None) in BUSY_CODES


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: building 100,000 small tuples (none of them cyclic) otherwise
    triggers full collections that rescan them all, and costs as much as the build itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# --- the index ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    path: str
    url: Scalar
    title: Scalar
    score: float


class _Entries(Mapping[str, CorpusEntry]):
    """The index's entries by path, read from its database on demand."""

    def __init__(self, index: CorpusIndex) -> None:
        self._index = index

    def __getitem__(self, path: str) -> CorpusEntry:
        entry = self._index.entry(path)
        if entry is None:
            raise KeyError(path)
        return entry

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and bool(self._index.query("SELECT 1 FROM files WHERE path = ? AND indexed",
                                                                path))

    def __iter__(self) -> Iterator[str]:
        # not through the query memo: every path of the corpus is no answer to keep
        return (path for (path,) in self._index._connection().execute(
            "SELECT path FROM files WHERE indexed ORDER BY number"))

    def __len__(self) -> int:
        return int(self._index.query("SELECT COUNT(*) FROM files WHERE indexed")[0][0])


class CorpusIndex:
    """The corpus's entries and the lookups cross-document rules ask, answered by an SQLite database.

    The database is the run's own temporary file (a copy of the cache, brought up to date). The processes of
    a parallel run open it by path, so no process holds the corpus in memory: memory stays flat however large
    the corpus, and a pre-commit run loads nothing it does not ask about. A lookup is an indexed query
    (microseconds); its answer is remembered for the rules that ask the same about the same link.
    """

    def __init__(self, path: Path | None = None, scratch: Path | None = None) -> None:
        """Open the index database at ``path``, or (None) make a new, empty one in a temporary directory
        (inside ``scratch`` when given and writable: beside the cache, the cache file can be linked)."""
        self.entries = _Entries(self)
        self._memo: dict[tuple[Any, ...], Any] = {}  # query rows, and path tuples (_paths), by query
        # link suggestions' words and the files that have them (a word's files can be thousands: kept as
        # arrays, and no more than WORD_FILES_MEMO numbers in all)
        self._word_files: dict[str, array[int] | None] = {}
        self._word_files_size = 0
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self._digest: str | None = None
        self._shared = False  # True while the file is also the cache's: it must then never be written
        if path is not None:
            self.path = path
            return
        directory = _scratch_directory(scratch)
        self.path = directory / "index.sqlite"
        self._cleanup = weakref.finalize(self, _remove_directory, directory, os.getpid())
        self._connection().executescript(_SCHEMA)

    def close(self) -> None:
        """Close the database and delete it (when this process made it)."""
        self._disconnect()
        cleanup = getattr(self, "_cleanup", None)
        if cleanup is not None:
            cleanup()

    def __reduce__(self) -> tuple[Any, ...]:
        # A worker started without fork opens the same database by path.
        return (_open_index, (self.path, self.digest))

    def _disconnect(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            self._db.close()
        self._db = None

    def _connection(self) -> sqlite3.Connection:
        """This process's connection (a forked worker opens its own: SQLite connections do not cross fork)."""
        if self._db is None or self._pid != os.getpid():
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA synchronous = OFF")  # a run's scratch copy: nothing to keep after a crash
            self._pid = os.getpid()
            self._forget()
        return self._db

    def _forget(self) -> None:
        """Drop what was remembered of the database's answers (it changed, or this is another process)."""
        self._memo = {}
        self._word_files, self._word_files_size = {}, 0

    def query(self, sql: str, *params: Any) -> list[Any]:
        """The rows of a read-only query, remembered (a bounded memo: a document's rules ask alike)."""
        return self._remember((sql, params), lambda: self._rows(sql, params))

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[Any]:
        try:
            return self._connection().execute(sql, params).fetchall()
        except UnicodeEncodeError:  # a value SQLite cannot store (a file name that is not UTF-8) is not stored
            return []

    def _remember(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        found: T | None = self._memo.get(key)
        if found is None:
            if len(self._memo) >= QUERY_MEMO_SIZE:
                self._memo.clear()
            found = self._memo[key] = compute()
        return found

    # Building ------------------------------------------------------------------------------------------

    @staticmethod
    def unchanged_digest(stamped: list[StampedFile], max_size: int, cache: CorpusCache | None) -> str | None:
        """The digest of the index ``build`` would return, read from the cache when no file changed since it was
        written (a warm run then needs no index at all, only its digest for the result cache); else None."""
        if cache is None or len(stamped) < CACHE_MIN_FILES:
            return None
        now_ns = time.time_ns()
        if any(now_ns - stamp.mtime_ns <= RACY_WINDOW_NS for _, _, stamp in stamped):
            return None  # a stamp too recent to trust: build() would read that file
        return cache.unchanged_digest({relpath: stamp for relpath, _, stamp in _indexable(stamped, max_size)})

    @classmethod
    def build(cls, files: Iterable[tuple[str, FilePath]], max_size: int, cache: CorpusCache | None = None,
              min_files_to_cache: int | None = None, pool: Executor | None = None) -> CorpusIndex:
        """Index the files, re-reading only those whose size or mtime differ from the cache's record (a
        cache is used from ``min_files_to_cache`` files up, CACHE_MIN_FILES by default); ``pool``: processes to
        read them on, when the caller has some."""
        return cls.build_stamped(stamp_files(files), max_size, cache, min_files_to_cache, pool)

    @classmethod
    def build_stamped(cls, stamped: list[StampedFile], max_size: int, cache: CorpusCache | None = None,
                      min_files_to_cache: int | None = None, pool: Executor | None = None) -> CorpusIndex:
        """``build`` for files the caller has stamped already (stamp_files)."""
        if len(stamped) < (CACHE_MIN_FILES if min_files_to_cache is None else min_files_to_cache):
            cache = None
        index = cls(scratch=cache.directory if cache is not None else None)
        try:
            with _gc_paused():
                index._sync(stamped, max_size, cache, pool)
        except (OSError, sqlite3.Error):
            if cache is None:
                raise
            # the cache's disk is full or failing: index without it, in the system's temporary directory
            index.close()
            index = cls()
            with _gc_paused():
                index._sync(stamped, max_size, None, pool)
        return index

    def _sync(self, all_stamped: list[StampedFile], max_size: int, cache: CorpusCache | None,
              pool: Executor | None) -> None:
        if cache is not None:
            self._disconnect()
            os.unlink(self.path)
            self._shared = cache.snapshot(self.path)
            if not self._shared:
                self._connection().executescript(_SCHEMA)
        db = self._connection()
        stamped = _indexable(all_stamped, max_size)
        known = cache.stamps_of_snapshot(self.path) if cache is not None and self._shared else None
        if known is None:
            known = {path: Stamp(size, mtime) for path, size, mtime in
                     db.execute("SELECT path, size, mtime_ns FROM files")}
        if known:
            wanted = {relpath for relpath, _, _ in stamped}
            gone = [path for path in known if path not in wanted]
            unknown = [item for item in stamped if known.get(item[0]) != item[2]]
        else:  # a first build: every file is new (the list itself, not a copy as large as the corpus)
            gone, unknown = [], stamped
        stored = self._stored("digest")
        if not gone and not unknown and stored:
            self._digest = stored
            return
        now_ns = time.time_ns()
        db = self._writable()
        db.execute("BEGIN")
        try:
            changed = [*gone, *(relpath for relpath, _, _ in unknown)]
            titles_before = self._titles_of(changed)
            self._delete([path for path in changed if path in known])  # the others have no rows
            reads = read_entries(unknown, pool)
            rows = []
            for (relpath, _, stamp), read in zip(unknown, reads, strict=True):
                if read is _UNREADABLE:
                    continue
                if now_ns - stamp.mtime_ns <= RACY_WINDOW_NS:
                    stamp = Stamp(stamp.size, UNTRUSTED_MTIME)
                rows.append((relpath, stamp, read if isinstance(read, CorpusEntry) else None))
                if len(rows) >= INSERT_BATCH:
                    self._insert(rows)
                    rows = []
            self._insert(rows)
            self._store_digest(titles_kept=titles_before is not None and titles_before == self._titles_of(changed))
            if cache is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('identity', ?)", (cache.identity,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if cache is not None:
            cache.publish(self.path)
            self._shared = True

    def _writable(self) -> sqlite3.Connection:
        """The connection, on a file of this index's own: one shared with the cache is copied first."""
        if self._shared:
            self._disconnect()
            private = self.path.with_name(self.path.name + ".tmp")
            shutil.copyfile(self.path, private)
            os.replace(private, self.path)
            self._shared = False
        return self._connection()

    def _delete(self, paths: list[str]) -> None:
        db = self._connection()
        for path in paths:
            row = db.execute("SELECT number, url, title FROM files WHERE path = ?", (path,)).fetchone()
            if row is None:
                continue
            number, url, title = row
            db.executemany("DELETE FROM words WHERE word = ? AND file = ?",
                           ((word, number) for word in _title_words(url, title)))
            db.execute("DELETE FROM links WHERE file = ?", (number,))
            db.execute("DELETE FROM files WHERE number = ?", (number,))

    def _insert(self, rows: list[tuple[str, Stamp, CorpusEntry | None]]) -> None:
        if not rows:
            return
        db = self._connection()
        first = db.execute("SELECT COALESCE(MAX(number), 0) + 1 FROM files").fetchone()[0]
        numbered = list(enumerate(rows, start=first))
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            (number, path, stamp.size, stamp.mtime_ns, 0, *([None] * 8)) if entry is None else
            (number, path, stamp.size, stamp.mtime_ns, 1, entry.id, entry.url, entry.file_name, entry.title,
             entry.subject, _id_column(entry.id), _fold_column(entry.subject), _entry_hash(entry))
            for number, (path, stamp, entry) in numbered))
        db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            (number, position, *link, _id_column(link.id), _fold_column(link.subject))
            for number, (_, _, entry) in numbered if entry is not None
            for position, link in enumerate(entry.related)))
        db.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", (
            (word, number) for number, (_, _, entry) in numbered if entry is not None
            for word in _title_words(entry.url, entry.title)))

    def _store_digest(self, titles_kept: bool = False) -> str:
        """Store the index's digest (and return it), and the titles' digest unless ``titles_kept`` (the changed
        files carry the same titles as before: an edit of an article's text) and it is stored already."""
        db = self._connection()
        hasher = hashlib.blake2b(digest_size=16)
        for path, entry_hash in db.execute("SELECT path, hash FROM files WHERE indexed ORDER BY path"):
            hasher.update(path.encode("utf-8", "surrogatepass") + b"\0" + entry_hash)
        self._digest = hasher.hexdigest()
        db.execute("INSERT OR REPLACE INTO meta VALUES ('digest', ?)", (self._digest,))
        if not (titles_kept and self._stored("titles")):
            db.execute("INSERT OR REPLACE INTO meta VALUES ('titles', ?)", (_digest_of(self._title_rows()),))
        self._forget()
        return self._digest

    def _stored(self, key: str) -> str | None:
        row = self._connection().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _titles_of(self, paths: list[str]) -> set[tuple[str, str]] | None:
        """Each (path, title) of these files (their own titles and their links'), or None for too many files
        to be worth comparing (a large change: the titles' digest is computed again)."""
        if len(paths) > TITLES_COMPARED:
            return None
        marks = ", ".join("?" * len(paths))
        return set(self._connection().execute(
            f"SELECT path, title FROM files WHERE path IN ({marks}) AND indexed AND typeof(title) = 'text' UNION "
            f"SELECT f.path, l.title FROM links AS l JOIN files AS f ON f.number = l.file WHERE f.path IN ({marks}) "
            "AND typeof(l.title) = 'text'", [*paths, *paths]))

    def add(self, entry: CorpusEntry) -> None:
        self.update(entry.path, entry)

    def update(self, path: str, entry: CorpusEntry | None) -> bool:
        """Replace one document's entry (None: it has no usable front matter any more), for a long-lived
        index such as the language server's. Returns whether the index changed."""
        if entry == self.entry(path):
            return False
        db = self._writable()
        db.execute("BEGIN")
        titles_before = self._titles_of([path])
        self._delete([path])
        if entry is not None:
            self._insert([(path, Stamp(-1, UNTRUSTED_MTIME), entry)])
        self._store_digest(titles_kept=titles_before == self._titles_of([path]))
        db.execute("COMMIT")
        return True

    @property
    def digest(self) -> str:
        """A hash of everything the index holds: equal digests, equal answers to every corpus question."""
        if self._digest is None:
            self._digest = self._stored("digest") or self._store_digest()
        return self._digest

    # Entries ------------------------------------------------------------------------------------------

    def entry(self, path: str) -> CorpusEntry | None:
        rows = self.query("SELECT number, path, id, url, file_name, title, subject FROM files "
                          "WHERE path = ? AND indexed", path)
        if not rows:
            return None
        number, *values = rows[0]
        links = self.query("SELECT field, id, url, title, subject FROM links WHERE file = ? ORDER BY position",
                           number)
        return CorpusEntry._make((*values, tuple(map(RelatedLink._make, links))))

    def all_entries(self) -> Iterator[CorpusEntry]:
        """Every entry, streamed from the database (in the order they were indexed)."""
        db = self._connection()
        links = db.execute("SELECT file, field, id, url, title, subject FROM links ORDER BY file, position")
        pending = next(links, None)
        for number, *values in db.execute("SELECT number, path, id, url, file_name, title, subject FROM files "
                                          "WHERE indexed ORDER BY number"):
            related = []
            while pending is not None and pending[0] <= number:
                if pending[0] == number:
                    related.append(RelatedLink._make(pending[1:]))
                pending = next(links, None)
            yield CorpusEntry._make((*values, tuple(related)))

    def title_counts_digest(self) -> str:
        """A digest of ``title_counts()``, kept in the database: a run whose changes left every title alone reads
        it instead of counting the corpus's titles again."""
        return self._stored("titles") or _digest_of(self._title_rows())

    def title_counts(self) -> list[tuple[str, int]]:
        """Each title of the corpus (an article's own or one its links give) with the number of documents
        that carry it: the corpus's vocabulary of names, counted by SQLite. Not through the query memo: the
        answer is as large as the corpus, and its users keep what they derive from it."""
        return self._title_rows().fetchall()

    def _title_rows(self) -> sqlite3.Cursor:
        """title_counts() row by row, in title order (its digest is taken without holding them all)."""
        return self._connection().execute(
            "SELECT title, COUNT(*) FROM (SELECT number AS file, title FROM files WHERE indexed AND "
            "typeof(title) = 'text' UNION SELECT file, title FROM links WHERE typeof(title) = 'text') GROUP BY title "
            "ORDER BY title")

    # Lookups ------------------------------------------------------------------------------------------

    def _paths(self, sql: str, *params: Any) -> tuple[str, ...]:
        """The paths a query finds, one tuple remembered per query: every document that links alike asks again
        (thousands of times in a corpus whose articles share one url)."""
        return self._remember((sql, params, "paths"), lambda: tuple(path for (path,) in self._rows(sql, params)))

    def paths_with_id(self, value: Any) -> tuple[str, ...]:
        """The documents with this id, sorted by path (SQLite compares UTF-8 bytes: the order of code points)."""
        key = _id_column(value)
        return self._paths("SELECT path FROM files WHERE id_key = ? ORDER BY path", key) if key is not None else ()

    def paths_with_url(self, value: Any) -> tuple[str, ...]:
        """The documents with this url, sorted by path."""
        if not isinstance(value, str):
            return ()
        return self._paths("SELECT path FROM files WHERE url = ? ORDER BY path", value)

    def resolve(self, url: Any, id_value: Any) -> tuple[str, ...]:
        """The documents a link opens: those with its url, else (no url given) those with its id."""
        return self.paths_with_url(url) if isinstance(url, str) else self.paths_with_id(id_value)

    def has_inbound_links(self, path: str) -> bool:
        """Whether another document links to this one: by its url, or (links without a url) by its id. An
        emptiness query on the links' indexes: the linking documents themselves are never listed."""
        rows = self.query("SELECT number, url, id_key FROM files WHERE path = ? AND indexed", path)
        if not rows:
            return False
        number, url, key = rows[0]
        if isinstance(url, str) and self._rows(
                "SELECT EXISTS (SELECT 1 FROM links WHERE url = ? AND file != ?)", (url, number))[0][0]:
            return True
        return key is not None and bool(self._rows(
            "SELECT EXISTS (SELECT 1 FROM links WHERE id_key = ? AND typeof(url) != 'text' AND file != ?)",
            (key, number))[0][0])

    def subject_spellings(self, subject: str) -> Counter[str]:
        """How often each spelling of a subject occurs (as an article's subject or a link's), compared
        case- and space-insensitively."""
        return Counter(dict(self.query(
            "SELECT subject, COUNT(*) FROM (SELECT subject FROM files WHERE subject_fold = ?1 "
            "UNION ALL SELECT subject FROM links WHERE subject_fold = ?1) GROUP BY subject", _fold(subject))))

    # Nearest-article suggestions ----------------------------------------------------------------------

    def _greatest_paths(self, numbers: list[int], limit: int, skip: str | None) -> list[tuple[str, Scalar, Scalar]]:
        """The path, url and title of up to ``limit`` of these files, the greatest paths first, the file ``skip``
        left out. SQLite picks them (a query per thousand files), so that a tie among hundreds of articles costs
        no Python object per article. Its BINARY order of UTF-8 text is Python's order of the strings."""
        found: list[tuple[str, Scalar, Scalar]] = []
        left_out = (skip,) if skip is not None else ()
        for first in range(0, len(numbers), 1000):
            chunk = numbers[first : first + 1000]
            # the inner query sorts numbers and paths alone: the winners' urls and titles are read afterwards
            found += self._connection().execute(
                "SELECT path, url, title FROM files WHERE number IN (SELECT number FROM files WHERE number IN "
                f"({', '.join('?' * len(chunk))}){' AND path != ?' * len(left_out)} ORDER BY path DESC LIMIT ?) "
                "ORDER BY path DESC", (*chunk, *left_out, limit))
        if len(numbers) > 1000:  # the chunks' rows merged
            found.sort(key=itemgetter(0), reverse=True)
        return found[:limit]

    def _files_with_word(self, word: str, common: int) -> array[int] | None:
        """The numbers of the files whose url or title has the word, or None when more than ``common`` do (read
        up to one past that: a word in half the corpus is never read whole). Remembered."""
        if word in self._word_files:
            return self._word_files[word]
        try:
            rows = self._connection().execute("SELECT file FROM words WHERE word = ? LIMIT ?",
                                              (word, common + 1)).fetchall()
        except UnicodeEncodeError:  # a word SQLite cannot store is in no file
            rows = []
        files = _numbers([number for (number,) in rows]) if len(rows) <= common else None
        size = 1 + (len(files) if files is not None else 0)
        if self._word_files_size + size > WORD_FILES_MEMO:
            self._word_files, self._word_files_size = {}, 0
        self._word_files[word] = files
        self._word_files_size += size
        return files

    def nearest(self, url: Any, title: Any, exclude: str | None = None) -> Suggestion | None:
        """The article most like a link's url or title (after a rename), or None when none is close.

        Scoring every article would make a corpus of broken links quadratic; instead candidates are the
        articles sharing the most informative words (words in more than a few percent of articles are
        skipped), and only those few are compared with difflib.
        """
        common = max(20, int(len(self.entries) * COMMON_TOKEN_SHARE))
        # How many of the informative words each article shares: each word's articles (read up to one past the
        # limit, so that a word in half the corpus is never read whole; remembered), counted here.
        shared: Counter[int] = Counter()
        for word in _title_words(url, title):
            files = self._files_with_word(word, common)
            if files is not None:
                shared.update(files)
        # The candidates: the articles sharing the most of those words, ties broken by the greater path. The
        # groups of articles sharing as many words are taken in turn while they fit; of the first that does not
        # fit whole, only its greatest paths.
        skip = exclude if exclude is not None and storable(exclude) else None
        candidates: list[tuple[str, Scalar, Scalar]] = []
        for _, group in groupby(sorted(shared.items(), key=itemgetter(1), reverse=True), key=itemgetter(1)):
            if len(candidates) >= SUGGESTION_CANDIDATES:
                break
            candidates += self._greatest_paths([number for number, _ in group],
                                               SUGGESTION_CANDIDATES - len(candidates), skip)
        slug, folded = _slug(url), _fold_any(title)
        # The best is the first candidate (in this order) with the highest score. Cheap upper bounds of every
        # candidate's score say which to score first, and when no other can win: usually after one or two.
        slugs = [_slug(their_url) for _, their_url, _ in candidates]
        titles = [_fold_any(their_title) for _, _, their_title in candidates]
        pairs = list(zip(zip(repeat(slug), slugs), zip(repeat(folded), titles), strict=True))
        bounds = list(zip(_bounds(slug, slugs), _bounds(folded, titles), strict=True))
        best: Suggestion | None = None
        best_rank = len(candidates)

        def may_win(bound: float, rank: int) -> bool:  # can a score up to this bound replace the best so far?
            return bound >= SUGGESTION_CUTOFF and (best is None or bound > best.score
                                                   or (bound == best.score and rank < best_rank))

        for rank in sorted(range(len(candidates)), key=lambda rank: (-max(bounds[rank]), rank)):
            if not may_win(max(bounds[rank]), rank):
                if max(bounds[rank]) < (best.score if best is not None else SUGGESTION_CUTOFF):
                    break  # the bounds only fall from here on
                continue
            # The score is the better of the url's and the title's: the part with the higher bound is scored first,
            # the other only if its bound passes that score (and a part whose bound cannot win not at all).
            score = 0.0
            for pair, bound in sorted(zip(pairs[rank], bounds[rank], strict=True), key=lambda item: -item[1]):
                if bound > score and may_win(bound, rank):
                    score = max(score, _similarity(*pair, beat=score))
            if may_win(score, rank):
                best, best_rank = Suggestion(*candidates[rank], score), rank
        return best


def _digest_of(rows: Iterable[tuple[str, int]]) -> str:
    """A digest of (title, count) rows, taken row by row (a corpus's titles need not all be held at once)."""
    hasher = hashlib.blake2b(digest_size=16)
    for title, count in rows:
        hasher.update(f"{len(title)}:{title}{count}\n".encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _fold_any(value: Any) -> str:
    return _fold(value) if isinstance(value, str) else ""


def _slug(url: Any) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].casefold() if isinstance(url, str) else ""


def _words(value: Any) -> list[str]:
    if not isinstance(value, str):
        return []
    text = _slug(value) if value.startswith("/") else value.casefold()
    return [word for word in re.split(r"[^0-9a-z]+", text) if len(word) > 1]


def _bound(a: str, b: str) -> float:
    """An upper bound of difflib's ratio (0.0 for an empty string): the longest common subsequence (rapidfuzz,
    in C) holds at least as many characters as difflib's matching blocks, which form a common subsequence.
    Computed as ratio() computes its value, so that it equals the ratio whenever the two counts agree."""
    if not a or not b:
        return 0.0
    length = len(a) + len(b)
    return 2.0 * ((length - Indel.distance(a, b)) // 2) / length


def _bounds(a: str, others: list[str]) -> list[float]:
    """``_bound(a, b)`` for each of the others, the longest common subsequences counted in one C-level map."""
    if not a:
        return [0.0] * len(others)
    return [2.0 * common / (len(a) + len(b)) if b else 0.0
            for b, common in zip(others, map(LCSseq.similarity, repeat(a), others), strict=True)]


def _similarity(a: str, b: str, beat: float = 0.0) -> float:
    """difflib's ratio, or 0.0 when difflib's cheap upper bounds already put it below the suggestion cutoff or
    not above ``beat`` (the best score so far): then its exact value does not matter, and ratio() is the costly
    part of a suggestion."""
    if not a or not b:
        return 0.0
    length = len(a) + len(b)
    length_bound = 2.0 * min(len(a), len(b)) / length  # real_quick_ratio(), before building a matcher
    if length_bound < SUGGESTION_CUTOFF or length_bound <= beat:
        return 0.0
    bound = _bound(a, b)  # as cheap as quick_ratio(), and much tighter
    if bound < SUGGESTION_CUTOFF or bound <= beat:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _indexable(stamped: list[StampedFile], max_size: int) -> list[StampedFile]:
    """The files the index holds: those within the size limit whose name SQLite can store (a name that is not
    UTF-8 is not indexed: links cannot name it either)."""
    return [item for item in stamped if item[2].size <= max_size and storable(item[0])]


def _numbers(numbers: list[int]) -> array[int]:
    """File numbers as an array of 4 bytes each (8 only for a number past 2**32: never seen in practice)."""
    try:
        return array("I", numbers)
    except OverflowError:
        return array("q", numbers)


def _title_words(url: Any, title: Any) -> set[str]:
    """The words a suggestion's candidates are found by: those of the url slug and of the title."""
    return set(_words(url)) | set(_words(title))


def _id_column(value: Any) -> int | str | None:
    """An id's lookup form as SQLite stores it (a number past 64 bits becomes text that no real id spells)."""
    key = id_key(value)
    return f"#{key}" if isinstance(key, int) and not -MAX_INT <= key <= MAX_INT else key


def _fold_column(value: Scalar) -> str | None:
    return _fold(value) if isinstance(value, str) else None


def _entry_hash(entry: CorpusEntry) -> bytes:
    # JSON (in C) tells 1 from "1" and None from "None", as the entry's values differ
    return hashlib.blake2b(json.dumps(entry).encode(), digest_size=16).digest()


_OPENED: dict[tuple[Path, str], CorpusIndex] = {}  # in a worker: each run's index, opened once


def _open_index(path: Path, digest: str) -> CorpusIndex:
    index = _OPENED.get((path, digest))
    if index is None:
        if len(_OPENED) >= 4:  # a long-lived worker (the language server's) sees one index after another
            _OPENED.clear()
        index = _OPENED[path, digest] = CorpusIndex(path)
        index._digest = digest
    return index


def _scratch_directory(near: Path | None) -> Path:
    if near is not None:
        with contextlib.suppress(OSError):
            near.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=".run-", dir=near))
    return Path(tempfile.mkdtemp(prefix="contentlint-corpus-"))


def _remove_directory(directory: Path, owner: int) -> None:
    """Delete a run's index database, from the process that made it only (forked workers share the object)."""
    if os.getpid() == owner:
        shutil.rmtree(directory, ignore_errors=True)
