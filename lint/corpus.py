"""The corpus index: who is who across all documents of the content root, for cross-document rules.

It is built from the front matter alone (no prose work), from every file under the content root, even when
only a few files are checked: a pre-commit run on two staged files still knows every article's id and url.
It holds, per document, only what cross-document rules compare: id, url, file_name, title, subject and the
related_articleN links. Lookups are dictionaries built once, so a rule asking about one link costs O(1)
whatever the size of the corpus.

Reading 20,000 front matters takes seconds, so the index is cached on disk (see ``CorpusCache``): a re-run
re-reads only the files whose path, size or modification time changed.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import hashlib
import heapq
import os
import re
import sqlite3
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from rapidfuzz.distance import Indel

from lint import frontmatter
from lint.document import decode

try:  # The C parser is an order of magnitude faster; fall back to the pure-Python one where libyaml is absent.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

RELATED_KEY = re.compile(r"related_article([0-9]+)")
ENTRY_FIELDS = ("id", "url", "file_name", "title", "subject")
LINK_FIELDS = ("id", "url", "title", "subject")

# A value of the index: a string or an integer. Anything else where an id, url or title belongs (a date, a
# list, true, 1.5) is the schema rules' business; for the index it is no usable value.
Scalar = str | int | None
MAX_INT = 2**63 - 1  # what SQLite stores; a larger "id" is no usable id either

CACHE_DIR_ENV = "CONTENTLINT_CACHE_DIR"  # overrides `cache-dir` (relative paths: to the content root)
NO_CACHE_ENV = "CONTENTLINT_NO_CACHE"  # set to 1 to neither read nor write any cache (as --no-cache)
DEFAULT_CACHE_DIR = ".contentlint_cache"
CACHE_MIN_FILES = 200  # below this many files reading every front matter costs less than a cache file
CACHE_FORMAT = 1  # bump when what is indexed, or how, changes
BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM,
              sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY)
LOCK_TIMEOUT = 1.0  # seconds to wait for a concurrent run's write before giving up updating the cache
RACY_WINDOW_NS = 2_000_000_000  # a file changed this recently may change again within its mtime tick

PARALLEL_READ_MIN = 1000  # files per extra process: below this a pool costs more than it saves
SUGGESTION_CANDIDATES = 40  # how many prefiltered articles the similarity score is computed for
SUGGESTION_CUTOFF = 0.7
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
    """A front-matter value as the index keeps it: a string or an integer, else None."""
    if isinstance(value, str) or (type(value) is int and -MAX_INT <= value <= MAX_INT):
        return shared(value)
    return None


def shared(value: Scalar) -> Scalar:
    """One string object for equal strings: links repeat their targets' titles, urls and subjects, so on a
    large corpus most of the index's strings are repeats."""
    return sys.intern(value) if type(value) is str else value


def id_key(value: Any) -> int | str | None:
    """The identity of an id for lookups: 930001 and "930001" are the same article; bools and lists are none."""
    if isinstance(value, str):
        value = value.strip()
        return int(value) if value.isascii() and value.isdecimal() else (value or None)
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


def _read_file(item: tuple[str, Path]) -> CorpusEntry | str | None:
    relpath, abspath = item
    try:
        return read_entry(relpath, abspath.read_bytes())
    except OSError:
        return _UNREADABLE


def read_entries(items: list[tuple[str, Path]]) -> list[CorpusEntry | str | None]:
    """Read many files; a cold build of thousands of files is spread over the CPUs (YAML parsing is CPU-bound)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(cpus, len(items) // PARALLEL_READ_MIN)
    if workers > 1:  # a pool that cannot start (a sandbox without semaphores) just means reading here
        with contextlib.suppress(OSError, RuntimeError, BrokenExecutor), ProcessPoolExecutor(workers) as pool:
            return list(pool.map(_read_file, items, chunksize=256))
    return [_read_file(item) for item in items]


# --- the on-disk cache ----------------------------------------------------------------------------------


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


Stamped = dict[str, tuple[Stamp, "CorpusEntry | None"]]
StampedFile = tuple[str, Path, Stamp]  # (relative path, absolute path, stamp)


def stamp_files(files: Iterable[tuple[str, Path]]) -> list[StampedFile]:
    """The files that can be stat()ed, with their stamps (size and mtime)."""
    stamped = []
    for relpath, abspath in files:
        try:
            stat = abspath.stat()
        except OSError:
            continue
        stamped.append((relpath, abspath, Stamp(stat.st_size, stat.st_mtime_ns)))
    return stamped

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, indexed INTEGER,
                                  id, url, file_name, title, subject);
CREATE TABLE IF NOT EXISTS links (path TEXT, position INTEGER, field TEXT, id, url, title, subject);
CREATE INDEX IF NOT EXISTS links_by_path ON links (path);
"""


