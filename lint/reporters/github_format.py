"""GitHub Actions annotations: workflow commands that show each finding inline on the pull request.

``::error file=PATH,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE`` per finding (``warning``
and ``notice`` for the lower severities). Article text reaches these lines through messages and paths, so
it is escaped per the workflow-command rules: ``%``, CR and LF in the message; also ``:`` and ``,`` in
property values. An article can therefore never end a command early or start one of its own.

GitHub only takes ``col``/``endColumn`` on single-line spans, and shows a limited number of annotations per
step; upload the SARIF report to code scanning for the complete list.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from lint.reporters.escaping import visible

if TYPE_CHECKING:
    from lint.reporters import ReportContext

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    text = visible(text, keep="\r\n")  # escape sequences must not recolour or spoof the CI log
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(finding: dict[str, Any]) -> str:
    properties = {"file": finding["path"], "line": finding["line"]}
    if finding["line"] == finding["end_line"]:
        properties |= {"col": finding["column"], "endLine": finding["end_line"], "endColumn": finding["end_column"]}
    else:
        properties["endLine"] = finding["end_line"]
    properties["title"] = finding["rule"]
    message = finding["message"]
    if finding["field"]:
        message += f" [{finding['field']}]"
    if finding["suggestion"]:
        message += f"\nsuggestion: {finding['suggestion']}"
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties.items())
    return f"::{COMMANDS[finding['severity']]} {props}::{escape_data(message)}"


def render(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    for finding in result["findings"]:
        out.write(annotation(finding) + "\n")
    if not context.quiet:
        summary = result["summary"]
        counts = ", ".join(_plural(count, level) for level, count in summary["by_severity"].items() if count)
        out.write(f"contentlint: {_plural(summary['findings'], 'finding')}{f' ({counts})' if counts else ''} in "
                  f"{_plural(summary['files'], 'file')}\n")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 or noun == 'info' else 's'}"
