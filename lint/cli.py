"""The command line: ``contentlint check | rules | explain``.

Exit codes, as in Ruff: 0 no findings at or above the fail level, 1 findings, 2 usage, configuration or
internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import io
import json
import os
import shutil
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from lint import __version__, baseline, diffbase, introspect, registry, schema_export
from lint.config import ConfigError, config_for_directory, find_root
from lint.corpus import cache_directory
from lint.discovery import Discoverer
from lint.reporters import REPORTERS, ReportContext
from lint.result import FileResult, ResultMerger, RunResult
from lint.rule import Severity
from lint.runner import GC_THRESHOLDS, RunOptions, Shard, default_jobs, run

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
MAX_JOBS_PER_CPU = 4
# A file name that is not UTF-8 (a lone surrogate in Python) is written as its escape, \udcff: the reports
# stay valid UTF-8, and JSON reads the escape back as the name.
UNENCODABLE = "backslashreplace"


def _job_count(value: str) -> int:
    """--jobs: a whole number from 1, lowered to MAX_JOBS_PER_CPU per CPU. The workers are all forked when the
    run starts, each loading the rules' data: --jobs 100000 forked until the machine gave out."""
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {jobs}")
    return min(jobs, MAX_JOBS_PER_CPU * default_jobs())


def _split(values: list[str] | None) -> tuple[str, ...]:
    return tuple(part.strip() for value in values or [] for part in value.split(",") if part.strip())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="contentlint", description="Lint health articles: front-matter schema, "
                                     "encoding, spun text, readability, related links, grammar.")
    parser.add_argument("--version", action="version", version=f"contentlint {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="lint files and directories")
    check.add_argument("paths", nargs="*", type=Path, help="files or directories (default: configured paths, else .)")
    check.add_argument("--format", default=None, help=f"one or more of {', '.join(REPORTERS)} (comma-separated)")
    check.add_argument("--output", type=Path, help="write the report to this file instead of standard output")
    check.add_argument("--output-dir", type=Path, help="write one report file per format into this directory")
    check.add_argument("--select", action="append", help="rules or categories to check (replaces the configured set)")
    check.add_argument("--extend-select", action="append", help="rules or categories to add")
    check.add_argument("--ignore", action="append", help="rules or categories to skip")
    check.add_argument("--fail-level", choices=[s.value for s in Severity],
                       help="lowest severity that makes the run fail (default from config: warning)")
    check.add_argument("--jobs", "-j", type=_job_count, default=None,
                       help=f"worker processes (default: CPU count; at most {MAX_JOBS_PER_CPU} per CPU)")
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files")
    check.add_argument("--unsafe-fixes", action="store_true", help="with --fix, also apply fixes marked unsafe")
    check.add_argument("--diff", action="store_true",
                       help="show the fixes as a unified diff instead of writing them (exit 1 if there are any)")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    check.add_argument("--quiet", "-q", action="store_true", help="print findings only: no summary, no progress")
    check.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    check.add_argument("--root", type=Path, help="content root (default: nearest directory with a config or .git)")
    check.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")
    check.add_argument("--shard", type=_shard, metavar="K/N",
                       help="check only part K of N of the files (the corpus index still covers them all)")
    _add_adoption_flags(check)

    merge = commands.add_parser("merge", help="combine the JSON results of --shard runs into one report")
    merge.add_argument("results", nargs="+", type=Path, help="JSON results of `check --format json`")
    merge.add_argument("--format", default="json", help=f"one of {', '.join(REPORTERS)}")
    merge.add_argument("--output", type=Path, help="write the report to this file instead of standard output")
    merge.add_argument("--root", type=Path, default=Path("."), help="content root, for source excerpts")

    clean = commands.add_parser("clean", help="remove the result cache")
    clean.add_argument("--root", type=Path, help="content root (default: found from the current directory)")

    _add_adoption_commands(commands)

    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=["text", "json"], default="text")
    rules.add_argument("--all", action="store_true", help="also show rules that are off by default (always shown)")

    explain = commands.add_parser("explain", help="print a rule's documentation")
    explain.add_argument("rule", help="a rule id, e.g. schema/missing-field")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "rules":
            return _rules(args.format, sys.stdout)
        if args.command == "explain":
            return _explain(args.rule, sys.stdout)
        if args.command == "merge":
            return _merge(args)
        if args.command == "clean":
            return _clean(args)
        if args.command in ADOPTION_COMMANDS:
            return ADOPTION_COMMANDS[args.command](args)
        return _check(args)
    except ConfigError as error:
        print(f"contentlint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("contentlint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # the reader went away (`| head`): nothing left to say to it
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except Exception:  # an internal error: say so plainly, exit 2, keep the traceback for a bug report
        print("contentlint: internal error (please report it with the text below):", file=sys.stderr)
        traceback.print_exc(file=sys.stderr)
        return EXIT_ERROR


def _rules(fmt: str, out: TextIO) -> int:
    rules = registry.all_rules()
    if fmt == "json":
        json.dump(introspect.all_rules_info(), out, indent=2)
        out.write("\n")
        return EXIT_OK
    width = max(len(rule_id) for rule_id in rules)
    for rule in rules.values():
        flags = ("" if rule.enabled_by_default else " (off by default)") + (" [fix]" if rule.fixable else "")
        out.write(f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.summary()}{flags}\n")
    return EXIT_OK


def _explain(rule_id: str, out: TextIO) -> int:
    rules = registry.all_rules()
    rule = rules.get(rule_id)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(rule_id, list(rules), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `contentlint rules`"
        print(f"contentlint: error: unknown rule '{rule_id}'{hint}", file=sys.stderr)
        return EXIT_ERROR
    out.write(f"# {rule.id}\n\n")
    out.write(f"Category: {rule.category.value}. Default severity: {rule.severity.value}. "
              f"{'On' if rule.enabled_by_default else 'Off'} by default."
              f"{' Fixable.' if rule.fixable else ''}\n\n")
    out.write(rule.documentation() + "\n")
    return EXIT_OK


def _resolve_paths(args: argparse.Namespace) -> tuple[Path, list[Path]]:
    cwd = Path.cwd()
    paths = [Path(os.path.abspath(p)) for p in args.paths]
    root = Path(os.path.abspath(args.root)) if args.root else find_root(paths[0] if paths else cwd)
    if not paths:
        configured = config_for_directory(root, root).settings.paths
        paths = [root / p for p in configured] if configured else [cwd]
    return root, paths


def _check(args: argparse.Namespace) -> int:
    gc.set_threshold(*GC_THRESHOLDS)  # workers inherit this
    root, paths = _resolve_paths(args)
    changes = _changes(args, root)
    if changes is not None:
        paths = _changed_files(root, paths, changes)
    root_settings = config_for_directory(root, root).settings
    for selector in (*_split(args.select), *_split(args.extend_select), *_split(args.ignore)):
        if not registry.is_valid_selector(selector):
            raise ConfigError(f"unknown rule or category '{selector}' (see `contentlint rules`)")
    options = RunOptions(
        select=_split(args.select), extend_select=_split(args.extend_select), ignore=_split(args.ignore),
        jobs=args.jobs if args.jobs is not None else default_jobs(),
        fix=args.fix, unsafe_fixes=args.unsafe_fixes, diff=args.diff,
        cache_dir=None if args.no_cache else cache_directory(root, root_settings.cache_dir),
    )
    formats = list(_split([args.format])) if args.format else [_default_format()]
    unknown = [f for f in formats if f not in REPORTERS]
    if unknown:
        raise ConfigError(f"unknown format {', '.join(unknown)}; choose from {', '.join(REPORTERS)}")
    if len(formats) > 1 and not args.output_dir:
        raise ConfigError("several formats need --output-dir (one file per format)")

    progress = _Progress(enabled=sys.stderr.isatty() and not args.quiet and not args.no_progress)
    try:
        result = run(paths, root, options, on_file=progress.advance, shard=args.shard)
    finally:
        progress.close()
    for message in result.messages:
        print(f"contentlint: {message}", file=sys.stderr)
    if args.diff:
        shown = _show_diff(result, args)
        return EXIT_ERROR if result.missing else shown
    _hide_known_and_unchanged(result, root, args, changes, root_settings.max_file_size)
    _report_fixes(result, args.quiet)

    data = result.to_dict()
    context = ReportContext(root=root, quiet=args.quiet, rules=registry.all_rules())
    _write_reports(data, formats, args, context)

    if result.missing:  # a mistyped path must not pass in CI for having checked nothing; the rest was checked
        return EXIT_ERROR
    fail_level = Severity(args.fail_level) if args.fail_level else root_settings.fail_level
    failing = any(count and Severity(level).rank >= fail_level.rank
                  for level, count in data["summary"]["by_severity"].items())
    return EXIT_FINDINGS if failing and not args.exit_zero else EXIT_OK


def _shard(text: str) -> Shard:
    index, _, count = text.partition("/")
    try:
        shard = Shard(int(index), int(count))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected K/N such as 2/4, got {text!r}") from None
    if not 1 <= shard.index <= shard.count:
        raise argparse.ArgumentTypeError(f"shard {text!r}: K must be between 1 and N")
    return shard


def _merge(args: argparse.Namespace) -> int:
    if args.format not in REPORTERS:
        raise ConfigError(f"unknown format {args.format}; choose from {', '.join(REPORTERS)}")
    merger = ResultMerger()
    owners: dict[str, Path] = {}  # each file's shard
    versions: set[str] = set()  # the shards' contentlint versions (one, in shards of one run)
    for path in args.results:
        _merge_shard(merger, path, owners, versions)
    result = merger.merged()
    context = ReportContext(root=Path(os.path.abspath(args.root)), rules=registry.all_rules())
    data = result.to_dict()
    if args.output:
        with _open_report(args.output) as stream:
            REPORTERS[args.format][0](data, stream, context)
    else:
        _print(data, args.format, context)
    return EXIT_OK


def _read_shard(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:  # unreadable, not UTF-8, not JSON (truncated, empty)
        raise ConfigError(f"cannot merge {path}: {getattr(error, 'strerror', None) or error}") from error


def _merge_shard(merger: ResultMerger, path: Path, owners: dict[str, Path], versions: set[str]) -> None:
    """Read one shard and add it (a function of its own: its parsed JSON is let go before the next is read).
    Shards of one run share no file and one contentlint version: a shard given twice (a glob that also matches
    an earlier merge, a retried job) would count its files and findings twice, silently."""
    data = _read_shard(path)
    try:
        merger.add(data)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ConfigError(f"cannot merge {path}: not a contentlint JSON result ({_malformed(error)})") from error
    if isinstance(data.get("tool"), dict):
        versions.add(str(data["tool"].get("version")))
    if len(versions) > 1:
        raise ConfigError(f"cannot merge results of different contentlint versions ({', '.join(sorted(versions))})")
    for file in data["files"]:
        if file["path"] in owners:
            raise ConfigError(f"cannot merge: {file['path']} is in both {owners[file['path']]} and {path} (the "
                              "shards of one run share no file)")
        owners[file["path"]] = path


def _malformed(error: Exception) -> str:
    return f"no {error}" if isinstance(error, KeyError) else str(error)


def _clean(args: argparse.Namespace) -> int:
    root = Path(os.path.abspath(args.root)) if args.root else find_root(Path.cwd())
    directory = cache_directory(root, config_for_directory(root, root).settings.cache_dir)
    if directory is not None and directory.is_dir():
        shutil.rmtree(directory)
        print(f"removed {directory}")
    return EXIT_OK


def _report_fixes(result: RunResult, quiet: bool) -> None:
    """Say on stderr what --fix changed, file by file, and which files it could not write."""
    for file in sorted(result.files, key=lambda f: f.path):
        if file.fix_error:
            print(f"contentlint: {file.path}: {file.fix_error}", file=sys.stderr)
        elif file.fixed and not quiet:
            rules = ", ".join(f"{rule} ({count})" for rule, count in sorted(file.fixes.items()))
            print(f"contentlint: fixed {file.path}: {rules}", file=sys.stderr)
    fixed = sum(f.fixed for f in result.files)
    if fixed and not quiet:
        print(f"contentlint: applied {fixed} fix{'es' if fixed != 1 else ''}", file=sys.stderr)


def _show_diff(result: RunResult, args: argparse.Namespace) -> int:
    """--diff: print the fixes as a unified diff and write nothing; exit 1 when there is something to fix."""
    changed = [f for f in sorted(result.files, key=lambda f: f.path) if f.diff]
    for file in changed:
        sys.stdout.write(file.diff)
    fixes = sum(f.fixed for f in changed)
    if not args.quiet:
        print(f"contentlint: {fixes} fix{'es' if fixes != 1 else ''} would be applied to {len(changed)} "
              f"file{'s' if len(changed) != 1 else ''}", file=sys.stderr)
    return EXIT_FINDINGS if changed and not args.exit_zero else EXIT_OK


def _default_format() -> str:
    """Annotations on GitHub Actions, where they appear on the pull request; the terminal report elsewhere."""
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def _write_reports(data: dict[str, Any], formats: list[str], args: argparse.Namespace,
                   context: ReportContext) -> None:
    """Write each format to stdout, --output or --output-dir. With --output-dir the text report and the GitHub
    annotations are also printed (annotations only work on standard output), and the files written are
    named on stderr, so `make run` both shows the findings and says where the reports are."""
    if args.output_dir:
        try:
            args.output_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ConfigError(f"cannot write the reports to {args.output_dir}: {error.strerror or error}") from error
        written = []
        for fmt in formats:
            render, file_name = REPORTERS[fmt]
            context.color = False
            with _open_report(args.output_dir / file_name) as stream:
                render(data, stream, context)
            written.append(args.output_dir / file_name)
        for fmt in ("github", "text"):
            if fmt in formats and not (args.quiet and fmt == "text"):
                _print(data, fmt, context)
        if not args.quiet:
            for path in written:
                print(f"contentlint: wrote {path}", file=sys.stderr)
        return
    fmt = formats[0]
    if args.output:
        context.color = False
        with _open_report(args.output) as stream:
            REPORTERS[fmt][0](data, stream, context)
        return
    _print(data, fmt, context)


@contextlib.contextmanager
def _open_report(path: Path) -> Iterator[TextIO]:
    """A report file. One that cannot be written (no such directory, a directory, a full disk) is an error that
    names it: it was an internal error with a traceback, after the whole run."""
    try:
        with open(path, "w", encoding="utf-8", errors=UNENCODABLE) as stream:
            yield stream
    except OSError as error:
        raise ConfigError(f"cannot write the report {path}: {error.strerror or error}") from error


def _print(data: dict[str, Any], fmt: str, context: ReportContext) -> None:
    context.color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors=UNENCODABLE)
    REPORTERS[fmt][0](data, sys.stdout, context)


class _Progress:
    """A progress bar on stderr for long runs, only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bar: Any = None
        self._task: Any = None

    def advance(self, file: FileResult, total: int) -> None:
        if not self.enabled or total < 50:
            return
        if self._bar is None:
            from rich.console import Console
            from rich.progress import Progress

            self._bar = Progress(transient=True, console=Console(stderr=True))
            self._bar.start()
            self._task = self._bar.add_task("linting", total=total)
        self._bar.advance(self._task)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()


# --- adoption on an existing corpus: baseline, changed lines, introspection, schema export, language server ---


def _add_adoption_flags(check: argparse.ArgumentParser) -> None:
    check.add_argument("--no-baseline", action="store_true",
                       help=f"report every finding, also those recorded in {baseline.BASELINE_NAME}")
    check.add_argument("--diff-base", metavar="REF",
                       help="report only findings on lines changed since REF (e.g. origin/main), plus "
                            "document-level findings of changed files")


def _add_adoption_commands(commands: Any) -> None:
    record = commands.add_parser("baseline", help=f"record the current findings in {baseline.BASELINE_NAME}")
    record.add_argument("paths", nargs="*", type=Path, help="files or directories (default: configured paths)")
    record.add_argument("--update", action="store_true",
                        help="only drop recorded findings that no longer occur; never add new ones")
    record.add_argument("--root", type=Path, help="content root (default: nearest directory with a config or .git)")
    record.add_argument("--jobs", "-j", type=_job_count, default=None,
                       help=f"worker processes (default: CPU count; at most {MAX_JOBS_PER_CPU} per CPU)")
    record.add_argument("--no-cache", action="store_true", help="neither read nor write the result cache")

    config = commands.add_parser("config", help="show the effective configuration of a file and where it came from")
    config.add_argument("path", type=Path, help="a file or directory under the content root")
    config.add_argument("--format", choices=["text", "json"], default="text")
    config.add_argument("--root", type=Path, help="content root (default: nearest directory with a config or .git)")

    export = commands.add_parser("schema", help="export the front-matter schemas (for editors)")
    export.add_argument("name", nargs="?", help="a schema name such as 'default' (default: one schema for all, "
                                                "chosen by _schema)")
    export.add_argument("--format", choices=["json-schema"], default="json-schema")
    export.add_argument("--output", type=Path, help="write the schema to this file instead of standard output")
    export.add_argument("--root", type=Path, help="content root, for schemas registered in its configuration")

    server = commands.add_parser("lsp", help="run the language server on standard input and output")
    server.add_argument("--root", type=Path, help="content root (default: the editor's workspace folder)")


def _changes(args: argparse.Namespace, root: Path) -> diffbase.ChangeSet | None:
    if not args.diff_base:
        return None
    changes = diffbase.changes_since(root, args.diff_base)
    for note in changes.notes:
        print(f"contentlint: {note}", file=sys.stderr)
    return changes


def _changed_files(root: Path, paths: list[Path], changes: diffbase.ChangeSet) -> list[Path]:
    """The files the normal run would lint that the change touched (the include/exclude rules still apply)."""
    changed = [f.abspath for f in Discoverer(root).discover(paths).files if f.relpath in changes.lines]
    if not changed:
        print(f"contentlint: no file to check changed since {changes.ref}", file=sys.stderr)
    return changed


def _hide_known_and_unchanged(result: RunResult, root: Path, args: argparse.Namespace,
                              changes: diffbase.ChangeSet | None, max_size: int) -> None:
    """Before reporting: drop the findings the baseline records, then those on lines the change did not touch.
    (Baseline first: a recorded finding outside the diff is still a known one, not a stale entry.)"""
    if not args.no_baseline:
        path = root / baseline.BASELINE_NAME
        known = baseline.load(path)
        if known is not None:
            outcome = baseline.hide_known(result, known, _matcher(known, root, max_size))
            selecting = args.select or args.extend_select or args.ignore  # other rules' entries are not stale
            if not args.quiet:
                _say_baselined(outcome, path, stale=0 if selecting else outcome.stale)
    if changes is not None:
        outside = changes.narrow(result)
        if outside and not args.quiet:
            print(f"contentlint: {outside} finding{'s' if outside != 1 else ''} on lines not changed since "
                  f"{changes.ref} not shown", file=sys.stderr)


def _matcher(known: baseline.Baseline, root: Path, max_size: int) -> baseline.Matcher:
    path = root / baseline.BASELINE_NAME
    return baseline.Matcher(known, baseline.TextReader(root, max_size),
                            lambda: diffbase.renames_since_baseline(root, path))


def _say_baselined(outcome: baseline.Outcome, path: Path, stale: int) -> None:
    if outcome.baselined:
        plural = "s" if outcome.baselined != 1 else ""
        print(f"contentlint: {outcome.baselined} known finding{plural} hidden by {path.name} "
              "(--no-baseline shows them)", file=sys.stderr)
    if stale:
        print(f"contentlint: {stale} finding{'s' if stale != 1 else ''} recorded in {path.name} no longer "
              "occur; `contentlint baseline --update` drops them", file=sys.stderr)


def _baseline(args: argparse.Namespace) -> int:
    root, paths = _resolve_paths(args)
    settings = config_for_directory(root, root).settings
    path = root / baseline.BASELINE_NAME
    try:
        existing = baseline.load(path)
    except baseline.BaselineError as error:
        if args.update:
            raise
        print(f"contentlint: replacing an unusable baseline: {error}", file=sys.stderr)
        existing = None
    if args.update and existing is None:
        raise ConfigError(f"no baseline to update at {path}; create one with `contentlint baseline`")
    cache_dir = None if args.no_cache else cache_directory(root, settings.cache_dir)
    result = run(paths, root, RunOptions(jobs=args.jobs or default_jobs(), cache_dir=cache_dir))
    for message in result.messages:
        print(f"contentlint: {message}", file=sys.stderr)
    reader = baseline.TextReader(root, settings.max_file_size)
    if args.update and existing is not None:
        fresh, dropped, left_out = baseline.updated(existing, result, _matcher(existing, root, settings.max_file_size))
        summary = f"updated {path}: {fresh.total} kept, {dropped} dropped (no longer found)"
        if left_out:
            summary += (f"; {left_out} new finding{'s' if left_out != 1 else ''} not added "
                        "(fix them, or accept them with `contentlint baseline`)")
    else:
        fresh = baseline.rebuilt(existing, result, reader, everything=not args.paths)
        before = f" (before: {existing.total})" if existing is not None else ""
        summary = f"wrote {path}: {fresh.total} findings in {len(fresh.files)} files{before}"
    try:
        fresh.write(path)
    except OSError as error:
        raise ConfigError(f"cannot write {path}: {error}") from error
    print(f"contentlint: {summary}", file=sys.stderr)
    return EXIT_OK


def _config(args: argparse.Namespace) -> int:
    target = Path(os.path.abspath(args.path))
    root = Path(os.path.abspath(args.root)) if args.root else find_root(target)
    report = introspect.describe(target, root)
    if args.format == "json":
        json.dump(report, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        introspect.render_text(report, sys.stdout)
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    root = Path(os.path.abspath(args.root)) if args.root else find_root(Path.cwd())
    custom = config_for_directory(root, root).settings.schemas
    try:
        exported = schema_export.export(args.name, custom) if args.name else schema_export.export_all(custom)
    except KeyError as error:
        raise ConfigError(str(error.args[0])) from error
    text = json.dumps(exported, indent=2, ensure_ascii=False) + "\n"
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _lsp(args: argparse.Namespace) -> int:
    from lint import lsp  # pygls is imported only by the server

    lsp.serve(Path(os.path.abspath(args.root)) if args.root else None)
    return EXIT_OK


ADOPTION_COMMANDS = {"baseline": _baseline, "config": _config, "schema": _schema, "lsp": _lsp}