class CorpusCache:
    """The index entries of one content root on disk, in SQLite, keyed by path, size and mtime.

    SQLite rather than one JSON or pickle file: a re-run after one edit rewrites one row, not the whole
    cache; concurrent runs are serialised by its locks; and loading it never runs code, whoever wrote it.
    Every failure is harmless: a missing, corrupt, foreign or unreadable cache means a cold build, and a
    cache that cannot be written (read-only disk, locked by another run) is simply not updated.
    """

    def __init__(self, directory: Path, root: Path, max_size: int) -> None:
        self.directory = directory
        self.identity = f"{CACHE_FORMAT}\0{root.resolve()}\0{max_size}"
        digest = hashlib.sha256(self.identity.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.path = directory / f"corpus-v{CACHE_FORMAT}-{digest}.sqlite"
        self._state = "ok"  # "replace": the file proved not to be our cache; "skip": another run holds it
        self.digest: str | None = None  # entries_digest() of what the cache holds, stored when it was written

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=LOCK_TIMEOUT, isolation_level=None)

    def load(self) -> Stamped:
        if not self.path.is_file():
            return {}
        try:
            with contextlib.closing(self._connect()) as db:
                identity = db.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
                if identity != (self.identity,):
                    self._state = "replace"
                    return {}
                stored = db.execute("SELECT value FROM meta WHERE key = 'digest'").fetchone()
                self.digest = stored[0] if stored else None
                return self._rows(db)
        except sqlite3.Error as error:
            # Busy (another run is writing) or unopenable: leave the file alone. Anything else: not our cache.
            busy = getattr(error, "sqlite_errorcode", None) in BUSY_CODES
            self._state = "skip" if busy else "replace"
            return {}
        except (TypeError, ValueError):  # rows of another shape
            self._state = "replace"
            return {}

    def unchanged_digest(self, stamps: dict[str, Stamp]) -> str | None:
        """The stored index digest, when the cache holds exactly these files with these stamps (then the index
        would be the cached one), without loading any entry; else None."""
        if not self.path.is_file():
            return None
        try:
            with contextlib.closing(self._connect()) as db:
                meta = dict(db.execute("SELECT key, value FROM meta WHERE key IN ('identity', 'digest')"))
                if meta.get("identity") != self.identity or not meta.get("digest"):
                    return None
                recorded = {path: Stamp(size, mtime_ns)
                            for path, size, mtime_ns in db.execute("SELECT path, size, mtime_ns FROM files")}
        except (sqlite3.Error, TypeError, ValueError):
            return None
        return meta["digest"] if recorded == stamps else None

    @staticmethod
    def _rows(db: sqlite3.Connection) -> Stamped:
        # Rows are inserted file by file, links in order: rowid order groups them, with no sort.
        links: dict[str, list[RelatedLink]] = defaultdict(list)
        intern = sys.intern  # shared(), inlined: this loop runs for every link of the corpus on every run
        for path, *values in db.execute("SELECT path, field, id, url, title, subject FROM links ORDER BY rowid"):
            links[path].append(RelatedLink._make([v if v.__class__ is not str else intern(v) for v in values]))
        loaded: Stamped = {}
        for path, size, mtime_ns, indexed, *values in db.execute("SELECT * FROM files"):
            entry = (CorpusEntry._make((path, *[v if v.__class__ is not str else intern(v) for v in values],
                                        tuple(links.get(path, ())))) if indexed else None)
            loaded[path] = (Stamp(size, mtime_ns), entry)
        return loaded

    def save(self, previous: Stamped, current: Stamped) -> None:
        """Write what changed between the loaded and the current state."""
        stale = [path for path, record in previous.items() if current.get(path) != record]
        fresh = [(path, record) for path, record in current.items() if previous.get(path) != record]
        if self._state == "skip" or (not stale and not fresh and self._state == "ok" and self.digest):
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            marker = self.directory / ".gitignore"
            if not marker.exists():
                marker.write_text("# written by contentlint: the corpus index cache\n*\n", encoding="utf-8")
            if self._state == "replace":
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)
                stale, fresh = [], list(current.items())
            with contextlib.closing(self._connect()) as db:
                db.execute("PRAGMA synchronous = OFF")  # a cache: losing it to a power cut only costs a rebuild
                db.executescript(_SCHEMA)
                db.execute("BEGIN IMMEDIATE")
                try:
                    self._write(db, stale, fresh, entries_digest(
                        {path: entry for path, (_, entry) in current.items() if isinstance(entry, CorpusEntry)}))
                    db.execute("COMMIT")
                except BaseException:
                    db.execute("ROLLBACK")
                    raise
        except (OSError, sqlite3.Error):
            return  # read-only, locked by a concurrent run, or a full disk: the next run tries again

    def _write(self, db: sqlite3.Connection, stale: list[str], fresh: list[tuple[str, tuple[Stamp, Any]]],
               digest: str) -> None:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('identity', ?)", (self.identity,))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('digest', ?)", (digest,))
        gone = [(path,) for path in stale] + [(path,) for path, _ in fresh]
        db.executemany("DELETE FROM files WHERE path = ?", gone)
        db.executemany("DELETE FROM links WHERE path = ?", gone)
        db.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", (
            (path, stamp.size, stamp.mtime_ns, entry is not None,
             *(getattr(entry, name) if entry is not None else None for name in ENTRY_FIELDS))
            for path, (stamp, entry) in fresh))
        db.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?, ?, ?)", (
            (path, position, *link)
            for path, (_, entry) in fresh if entry is not None
            for position, link in enumerate(entry.related)))


