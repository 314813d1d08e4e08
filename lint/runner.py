"""The runner: discovers files, picks each file's rules, builds the corpus index, checks, suppresses, fixes.

Data flows one way: files -> documents -> rules -> findings. Large runs fan out over a process pool that is
sent file paths (not texts) and sends back each file's findings as soon as it is done.
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import gc
import hashlib
import inspect
import os
import re
import signal
import stat
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from lint import registry
from lint.cache import LOOKUP_BATCH, CacheRequest, ResultCache, Stamp, content_digest, entry_key
from lint.config import Settings, config_for_directory
from lint.corpus import CorpusCache, CorpusIndex, StampedFile, stamp_files
from lint.discovery import Discoverer, Discovery, SourceFile
from lint.document import Document
from lint.engine_rules import (
    BinaryFile,
    RuleError,
    Timeout,
    TooLarge,
    Unreadable,
    UnsupportedEncoding,
    UnusedSuppression,
)
from lint.pool import ordered_map
from lint.result import FileResult, Finding, RunResult, make_finding
from lint.rule import CheckContext, Edit, Rule, Severity, Violation
from lint.suppressions import find_suppressions

PARALLEL_THRESHOLD = 64  # below this many files a process pool costs more than it saves
TASK_FILES = 8  # files sent to a worker at a time
TASKS_AHEAD = 4  # tasks waiting per worker: enough to keep it busy, few enough not to queue the corpus
BINARY_SNIFF = 8192
MAX_FIX_PASSES = 4


# Rule data and the corpus index are millions of long-lived objects: at the default thresholds (700, 10, 10)
# the garbage collector walks them again and again (10% of a cold run). A check collects less often.
GC_THRESHOLDS = (20_000, 50, 1000)

@dataclass(frozen=True)
class RunOptions:
    """What the command line adds to the configuration."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    jobs: int = 1
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False  # compute the fixes but show them as a diff instead of writing them
    cache_dir: Path | None = None  # where results, the corpus index and rules' caches live; None: no caching


@dataclass(frozen=True)
class Plan:
    """One file's settings and the rules that apply to it."""

    settings: Settings
    rules: tuple[type[Rule], ...] = ()
    cache_dir: Path | None = None

    @cached_property
    def cacheable(self) -> bool:
        return all(rule.cacheable for rule in self.rules)

    @cached_property
    def checks(self) -> tuple[tuple[type[Rule], Rule, BaseModel], ...]:
        """Each rule with its instance and options, looked up once per plan rather than once per file (the
        options' lookup hashes the whole settings)."""
        return tuple((rule, _instance(rule), self.settings.rule_options(rule.id)) for rule in self.rules)


def plan_for(source: SourceFile, root: Path, options: RunOptions, settings: Settings | None = None) -> Plan:
    """A file's plan; ``settings``, when the caller knows them, are those of the file's directory."""
    if settings is None:
        settings = config_for_directory(source.abspath.parent, root).settings
    return _plan(settings, options, tuple(settings.ignored_for(source.relpath)))


@lru_cache(maxsize=256)
def _plan(settings: Settings, options: RunOptions, relpath_ignores: tuple[str, ...]) -> Plan:
    """One plan shared by every file with the same settings and ignores (and so one cache key to compute)."""
    rules = registry.select(
        options.select or settings.select,
        [*settings.extend_select, *options.extend_select],
        [*settings.ignore, *options.ignore, *relpath_ignores],
    )
    return Plan(settings, tuple(rules), options.cache_dir)


