"""The SARIF 2.1.0 report: for GitHub code scanning, Azure DevOps and editor SARIF viewers.

One run; ``tool.driver.rules`` documents every known rule from its docstring (the same text
``contentlint explain`` prints); each finding is a result with a region, its fix as a SARIF fix, and a
partial fingerprint that does not contain the line number, so code scanning keeps tracking a finding when
lines are inserted above it.

Columns: contentlint counts characters (code points); SARIF's default ``columnKind`` is
``utf16CodeUnits``, which differs only after a character outside the Basic Multilingual Plane (an emoji
counts 2). The run declares ``utf16CodeUnits`` and the columns are converted using the source line, so
viewers highlight the right text even on lines with emoji. When the source cannot be read the
character columns are kept (exact for BMP text, which is nearly all article text).
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import quote

from lint.reporters import batches
from lint.reporters.escaping import visible

if TYPE_CHECKING:
    from lint.reporters import ReportContext

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "contentlint/v1"
ROOT_BASE_ID = "SRCROOT"
WRITE_RESULTS = 1000  # results joined for one write
RESULTS_SLOT = '"results": []'
RESULT_INDENT = 8  # where json.dumps(indent=2) puts the items of runs[0].results
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")  # two UTF-16 code units each


def render(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    """Streamed: the log around its results (tool, rules) as json.dumps writes it with an indent, then each
    result on a line of its own, encoded in C as the findings are read (from the run's spool, for a run's
    result), WRITE_RESULTS at a time. Built whole and written with an indent, the log of 158,678 findings took
    17.5 s and 518 MB."""
    envelope = json.dumps(to_sarif(result, context, results=[]), indent=2, ensure_ascii=False)
    # "results" is the last member of the one run: its empty array is the last one in the text
    head, tail = envelope.rsplit(RESULTS_SLOT, 1)
    out.write(head + RESULTS_SLOT[:-1])
    encode = json.JSONEncoder(ensure_ascii=False).encode
    results = (encode(sarif) for sarif in _results(result["findings"], _rule_ids(result, context), context))
    separator = "\n" + " " * RESULT_INDENT
    first = True
    for batch in batches(results, WRITE_RESULTS):
        out.write(("" if first else ",") + separator + ("," + separator).join(batch))
        first = False
    out.write(("" if first else "\n" + " " * (RESULT_INDENT - 2)) + "]" + tail + "\n")


def to_sarif(result: dict[str, Any], context: ReportContext,
             results: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The SARIF log as a dictionary, with these ``results`` (by default, the findings' results): ``render``
    writes the same, its results streamed."""
    rule_ids = _rule_ids(result, context)
    run = {
        "tool": {"driver": {
            "name": result["tool"]["name"],
            "version": result["tool"]["version"],
            "semanticVersion": result["tool"]["version"],
            "rules": [_descriptor(rule_id, context.rules.get(rule_id), result) for rule_id in rule_ids],
        }},
        "originalUriBaseIds": {ROOT_BASE_ID: {"uri": context.root.resolve().as_uri() + "/"}},
        "columnKind": "utf16CodeUnits",
        "results": list(_results(result["findings"], rule_ids, context)) if results is None else results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule_ids(result: dict[str, Any], context: ReportContext) -> list[str]:
    """Every known rule and every rule with findings (the summary counts them), sorted."""
    return sorted(set(context.rules) | set(result["summary"]["by_rule"]))


def _results(findings: Iterable[dict[str, Any]], rule_ids: list[str], context: ReportContext
             ) -> Iterator[dict[str, Any]]:
    """The SARIF result of each finding, in order (the findings come sorted by path: see ``_fingerprint``)."""
    index = {rule_id: position for position, rule_id in enumerate(rule_ids)}
    columns = _Columns(context)
    seen: Counter[tuple[str, ...]] = Counter()  # the findings of the current file, to rank identical ones
    path = None
    for finding in findings:
        if finding["path"] != path:
            path = finding["path"]
            seen.clear()
        yield _result(finding, index[finding["rule"]], _fingerprint(finding, seen), columns)


def _descriptor(rule_id: str, rule: Any, result: dict[str, Any]) -> dict[str, Any]:
    """A reportingDescriptor from the rule class; a rule the context does not know (e.g. from a plugin that
    is no longer installed) is still described by its id, category and severity from the findings."""
    if rule is None:
        sample = next(f for f in result["findings"] if f["rule"] == rule_id)
        return {"id": rule_id, "shortDescription": {"text": rule_id},
                "defaultConfiguration": {"level": LEVELS[sample["severity"]]},
                "properties": {"category": sample["category"], "tags": [sample["category"]]}}
    documentation: str = rule.documentation()
    summary: str = rule.summary() or rule_id
    return {
        "id": rule_id,
        "name": _pascal(rule.name()),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": documentation.split("\n\n", 1)[0]},
        "help": {"text": _plain(documentation), "markdown": documentation},
        "defaultConfiguration": {"level": LEVELS[rule.severity.value], "enabled": bool(rule.enabled_by_default)},
        "properties": {"category": rule.category.value, "tags": [rule.category.value],
                       "fixable": bool(rule.fixable)},
    }


def _pascal(name: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[-_]", name))


def _plain(markdown: str) -> str:
    """The docstring without emphasis markers, for viewers that show help.text."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", markdown)


def _result(finding: dict[str, Any], rule_index: int, fingerprint: str, columns: _Columns) -> dict[str, Any]:
    message = finding["message"]
    if finding["suggestion"]:
        message += f" (suggestion: {finding['suggestion']})"
    region: dict[str, Any] = {**columns.region(finding["path"], finding["line"], finding["column"],
                                                finding["end_line"], finding["end_column"]),
                              "snippet": {"text": visible(finding["excerpt"], keep="\n")}}
    properties: dict[str, Any] = {"category": finding["category"]}
    if finding["field"]:
        properties["field"] = finding["field"]
    if finding["suggestion"]:
        properties["suggestion"] = finding["suggestion"]
    sarif: dict[str, Any] = {
        "ruleId": finding["rule"],
        "ruleIndex": rule_index,
        "level": LEVELS[finding["severity"]],
        "message": {"text": visible(message)},  # no escape sequence or bidi override reaches a viewer
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(finding["path"]), "region": region}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        "properties": properties,
    }
    if finding["fix"]:
        sarif["fixes"] = [_fix(finding["path"], finding["fix"], columns)]
    return sarif


def _artifact(path: str) -> dict[str, Any]:
    """A file name that is not UTF-8 (its bytes escaped as lone surrogates) is percent-encoded byte for byte."""
    return {"uri": quote(path, errors="surrogateescape"), "uriBaseId": ROOT_BASE_ID}


def _fix(path: str, fix: dict[str, Any], columns: _Columns) -> dict[str, Any]:
    replacements = [{"deletedRegion": columns.region(path, e["line"], e["column"], e["end_line"], e["end_column"]),
                     "insertedContent": {"text": e["content"]}} for e in fix["edits"]]
    return {"description": {"text": fix["description"]},
            "artifactChanges": [{"artifactLocation": _artifact(path), "replacements": replacements}],
            "properties": {"safe": fix["safe"]}}


def _fingerprint(finding: dict[str, Any], seen: Counter[tuple[str, ...]]) -> str:
    """A hash of what a finding is, not where: path, rule, field and the flagged text (whitespace folded),
    plus the finding's rank among identical ones before it in ``seen``, so two same-text findings in one file stay
    apart. Identical findings share their path, and a result's findings are sorted by path: ``seen`` need only
    hold the current file's."""
    key = (finding["path"], finding["rule"], finding["field"] or "", " ".join(finding["excerpt"].split()))
    seen[key] += 1
    return hashlib.sha256("\0".join((*key, str(seen[key]))).encode("utf-8", "surrogatepass")).hexdigest()[:32]


class _Columns:
    """Character columns to UTF-16 code units, from the source lines of the context: a column moves right by
    one for each character outside the Basic Multilingual Plane before it. Each line's such characters are
    found once, for all the findings on it (encoding the line up to each column took 13 s for 60,000 findings
    on one 540 KB line)."""

    def __init__(self, context: ReportContext) -> None:
        self._context = context
        self._astral = functools.lru_cache(maxsize=256)(self._astral_offsets)

    def _astral_offsets(self, path: str, line: int) -> list[int]:
        source = self._context.source_line(path, line)
        return [] if source is None or source.isascii() else [m.start() for m in _ASTRAL.finditer(source)]

    def column(self, path: str, line: int, column: int) -> int:
        return column + bisect.bisect_left(self._astral(path, line), column - 1)

    def region(self, path: str, line: int, column: int, end_line: int, end_column: int) -> dict[str, int]:
        return {"startLine": line, "startColumn": self.column(path, line, column),
                "endLine": end_line, "endColumn": self.column(path, end_line, end_column)}