def entries_digest(entries: dict[str, CorpusEntry]) -> str:
    hasher = hashlib.blake2b(digest_size=16)
    for path in sorted(entries):
        hasher.update(repr(entries[path]).encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()


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


@dataclass
class CorpusIndex:
    entries: dict[str, CorpusEntry] = field(default_factory=dict)  # by path

    def add(self, entry: CorpusEntry) -> None:
        self.entries[entry.path] = entry

    def update(self, path: str, entry: CorpusEntry | None) -> bool:
        """Replace one document's entry (None: it has no usable front matter any more), for a long-lived
        index such as the language server's. Returns whether the index changed."""
        if entry == self.entries.get(path):
            return False
        if entry is None:
            del self.entries[path]
        else:
            self.entries[path] = entry
        for name, value in vars(type(self)).items():  # forget every answer computed from the old entries
            if isinstance(value, cached_property):
                self.__dict__.pop(name, None)
        return True

    @staticmethod
    def unchanged_digest(stamped: list[StampedFile], max_size: int, cache: CorpusCache | None) -> str | None:
        """The digest of the index ``build`` would return, read from the cache when no file changed since it was
        written (a warm run then needs no index at all, only its digest for the result cache); else None."""
        if cache is None or len(stamped) < CACHE_MIN_FILES:
            return None
        now_ns = time.time_ns()
        if any(now_ns - stamp.mtime_ns <= RACY_WINDOW_NS for _, _, stamp in stamped):
            return None  # a stamp too recent to trust: build() would read that file
        return cache.unchanged_digest({relpath: stamp for relpath, _, stamp in stamped if stamp.size <= max_size})

    @classmethod
    def build(cls, files: Iterable[tuple[str, Path]], max_size: int, cache: CorpusCache | None = None,
              min_files_to_cache: int | None = None, stamped: list[StampedFile] | None = None) -> CorpusIndex:
        """Index the files, re-reading only those whose size or mtime differ from the cache's record.
        ``stamped``: the files with their stamps, when the caller already has them (stamp_files)."""
        files = list(files)
        if len(files) < (CACHE_MIN_FILES if min_files_to_cache is None else min_files_to_cache):
            cache = None
        with _gc_paused():
            return cls._build(stamp_files(files) if stamped is None else stamped, max_size, cache)

    @classmethod
    def _build(cls, all_stamped: list[StampedFile], max_size: int, cache: CorpusCache | None) -> CorpusIndex:
        previous = cache.load() if cache is not None else {}
        stamped = [item for item in all_stamped if item[2].size <= max_size]
        unknown = [(relpath, abspath) for relpath, abspath, stamp in stamped
                   if (known := previous.get(relpath)) is None or known[0] != stamp]
        fresh = dict(zip((relpath for relpath, _ in unknown), read_entries(unknown), strict=True))
        index = cls()
        current: Stamped = {}
        now_ns = time.time_ns()
        for relpath, _, stamp in stamped:
            read = fresh.get(relpath, _NOT_READ)
            if read is _UNREADABLE:
                continue
            entry = previous[relpath][1] if read is _NOT_READ else read
            if isinstance(entry, CorpusEntry):
                index.add(entry)
            if now_ns - stamp.mtime_ns > RACY_WINDOW_NS:
                current[relpath] = (stamp, entry if isinstance(entry, CorpusEntry) else None)
        if cache is not None:
            if not unknown and len(stamped) == len(previous) and cache.digest:
                # every file is as the cache recorded it: the index is the cached one, and so is its digest
                index.__dict__["digest"] = cache.digest
            cache.save(previous, current)
        return index

    @cached_property
    def digest(self) -> str:
        """A hash of everything the index holds: equal digests, equal answers to every corpus question."""
        return entries_digest(self.entries)

    def prepare(self) -> None:
        """Build every lookup table now. Called before a process pool forks, so that the workers share one
        copy of the tables instead of each building its own on its first question."""
        for name in ("_by_id", "_by_url", "_subjects", "_linked_from", "_by_word"):
            getattr(self, name)  # a cached property: reading it builds it

    # Lookups ------------------------------------------------------------------------------------------

    @cached_property
    def _by_id(self) -> dict[int | str, list[str]]:
        groups: dict[int | str, list[str]] = defaultdict(list)
        for entry in self.entries.values():
            key = id_key(entry.id)
            if key is not None:
                groups[key].append(entry.path)
        return groups

    @cached_property
    def _by_url(self) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = defaultdict(list)
        for entry in self.entries.values():
            if isinstance(entry.url, str):
                groups[entry.url].append(entry.path)
        return groups

    @cached_property
    def _subjects(self) -> dict[str, Counter[str]]:
        groups: dict[str, Counter[str]] = defaultdict(Counter)
        for entry in self.entries.values():
            # Subjects cited by related links count too: they show how the corpus spells a subject.
            for subject in (entry.subject, *(link.subject for link in entry.related)):
                if isinstance(subject, str):
                    groups[_fold(subject)][subject] += 1
        return groups

    @cached_property
    def _linked_from(self) -> dict[str, set[str]]:
        """For each target path, the paths of the documents whose related links resolve to it."""
        inbound: dict[str, set[str]] = defaultdict(set)
        for entry in self.entries.values():
            for link in entry.related:
                for target in self.resolve(link.url, link.id):
                    inbound[target].add(entry.path)
        return inbound

    def paths_with_id(self, value: Any) -> list[str]:
        key = id_key(value)
        return self._by_id.get(key, []) if key is not None else []

    def paths_with_url(self, value: Any) -> list[str]:
        return self._by_url.get(value, []) if isinstance(value, str) else []

    def resolve(self, url: Any, id_value: Any) -> list[str]:
        """The documents a link opens: those with its url, else (no url given) those with its id."""
        return self.paths_with_url(url) if isinstance(url, str) else self.paths_with_id(id_value)

    def linked_from(self, path: str) -> set[str]:
        """The other documents that link to this one."""
        return self._linked_from.get(path, set()) - {path}

    def subject_spellings(self, subject: str) -> Counter[str]:
        """How often each spelling of a subject occurs (as an article's subject or a link's), compared
        case- and space-insensitively."""
        return self._subjects.get(_fold(subject), Counter())

    # Nearest-article suggestions ----------------------------------------------------------------------

    @cached_property
    def _by_word(self) -> dict[str, list[str]]:
        """Paths by the words of their url slug and title, for a cheap prefilter of suggestion candidates."""
        postings: dict[str, list[str]] = defaultdict(list)
        for entry in self.entries.values():
            for word in set(_words(entry.url)) | set(_words(entry.title)):
                postings[word].append(entry.path)
        return postings

    def nearest(self, url: Any, title: Any, exclude: str | None = None) -> Suggestion | None:
        """The article most like a link's url or title (after a rename), or None when none is close.

        Scoring every article would make a corpus of broken links quadratic; instead candidates are the
        articles sharing the most informative words (words in more than a few percent of articles are
        skipped), and only those few are compared with difflib.
        """
        words = set(_words(url)) | set(_words(title))
        common = max(20, int(len(self.entries) * COMMON_TOKEN_SHARE))
        shared: Counter[str] = Counter()
        for word in words:
            postings = self._by_word.get(word, [])
            if len(postings) <= common:
                shared.update(postings)
        shared.pop(exclude or "", None)
        ranked = heapq.nlargest(SUGGESTION_CANDIDATES, shared.items(), key=lambda item: (item[1], item[0]))
        candidates = [self.entries[path] for path, _ in ranked]
        slug, folded = _slug(url), _fold_any(title)
        # The best is the first candidate (in this order) with the highest score. Cheap upper bounds of every
        # candidate's score say which to score first, and when no other can win: usually after one or two.
        pairs = [((slug, _slug(entry.url)), (folded, _fold_any(entry.title))) for entry in candidates]
        bounds = [(_bound(*by_url), _bound(*by_title)) for by_url, by_title in pairs]
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
            # a part whose bound cannot win is not scored: the candidate's score, if it wins, is the other part's
            score = max((_similarity(*pair) for pair, bound in zip(pairs[rank], bounds[rank], strict=True)
                         if may_win(bound, rank)), default=0.0)
            if may_win(score, rank):
                entry = candidates[rank]
                best, best_rank = Suggestion(entry.path, entry.url, entry.title, score), rank
        return best


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
