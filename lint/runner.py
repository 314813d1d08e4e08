"""The runner: discovers files, picks each file's rules, builds the corpus index, checks, suppresses, fixes.

Data flows one way: files -> documents -> rules -> findings. Large runs fan out over a process pool that is
sent file paths (not texts) and sends back each file's findings as soon as it is done.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from lint import registry
from lint.config import Settings, config_for_directory
from lint.corpus import CorpusIndex
from lint.discovery import Discoverer, SourceFile
from lint.document import Document
from lint.engine_rules import BinaryFile, RuleError, Timeout, TooLarge, Unreadable, UnusedSuppression
from lint.result import FileResult, Finding, RunResult, make_finding
from lint.rule import CheckContext, Edit, Rule, Severity, Violation
from lint.suppressions import find_suppressions

PARALLEL_THRESHOLD = 64  # below this many files a process pool costs more than it saves
BINARY_SNIFF = 8192
MAX_FIX_PASSES = 4


@dataclass(frozen=True)
class RunOptions:
    """What the command line adds to the configuration."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    jobs: int = 1
    fix: bool = False
    unsafe_fixes: bool = False


@dataclass
class Plan:
    """One file's settings and the rules that apply to it."""

    settings: Settings
    rules: list[type[Rule]] = field(default_factory=list)


@lru_cache(maxsize=256)
def _rules_for(settings: Settings, options: RunOptions, relpath_ignores: tuple[str, ...]) -> tuple[type[Rule], ...]:
    chosen = registry.select(
        options.select or settings.select,
        [*settings.extend_select, *options.extend_select],
        [*settings.ignore, *options.ignore, *relpath_ignores],
    )
    return tuple(chosen)


def plan_for(source: SourceFile, root: Path, options: RunOptions) -> Plan:
    settings = config_for_directory(source.abspath.parent, root).settings
    return Plan(settings, list(_rules_for(settings, options, tuple(settings.ignored_for(source.relpath)))))


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
    doc: Document, plan: Plan, corpus: CorpusIndex | None, metrics: dict[str, Any] | None = None
) -> tuple[list[Finding], list[tuple[type[Rule], Violation]]]:
    """Run a file's rules on a document. Returns the findings and the violations they came from (for fixes)."""
    settings = plan.settings
    raw: list[tuple[type[Rule], Violation]] = []
    errors: list[Finding] = []
    for rule in plan.rules:
        ctx = CheckContext(options=settings.rule_options(rule.id), corpus=corpus,
                           settings={"requires_front_matter": settings.requires_front_matter(doc.path),
                                     "schemas": settings.schemas},
                           metrics=metrics if metrics is not None else {})
        try:
            raw.extend((rule, violation) for violation in _instance(rule).check(doc, ctx))
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
        covering = [s for s in suppressions if s.covers(rule.id, finding.line)]
        for suppression in covering:
            suppression.used = True
        if not covering:
            findings.append(finding)
            kept.append((rule, violation))
    if UnusedSuppression in plan.rules:
        for suppression in suppressions:
            if not suppression.used:
                offset = doc.lines.offset(suppression.line, suppression.column)
                findings.append(make_finding(doc, UnusedSuppression,
                                             settings.severity.get(UnusedSuppression.id, UnusedSuppression.severity),
                                             Violation(offset, offset, "this suppression comment suppresses nothing")))
    return findings, kept


def _overlaps(a: Edit, b: Edit) -> bool:
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def apply_edits(text: str, fixes: list[tuple[Edit, ...]]) -> tuple[str, int]:
    """Apply each fix whose edits overlap no fix taken before it. Returns the new text and how many applied."""
    accepted: list[Edit] = []
    applied = 0
    for edits in fixes:
        if any(_overlaps(edit, taken) for edit in edits for taken in accepted):
            continue
        accepted.extend(edits)
        applied += 1
    pieces = []
    last = 0
    for edit in sorted(accepted, key=lambda e: (e.start, e.end)):
        pieces.append(text[last : edit.start])
        pieces.append(edit.text)
        last = edit.end
    pieces.append(text[last:])
    return "".join(pieces), applied