class _FileTimeout(Exception):
    pass


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the work on one file after ``seconds`` (Unix main thread only; elsewhere no limit)."""
    usable = seconds > 0 and hasattr(signal, "SIGALRM") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        # Re-arm first: an exception raised while Python runs a garbage-collection callback is lost, and the
        # next alarm then still stops the file. Leaving the `with` block below cancels it.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise _FileTimeout

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


_INSTANCES: dict[type[Rule], Rule] = {}


def _instance(rule: type[Rule]) -> Rule:
    if rule not in _INSTANCES:
        _INSTANCES[rule] = rule()
    return _INSTANCES[rule]


def _engine_finding(path: str, rule: type[Rule], settings: Settings, message: str) -> Finding:
    doc = Document.from_bytes(path, b"")
    return make_finding(doc, rule, settings.severity.get(rule.id, rule.severity), Violation(0, 0, message))


def check_document(
    doc: Document, plan: Plan, corpus: CorpusIndex | None, metrics: dict[str, Any] | None = None,
    scoped: set[str] | None = None,
) -> tuple[list[Finding], list[tuple[type[Rule], Violation]]]:
    """Run a file's rules on a document. Returns the findings and the violations they came from (for fixes);
    ``metrics`` and ``scoped`` receive what the rules measured and which of them depend on their cache scope."""
    settings = plan.settings
    raw: list[tuple[type[Rule], Violation]] = []
    errors: list[Finding] = []
    file_settings = {"requires_front_matter": settings.requires_front_matter(doc.path),
                     "schemas": settings.schemas, "cache_dir": plan.cache_dir}
    metrics = metrics if metrics is not None else {}
    scoped = scoped if scoped is not None else set()
    for rule, instance, rule_options in plan.checks:
        ctx = CheckContext(options=rule_options, corpus=corpus, settings=file_settings, metrics=metrics,
                           scoped=scoped)
        try:
            raw.extend((rule, violation) for violation in instance.check(doc, ctx))
        except _FileTimeout:
            raise
        except Exception as error:  # a bug in one rule must not cost the other rules or files
            errors.append(make_finding(doc, RuleError, Severity.ERROR, Violation(
                0, 0, f"rule {rule.id} failed on this file: {type(error).__name__}: {error}")))
    suppressions = find_suppressions(doc)
    findings = list(errors)
    kept: list[tuple[type[Rule], Violation]] = []
    for rule, violation in raw:
        finding = make_finding(doc, rule, settings.severity.get(rule.id, rule.severity), violation)
        covering = suppressions.covering(rule.id, finding.line)
        for suppression in covering:
            suppression.used = True
        if not covering:
            findings.append(finding)
            kept.append((rule, violation))
    if UnusedSuppression in plan.rules:
        for suppression in suppressions.all:
            if not suppression.used:
                offset = doc.lines.offset(suppression.line, suppression.column)
                findings.append(make_finding(doc, UnusedSuppression,
                                             settings.severity.get(UnusedSuppression.id, UnusedSuppression.severity),
                                             Violation(offset, offset, "this suppression comment suppresses nothing")))
    return findings, kept


def apply_edits(text: str, fixes: list[tuple[Edit, ...]]) -> tuple[str, list[int]]:
    """Apply each fix whose edits overlap no fix taken before it (nor start where one starts). Returns the new
    text and the indices of the fixes applied (the others wait for the next pass, on the text the first ones
    produced). The edits taken are kept sorted by start, so an edit is compared with its two neighbours only
    (taken edits never overlap): a page of 80,000 fixable entities took 133 s comparing each with all."""
    starts: list[int] = []
    accepted: list[Edit] = []  # sorted by start, as starts; fixes come in document order, so mostly appended
    taken: list[int] = []
    for index, edits in enumerate(fixes):
        if any(_clashes(edit, starts, accepted) for edit in edits):
            continue
        for edit in edits:
            at = bisect.bisect_right(starts, edit.start)
            starts.insert(at, edit.start)
            accepted.insert(at, edit)
        taken.append(index)
    pieces = []
    last = 0
    for edit in sorted(accepted, key=lambda e: (e.start, e.end)):
        pieces.append(text[last : edit.start])
        pieces.append(edit.text)
        last = edit.end
    pieces.append(text[last:])
    return "".join(pieces), taken


def _clashes(edit: Edit, starts: list[int], accepted: list[Edit]) -> bool:
    """Whether an edit overlaps one of the taken ones, or starts where one starts."""
    at = bisect.bisect_left(starts, edit.start)
    after = accepted[at] if at < len(accepted) else None
    before = accepted[at - 1] if at else None
    return ((after is not None and (after.start == edit.start or after.start < edit.end))
            or (before is not None and edit.start < before.end))


def _wide_encoding(head: bytes) -> str | None:
    """UTF-16/32 by byte-order mark, or UTF-16 by NULs in every other byte of mostly-ASCII text."""
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32LE"), (b"\x00\x00\xfe\xff", "UTF-32BE"),
                      (b"\xff\xfe", "UTF-16LE"), (b"\xfe\xff", "UTF-16BE")):
        if head.startswith(bom):
            return name
    sample = head[: len(head) // 2 * 2]
    if len(sample) >= 4:
        odd_nuls, even_nuls = sample[1::2].count(0), sample[0::2].count(0)
        if odd_nuls > 0.9 * len(sample) // 2 and even_nuls == 0:
            return "UTF-16LE"
        if even_nuls > 0.9 * len(sample) // 2 and odd_nuls == 0:
            return "UTF-16BE"
    return None


def lint_file(source: SourceFile, plan: Plan, corpus: CorpusIndex | None, options: RunOptions) -> FileResult:
    """Everything about one file, never raising: unreadable, too large or binary files become findings."""
    result = FileResult(source.relpath)
    settings = plan.settings
    try:
        stat = source.abspath.stat()
        size = stat.st_size
        result.stamp = (stat.st_mtime_ns, size)
        if size > settings.max_file_size:
            result.findings.append(_too_large(source.relpath, size, settings))
            return result
        raw = source.abspath.read_bytes()
    except OSError as error:
        result.findings.append(_engine_finding(source.relpath, Unreadable, settings,
                                               f"cannot read the file: {error.strerror or error}"))
        return result
    return lint_bytes(source, raw, plan, corpus, options, result)


def _too_large(relpath: str, size: int, settings: Settings) -> Finding:
    return _engine_finding(relpath, TooLarge, settings,
        f"file is {size:,} bytes, over the {settings.max_file_size:,}-byte limit (max-file-size); not checked")


def lint_bytes(source: SourceFile, raw: bytes, plan: Plan, corpus: CorpusIndex | None, options: RunOptions,
               result: FileResult | None = None) -> FileResult:
    """Check content already in memory: a file just read, or an editor's unsaved buffer (the language
    server), with the same size, binary, encoding and time limits as files read from disk."""
    settings = plan.settings
    result = result if result is not None else FileResult(source.relpath)
    if len(raw) > settings.max_file_size:
        result.findings.append(_too_large(source.relpath, len(raw), settings))
        return result
    result.digest = content_digest(raw)
    if b"\x00" in raw[:BINARY_SNIFF]:
        encoding = _wide_encoding(raw[:BINARY_SNIFF])
        if encoding:
            result.findings.append(_engine_finding(source.relpath, UnsupportedEncoding, settings,
                f"file is {encoding} text; contentlint reads UTF-8: convert it (iconv -f {encoding} -t UTF-8)"))
        else:
            result.findings.append(_engine_finding(source.relpath, BinaryFile, settings,
                                                   "file holds NUL bytes: binary data, not text; not checked"))
        return result
    try:
        with _time_limit(settings.timeout):
            doc, findings = _check_and_fix(source, raw, plan, corpus, options, result)
    except _FileTimeout:
        result.findings = [_engine_finding(source.relpath, Timeout, settings,
            f"checking this file took longer than {settings.timeout:g} s (timeout); its findings are incomplete")]
        return result
    data = doc.data
    if doc.front_matter is not None and doc.front_matter.problem is None:
        schema = data.get("_schema", "default")
        result.schema = schema if isinstance(schema, str) else None
    result.findings = findings
    return result


def _check_and_fix(source: SourceFile, raw: bytes, plan: Plan, corpus: CorpusIndex | None,
                   options: RunOptions, result: FileResult) -> tuple[Document, list[Finding]]:
    """Check a file; with --fix or --diff, also fix it in memory, pass after pass, until no fix applies.

    The fixed text is written once, atomically, and only if the file on disk still holds the bytes that were
    checked; with --diff it is not written but shown as a unified diff. The findings returned are those of
    the file as it now stands on disk."""
    prose_options = plan.settings.prose_options()
    doc = Document.from_bytes(source.relpath, raw, source.abspath, prose_options)
    scoped: set[str] = set()
    findings, violations = check_document(doc, plan, corpus, result.metrics, scoped)
    result.scoped = bool(scoped)
    if not (options.fix or options.diff) or doc.decode_errors:  # never rewrite bytes we could not all decode
        return doc, findings
    fixed_doc, fixed_findings, metrics = doc, findings, result.metrics
    applied: Counter[str] = Counter()
    for _ in range(MAX_FIX_PASSES):
        fixable = [(rule, v.fix.edits) for rule, v in violations
                   if v.fix is not None and (v.fix.safe or options.unsafe_fixes)]
        text, taken = apply_edits(fixed_doc.text, [edits for _, edits in fixable])
        if text == fixed_doc.text:
            break
        applied.update(fixable[index][0].id for index in taken)
        metrics = {}
        fixed_doc = Document.from_bytes(source.relpath, _encode(text, doc.has_bom), source.abspath, prose_options)
        fixed_findings, violations = check_document(fixed_doc, plan, corpus, metrics)
    if fixed_doc is doc:
        return doc, findings
    if options.diff:
        result.fixes = applied
        result.diff = _unified_diff(source.relpath, doc.text, fixed_doc.text)
        return doc, findings
    error = write_if_unchanged(source.abspath, raw, fixed_doc.raw)
    if error is not None:
        result.fix_error = error
        return doc, findings
    result.fixes = applied
    result.metrics.clear()
    result.metrics.update(metrics)
    return fixed_doc, fixed_findings


def _encode(text: str, bom: bool) -> bytes:
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if bom else data


_PATCH_LINES = re.compile(r"[^\n]*\n|[^\n]+\Z")


def _unified_diff(relpath: str, before: str, after: str) -> str:
    # lines as patch reads them: split at \n only (splitlines also splits at \r, \f, U+2028... and the
    # patch then splits a line that patch takes whole: "malformed patch")
    lines = difflib.unified_diff(_PATCH_LINES.findall(before), _PATCH_LINES.findall(after),
                                 f"a/{relpath}", f"b/{relpath}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def write_if_unchanged(path: Path, expected: bytes, data: bytes) -> str | None:
    """Replace a file's bytes atomically (a temporary file in the same directory, then a rename), keeping its
    permissions, unless the file no longer holds ``expected``. Returns why nothing was written, or None."""
    target = Path(os.path.realpath(path))
    try:
        if target.read_bytes() != expected:
            return "the file changed on disk while it was being checked; fixes not written (run again)"
        mode = stat.S_IMODE(target.stat().st_mode)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:  # an interrupted write leaves the article as it was, and no temporary file
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError as error:
        return f"cannot write the fixes: {error.strerror or error}"
    return None


# --- worker processes -------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(root: Path, options: RunOptions) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _WORKER.update(root=root, options=options)


def _lint_in_worker(sources: list[SourceFile], corpus: CorpusIndex | None) -> list[FileResult]:
    """Check a few files in a worker; the corpus index comes with each task as its database's path (see
    CorpusIndex.__reduce__), opened once per worker."""
    root, options = _WORKER["root"], _WORKER["options"]
    results = []
    for source in sources:
        result = lint_file(source, plan_for(source, root, options), corpus, options)
        result.pack()  # findings travel back as JSON lines: cheaper to send than objects, and encoded in parallel
        results.append(result)
        if not _WORKER.get("frozen"):
            # The first file loaded the rules' data (word lists, indexes: millions of objects that live as long
            # as the worker); frozen, the garbage collector stops walking them on every collection.
            gc.freeze()
            _WORKER["frozen"] = True
    return results


def _lint_on_pool(pool: ProcessPoolExecutor, jobs: int, files: list[SourceFile],
                  corpus: CorpusIndex | None) -> Iterator[FileResult]:
    """The files' results, in order, checked TASK_FILES at a time on the pool's workers, with TASKS_AHEAD tasks
    per worker waiting (lint.pool.ordered_map: not the whole corpus queued at once)."""
    return ordered_map(pool, _lint_in_worker, files, TASK_FILES, jobs * TASKS_AHEAD, corpus)


def _start_pool(jobs: int, root: Path, options: RunOptions) -> ProcessPoolExecutor:
    """A pool whose workers are forked now, with every rule module imported (their code, and what they share
    between processes, as the grammar rule's once-per-run flags). Frozen, what exists at that moment is not
    walked by the garbage collector in the workers, which then do not copy the pages they share with this one."""
    registry.all_rules()
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(root, options))
        pool.submit(int).result()  # the first task forks every worker
    finally:
        gc.unfreeze()
    return pool


def _parallel(options: RunOptions) -> bool:
    """Whether a run may check its files in worker processes (fixes are applied pass after pass, in one)."""
    return options.jobs > 1 and not (options.fix or options.diff)


@dataclass(frozen=True)
class Shard:
    """``--shard K/N``: this run checks the files whose stable hash falls in part K of N."""

    index: int  # 1-based
    count: int

    def holds(self, relpath: str) -> bool:
        bucket = int.from_bytes(hashlib.blake2b(relpath.encode(), digest_size=8).digest(), "big") % self.count
        return bucket == self.index - 1


def run(
    paths: list[Path],
    root: Path,
    options: RunOptions,
    on_file: Callable[[FileResult, int], None] | None = None,
    shard: Shard | None = None,
) -> RunResult:
    """Lint the given paths (files or directories) under the content root.

    With ``options.cache_dir``, results and the corpus index are cached there and reused while valid.
    """
    cache = ResultCache(options.cache_dir) if options.cache_dir is not None else None
    try:
        return _run(paths, root, options, on_file, cache, shard)
    finally:
        if cache is not None:
            cache.close()


def _run(paths: list[Path], root: Path, options: RunOptions, on_file: Callable[[FileResult, int], None] | None,
         cache: ResultCache | None, shard: Shard | None) -> RunResult:
    # With nothing cached every file will be checked: the workers are forked first, while this process is
    # small (the list of files, plans, cache rows and results it gathers next are not theirs to inherit:
    # 35 MB per worker on a 100,000-file corpus). A run given only a few files needs no pool.
    fan_out = _parallel(options) and (len(paths) >= PARALLEL_THRESHOLD or any(map(os.path.isdir, paths)))
    pool = _start_pool(options.jobs, root, options) if fan_out and (cache is None or cache.empty) else None
    try:
        discoverer = Discoverer(root)
        discovery = discoverer.discover(paths)
        result = RunResult(messages=list(discovery.messages), missing=list(discovery.missing))
        files = [f for f in discovery.files if shard is None or shard.holds(f.relpath)]
        whole_root = (lambda: discovery) if paths == [root] else (lambda: discoverer.discover([root]))
        return _check_files(files, root, options, on_file, cache, whole_root, result, pool)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)


def _check_files(files: list[SourceFile], root: Path, options: RunOptions,
                 on_file: Callable[[FileResult, int], None] | None, cache: ResultCache | None,
                 whole_root: Callable[[], Discovery], result: RunResult,
                 pool: ProcessPoolExecutor | None) -> RunResult:
    """Check the files (what ``_run`` found, with ``whole_root`` the discovery of every file of the root, for
    the corpus index), from the result cache where it can answer, with ``pool`` when one is running."""
    by_directory: dict[str, Settings] = {}  # looked up by name: cheaper than by Path for 100,000 files

    def settings_of(source: SourceFile) -> Settings:
        directory = os.path.dirname(source.relpath)
        if directory not in by_directory:
            by_directory[directory] = config_for_directory(source.abspath.parent, root).settings
        return by_directory[directory]

    plans = {source.relpath: plan_for(source, root, options, settings_of(source)) for source in files}
    distinct_plans = list({id(plan): plan for plan in plans.values()}.values())
    result.rules = sorted({rule for plan in distinct_plans for rule in plan.rules}, key=lambda rule: rule.id)
    corpus: CorpusIndex | None = None
    corpus_digest: str | None = None

    def build_corpus(stamped: list[StampedFile] | None = None) -> CorpusIndex:
        if stamped is None:
            stamped = stamp_files((f.relpath, f) for f in whole_root().files)
        return CorpusIndex.build_stamped(stamped, max_size, corpus_cache, pool=pool)

    if any(rule.needs_corpus for plan in distinct_plans for rule in plan.rules):
        max_size = config_for_directory(root, root).settings.max_file_size
        corpus_cache = CorpusCache(options.cache_dir, root, max_size) if options.cache_dir is not None else None
        # Unchanged since the cache was written: its digest is enough for the result cache, and the index is
        # built only if some file must be checked after all (from stamps taken again then: they are not kept,
        # being as many as the files).
        stamped = stamp_files((f.relpath, f) for f in whole_root().files)
        corpus_digest = CorpusIndex.unchanged_digest(stamped, max_size, corpus_cache)
        if corpus_digest is None:
            corpus = build_corpus(stamped)
            corpus_digest = corpus.digest
        del stamped
    total = len(files)

    def finish(file_result: FileResult, key: str | None) -> None:
        if cache is not None and key is not None and file_result.digest and file_result.stamp:
            scope = scopes[id(plans[file_result.path])] if file_result.scoped else ""
            cache.store(file_result, Stamp(*file_result.stamp), file_result.digest, key, scope)
        if on_file:
            on_file(file_result, total)
        result.keep(file_result)

    keys: dict[str, str] = {}
    scopes = {id(plan): _cache_scope(plan) for plan in distinct_plans}  # asked once a run (the day, say)

    def key_of(source: SourceFile, digest: str | None) -> str:
        return _cache_key(plans[source.relpath], digest)

    pending: list[SourceFile] = []
    cached: list[SourceFile] = []
    for source in files:
        plan = plans[source.relpath]
        if cache is None or options.fix or options.diff or not plan.cacheable:
            pending.append(source)
        else:
            keys[source.relpath] = key_of(source, corpus_digest)
            cached.append(source)
    if cache is not None:
        for start in range(0, len(cached), LOOKUP_BATCH):
            batch = cached[start : start + LOOKUP_BATCH]
            hits = cache.lookup([request for source in batch if (request := _request(
                source, keys[source.relpath], scopes[id(plans[source.relpath])])) is not None])
            for source in batch:
                hit = hits.get(source.relpath)
                if hit is None:
                    pending.append(source)
                else:
                    finish(hit, None)

    if corpus_digest is not None and corpus is None and any(
            rule.needs_corpus for source in pending for rule in plans[source.relpath].rules):
        corpus = build_corpus()
        if corpus.digest != corpus_digest:  # a file changed since the stamps were compared
            keys.update((source.relpath, key_of(source, corpus.digest)) for source in pending
                        if source.relpath in keys)
    if _parallel(options) and len(pending) >= PARALLEL_THRESHOLD:
        with contextlib.ExitStack() as stack:
            if pool is None:
                pool = stack.enter_context(_start_pool(options.jobs, root, options))
            for source, file_result in zip(pending, _lint_on_pool(pool, options.jobs, pending, corpus), strict=True):
                finish(file_result, keys.get(source.relpath))
    else:
        for source in pending:
            finish(lint_file(source, plans[source.relpath], corpus, options), keys.get(source.relpath))
    if corpus is not None:
        corpus.close()
    if cache is not None:
        cache.flush()
        if cache.problem:
            result.messages.append(cache.problem)
    return result


@lru_cache(maxsize=256)
def _cache_key(plan: Plan, corpus_digest: str | None) -> str:
    rule_ids = tuple(rule.id for rule in plan.rules)
    uses_corpus = any(rule.needs_corpus for rule in plan.rules)
    packages = tuple(sorted({os.path.dirname(inspect.getfile(rule)) for rule in plan.rules}))
    return entry_key(_settings_json(plan.settings), rule_ids, corpus_digest if uses_corpus else None, packages)


def _cache_scope(plan: Plan) -> str:
    return "\0".join(rule.cache_scope(options) for rule, _, options in plan.checks)


@lru_cache(maxsize=256)
def _settings_json(settings: Settings) -> str:
    return settings.model_dump_json()


def _request(source: SourceFile, key: str, scope: str) -> CacheRequest | None:
    """What the result cache needs to know about a file to answer for it (None: the file cannot be read)."""
    try:
        stat = source.abspath.stat()
    except OSError:
        return None
    return CacheRequest(source.relpath, Stamp(stat.st_mtime_ns, stat.st_size), key, scope, source.abspath.read_bytes)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
