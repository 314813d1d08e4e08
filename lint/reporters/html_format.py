"""The HTML review report: one self-contained file an editor opens from disk.

The page is rendered in two layers. Jinja (autoescape on) writes what is small and must paint at once: the
summary, the readability histogram, the worst documents, the filter controls and each rule's explanation
(markdown rendered by markdown-it with raw HTML disabled). The documents and findings, which can number
100,000, travel as one JSON block that the page's script renders lazily: the document table in chunks as it
scrolls, a document's findings only when it is opened.

Article text is never markup. In the JSON block every ``<``, ``>``, ``&``, U+2028 and U+2029 is written as a
``\\u`` escape, so no ``</script>`` or ``<!--`` in an article can close the block; the script builds the page
with ``textContent`` and ``createElement`` only (never ``innerHTML``). A Content-Security-Policy allows only
this page's own script and style (by hash) and no network at all, so even a mistake in escaping could run
nothing and fetch nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, TextIO, TypeGuard

from jinja2 import Environment, PackageLoader
from markdown_it import MarkdownIt
from markupsafe import Markup

from lint.reporters import batches
from lint.reporters.escaping import visible

if TYPE_CHECKING:
    from lint.reporters import ReportContext

SEVERITIES = ("error", "warning", "info")
CONTEXT_CHARS = 60  # source characters shown before and after a span
SPAN_LIMIT = 400  # a longer span is cut, with a mark saying so
WORST = 10
HISTOGRAM_BINS = 16
WRITE_FINDINGS = 1000  # findings encoded and written at a time
DATA_SLOT = "\x00report-data\x00"  # where the data block goes in the rendered page (its last occurrence)
_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def render(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    """The page, its data block streamed: the findings are encoded WRITE_FINDINGS at a time as they are read
    (from the run's spool, for a run's result). Built whole, the page of 158,678 findings took 17.2 s and 802 MB."""
    payload = Payload(result, context)
    css, script = _asset("report.css"), _asset("report.js")
    page = _environment().get_template("report.html.j2").render(
        tool=result["tool"],
        summary=result["summary"],
        categories=payload.category_views(),
        rules=payload.rule_views(),
        histogram=histogram(result["files"]),
        worst=worst_documents(payload.files),
        data=Markup(DATA_SLOT),
        css=Markup(css),
        script=Markup(script),
        csp=f"default-src 'none'; script-src '{_sha256(script)}'; style-src '{_sha256(css)}'; img-src data:; "
            "base-uri 'none'; form-action 'none'",
    )
    head, tail = page.rsplit(DATA_SLOT, 1)  # the data block comes after everything a result's text can reach
    out.write(head)
    payload.write_json(out)
    out.write(tail)


def embed_json(data: Any) -> str:
    """JSON that is inert inside ``<script type="application/json">``: no character can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escape in _JSON_ESCAPES.items():
        text = text.replace(char, escape)
    return text


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("lint.reporters", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True)


@cache
def _asset(name: str) -> str:
    return resources.files("lint.reporters").joinpath("templates", name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False})


