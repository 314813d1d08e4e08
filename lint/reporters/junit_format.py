"""The JUnit XML report: for the test-report viewers of Jenkins, GitLab, Azure DevOps and the like.

One testsuite named contentlint; one testcase per checked file (a clean file is a passing test), and one
``<failure>`` per finding, whose ``type`` is the rule id and whose text locates it (``path:line:column``)
with the flagged excerpt and the suggestion. Characters XML 1.0 cannot carry (control characters found in
broken articles) are written as visible ``\\uXXXX`` escapes, so the report always parses.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING, Any, TextIO

from lint.reporters.escaping import visible

if TYPE_CHECKING:
    from lint.reporters import ReportContext

_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """Control, bidi and other characters XML or a log viewer should not get raw, as ``\\uXXXX``."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", visible(text, keep="\n\r"))


def render(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for finding in result["findings"]:
        by_file[finding["path"]].append(finding)
    paths = [file["path"] for file in result["files"]]
    paths += sorted(set(by_file) - set(paths))  # findings always have a testcase, even without a files entry
    failing = sum(1 for path in paths if by_file[path])
    counts = {"tests": str(len(paths)), "failures": str(failing), "errors": "0", "skipped": "0", "time": "0"}
    suites = ET.Element("testsuites", {"name": result["tool"]["name"], **counts})
    suite = ET.SubElement(suites, "testsuite", {"name": result["tool"]["name"], **counts})
    for path in paths:
        case = ET.SubElement(suite, "testcase", {"classname": xml_safe(_classname(path)), "name": xml_safe(path),
                                                 "file": xml_safe(path), "time": "0"})
        for finding in by_file[path]:
            failure = ET.SubElement(case, "failure", {"message": xml_safe(_headline(finding)),
                                                      "type": finding["rule"]})
            failure.text = xml_safe(_body(finding))
    ET.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(suites, encoding="unicode"))
    out.write("\n")


def _classname(path: str) -> str:
    """Viewers group test cases by class name: the file's directory, dotted as they expect."""
    directory = path.rpartition("/")[0]
    return "contentlint." + directory.replace("/", ".") if directory else "contentlint"


def _headline(finding: dict[str, Any]) -> str:
    return f"{finding['line']}:{finding['column']} {finding['severity']} {finding['rule']}: {finding['message']}"


def _body(finding: dict[str, Any]) -> str:
    lines = [f"{finding['path']}:{finding['line']}:{finding['column']}: {finding['severity']}: "
             f"{finding['message']} [{finding['rule']}]"]
    if finding["field"]:
        lines.append(f"field: {finding['field']}")
    if finding["excerpt"]:
        lines.append(f"text: {finding['excerpt']}")
    if finding["suggestion"]:
        lines.append(f"suggestion: {finding['suggestion']}")
    return "\n".join(lines)