def lint_file(source: SourceFile, plan: Plan, corpus: CorpusIndex | None, options: RunOptions) -> FileResult:
    """Everything about one file, never raising: unreadable, too large or binary files become findings."""
    result = FileResult(source.relpath)
    settings = plan.settings
    try:
        size = source.abspath.stat().st_size
        if size > settings.max_file_size:
            result.findings.append(_engine_finding(source.relpath, TooLarge, settings,
                f"file is {size:,} bytes, over the {settings.max_file_size:,}-byte limit (max-file-size); not checked"))
            return result
        raw = source.abspath.read_bytes()
    except OSError as error:
        result.findings.append(_engine_finding(source.relpath, Unreadable, settings,
                                               f"cannot read the file: {error.strerror or error}"))
        return result
    if b"\x00" in raw[:BINARY_SNIFF]:
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
    prose_options = plan.settings.prose_options()
    doc = Document.from_bytes(source.relpath, raw, source.abspath, prose_options)
    findings, violations = check_document(doc, plan, corpus, result.metrics)
    if not options.fix or doc.decode_errors:  # never rewrite a file whose bytes we could not all decode
        return doc, findings
    for _ in range(MAX_FIX_PASSES):
        fixes = [v.fix.edits for _, v in violations
                 if v.fix is not None and (v.fix.safe or options.unsafe_fixes)]
        if not fixes:
            break
        text, applied = apply_edits(doc.text, fixes)
        if applied == 0 or text == doc.text:
            break
        data = text.encode("utf-8")
        source.abspath.write_bytes(b"\xef\xbb\xbf" + data if doc.has_bom else data)
        result.fixed += applied
        result.metrics.clear()
        doc = Document.from_bytes(source.relpath, source.abspath.read_bytes(), source.abspath, prose_options)
        findings, violations = check_document(doc, plan, corpus, result.metrics)
    return doc, findings


# --- worker processes -------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(root: Path, options: RunOptions, corpus: CorpusIndex | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _WORKER.update(root=root, options=options, corpus=corpus)


def _lint_in_worker(source: SourceFile) -> FileResult:
    root, options = _WORKER["root"], _WORKER["options"]
    return lint_file(source, plan_for(source, root, options), _WORKER["corpus"], options)


def run(
    paths: list[Path],
    root: Path,
    options: RunOptions,
    on_file: Callable[[FileResult, int], None] | None = None,
) -> RunResult:
    """Lint the given paths (files or directories) under the content root."""
    discoverer = Discoverer(root)
    discovery = discoverer.discover(paths)
    result = RunResult(messages=list(discovery.messages))
    plans = {source.relpath: plan_for(source, root, options) for source in discovery.files}
    result.rules = sorted({rule for plan in plans.values() for rule in plan.rules}, key=lambda rule: rule.id)
    corpus = None
    if any(rule.needs_corpus for plan in plans.values() for rule in plan.rules):
        everything = discovery if paths == [root] else discoverer.discover([root])
        max_size = config_for_directory(root, root).settings.max_file_size
        corpus = CorpusIndex.build(((f.relpath, f.abspath) for f in everything.files), max_size)
    total = len(discovery.files)
    jobs = max(1, options.jobs)
    if jobs > 1 and total >= PARALLEL_THRESHOLD and not options.fix:
        with ProcessPoolExecutor(jobs, initializer=_init_worker, initargs=(root, options, corpus)) as pool:
            for file_result in pool.map(_lint_in_worker, discovery.files, chunksize=8):
                result.files.append(file_result)
                if on_file:
                    on_file(file_result, total)
    else:
        for source in discovery.files:
            file_result = lint_file(source, plans[source.relpath], corpus, options)
            result.files.append(file_result)
            if on_file:
                on_file(file_result, total)
    return result


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