class Payload:
    """The documents and findings in the compact shape the page's script reads.

    ``files``: [path, errors, warnings, infos, grade, target, audience]; ``findings``: [file, rule, severity
    (0 error, 1 warning, 2 info), line, column, end line, end column, message, field, suggestion, fix, before,
    span, after, span cut]; messages, fields, suggestions and fix descriptions are indexes into ``strings``
    (-1 for none), since the same message repeats across thousands of findings. The findings are read twice, one
    at a time: to count them (the page shows the counts before its data), then as they are written.
    """

    def __init__(self, result: dict[str, Any], context: ReportContext) -> None:
        self._context = context
        self._findings = result["findings"]
        self._strings: dict[str, int] = {}
        self.rule_ids = sorted(result["summary"]["by_rule"])  # the rules with findings
        self._rule_index = {rule_id: position for position, rule_id in enumerate(self.rule_ids)}
        counts: dict[str, Counter[str]] = {file["path"]: Counter() for file in result["files"]}
        self.categories: dict[str, Counter[str]] = {}
        for finding in self._findings:
            counts.setdefault(finding["path"], Counter())[finding["severity"]] += 1
            self.categories.setdefault(finding["category"], Counter())[finding["severity"]] += 1
        paths = [file["path"] for file in result["files"]]
        paths += sorted(set(counts) - set(paths))  # findings of a file the result does not list
        self._file_index = {path: position for position, path in enumerate(paths)}
        metrics = {file["path"]: readability(file) for file in result["files"]}
        self.files = [[visible(path), *(counts[path][level] for level in SEVERITIES),
                       *metrics.get(path, (None, None, None))] for path in paths]

    def findings(self) -> Iterator[list[Any]]:
        for finding in self._findings:
            yield self._finding(finding, self._file_index[finding["path"]], self._rule_index[finding["rule"]])

    def write_json(self, out: TextIO) -> None:
        """The data block: ``embed_json`` of {rules, findings, files, strings}, its findings encoded and written a
        batch at a time (the strings last: the findings fill them)."""
        out.write(f'{{"rules":{embed_json(self.rule_ids)},"findings":[')
        findings = self.findings()
        first = True
        for batch in batches(findings, WRITE_FINDINGS):
            out.write(("" if first else ",") + embed_json(batch)[1:-1])
            first = False
        out.write(f'],"files":{embed_json(self.files)},"strings":{embed_json(list(self._strings))}}}')

    def category_views(self) -> list[dict[str, Any]]:
        """Each category with findings, the most first, with its count of each severity."""
        return [{"name": name, "total": sum(c.values()), **{level: c[level] for level in SEVERITIES}}
                for name, c in sorted(self.categories.items(), key=lambda item: -sum(item[1].values()))]

    def rule_views(self) -> list[dict[str, Any]]:
        """Each rule that has findings, with its documentation as HTML, for the page's explanations."""
        views = []
        for rule_id in self.rule_ids:
            rule = self._context.rules.get(rule_id)
            documentation = rule.documentation() if rule is not None else ""
            views.append({"id": rule_id, "category": rule_id.split("/", 1)[0],
                          "doc": Markup(_markdown().render(documentation)) if documentation else None})
        return views

    def _string(self, text: str | None) -> int:
        if text is None:
            return -1
        return self._strings.setdefault(visible(text), len(self._strings))

    def _finding(self, finding: dict[str, Any], file: int, rule: int) -> list[Any]:
        before, span, after, cut = self._snippet(finding)
        fix = finding["fix"]
        fix_text = f"{fix['description']} ({'safe' if fix['safe'] else 'unsafe'} fix)" if fix else None
        return [file, rule, SEVERITIES.index(finding["severity"]), finding["line"], finding["column"],
                finding["end_line"], finding["end_column"], self._string(finding["message"]),
                self._string(finding["field"]), self._string(finding["suggestion"]), self._string(fix_text),
                before, span, after, cut]

    def _snippet(self, finding: dict[str, Any]) -> tuple[str, str, str, bool]:
        """The flagged text with some context on either side, from the source file; the excerpt alone when
        the file cannot be read any more."""
        path, line, end_line = finding["path"], finding["line"], finding["end_line"]
        first = self._context.source_line(path, line)
        last = first if end_line == line else self._context.source_line(path, end_line)
        if first is None or last is None or end_line - line > 50:
            return "", visible(finding["excerpt"], keep="\n"), "", False
        start, end = finding["column"] - 1, finding["end_column"] - 1
        if end_line == line:
            span = first[start:end]
        else:
            middle = [self._context.source_line(path, n) or "" for n in range(line + 1, end_line)]
            span = "\n".join([first[start:], *middle, last[:end]])
        before = first[max(0, start - CONTEXT_CHARS):start]
        after = last[end:end + CONTEXT_CHARS]
        if start > CONTEXT_CHARS:
            before = "…" + before
        if len(last) > end + CONTEXT_CHARS:
            after += "…"
        return (visible(before), visible(span[:SPAN_LIMIT], keep="\n"), visible(after),
                len(span) > SPAN_LIMIT)


def readability(file: dict[str, Any]) -> tuple[float | None, float | None, str | None]:
    """(grade, target, audience) from files[].metrics.readability, or Nones when the metric is absent or
    not numeric: the report works on results from any rule set."""
    metric = file.get("metrics", {}).get("readability")
    if not isinstance(metric, dict):
        return None, None, None
    grade, target, audience = metric.get("grade"), metric.get("target"), metric.get("audience")
    if not _is_number(grade):
        return None, None, None
    return (round(float(grade), 1), float(target) if _is_number(target) else None,
            str(audience) if audience is not None else None)


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def histogram(files: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Documents per reading grade (one bin per grade, the ends open), and the audience target to compare
    with: the most common target when documents have different audiences."""
    grades = [(grade, target) for grade, target, _ in map(readability, files) if grade is not None]
    if not grades:
        return None
    bottom, top = math.floor(min(g for g, _ in grades)), math.floor(max(g for g, _ in grades))
    low = max(0, bottom)
    high = min(max(low, top), low + HISTOGRAM_BINS - 1)
    counts = Counter(min(max(math.floor(grade), low), high) for grade, _ in grades)
    targets = Counter(target for _, target in grades if target is not None)
    target = targets.most_common(1)[0][0] if targets else None
    tallest = max(counts.values())

    def label(grade: int) -> str:
        if grade == low and bottom < low:
            return f"≤{grade}"
        return f"≥{grade}" if grade == high and top > high else str(grade)

    bins = [{"label": label(grade), "count": counts.get(grade, 0),
             "height": round(100 * counts.get(grade, 0) / tallest), "over": target is not None and grade >= target}
            for grade in range(low, high + 1)]
    target_bin = None if target is None else min(max(target, low), high + 1) - low  # where the target line goes
    return {"bins": bins, "target": target, "target_bin": target_bin, "measured": len(grades),
            "above": sum(1 for grade, goal in grades if goal is not None and grade > goal),
            "audiences": sorted({a for _, _, a in map(readability, files) if a})}


def worst_documents(files: list[list[Any]]) -> list[dict[str, Any]]:
    """The documents that need the most work: errors first, then warnings, then how far the reading grade
    is above its target."""
    def weight(row: list[Any]) -> tuple[int, int, int, float]:
        over = max(0.0, row[4] - row[5]) if row[4] is not None and row[5] is not None else 0.0
        return row[1], row[2], row[3], over

    ranked = sorted(range(len(files)), key=lambda i: weight(files[i]), reverse=True)
    return [{"index": i, "path": files[i][0], "errors": files[i][1], "warnings": files[i][2], "infos": files[i][3],
             "grade": files[i][4], "target": files[i][5]}
            for i in ranked[:WORST] if any(weight(files[i]))]
