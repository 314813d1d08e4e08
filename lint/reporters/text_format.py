"""The terminal report: findings grouped by file, each with its source line and a caret under the span.

One layout, two writers. The layout (``_lines``) decides every character of the report and cuts each line into
pieces with a style name. On a terminal rich styles them; without colour (a file, a CI log, ``NO_COLOR``) the
pieces are joined and written as they are, many lines at a time: through rich, the text report of 200,490
findings took 20 s more than the JSON report of the same result, written plainly 3 s. The plain writer writes
what rich writes without colour, byte for byte (a property test compares the two on generated results).

Article text is never interpreted: every string of the result (article text, and the rule ids of a JSON result
given to ``contentlint merge``) has its control characters made visible before either writer sees it, and rich
parses no markup, so an article or a shard cannot inject colours, cursor moves or terminal commands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TextIO

from rich.cells import cell_len

from lint.reporters import batches
from lint.reporters.escaping import visible

if TYPE_CHECKING:
    from lint.reporters import ReportContext

STYLES = {"error": "bold red", "warning": "yellow", "info": "cyan"}
WINDOW = 100  # characters of a long source line shown around the span
# Lines written at once. rich costs about 50 µs a print (three prints a finding made 60,000 findings take 12 s),
# but a print of many lines costs more a line the more it holds: in colour, 20,049 findings took 2.4 s in
# prints of 1,000 lines, 1.6 s in prints of 100 (67,501 on one line: 9.1 s, 4.5 s).
BATCH = 100
CARET_GUTTER = " " * 6 + " │ "
SUGGESTION = "       = suggestion: "

Piece = tuple[str, str]  # text, style name ("" for none)
Line = tuple[str, tuple[Piece, ...]]  # the style of the whole line, its pieces


def render(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    (render_rich if context.color else render_plain)(result, out, context)


def render_plain(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    """The report without colour, as plain strings: what render_rich writes with colour off."""
    for batch in batches(_lines(result, context), BATCH):
        text = "".join(["".join([text for text, _ in pieces]) + "\n" for _, pieces in batch])
        out.write(text)
    out.flush()  # as rich does after each print


def render_rich(result: dict[str, Any], out: TextIO, context: ReportContext) -> None:
    """The report through rich: coloured when context.color is set (else what render_plain writes, slower)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, force_terminal=context.color, no_color=not context.color, highlight=False,
                      soft_wrap=True, emoji=False, markup=False)
    for batch in batches(_lines(result, context), BATCH):
        console.print(Text("\n").join([Text.assemble(*pieces, style=style) for style, pieces in batch]))


def _lines(result: dict[str, Any], context: ReportContext) -> Iterator[Line]:
    """Every line of the report: the findings of each file under its path, a blank line, the summary. The
    findings are read once, as they come (the contract sorts them by path): holding them all to group them took
    1.7 KB a finding, 346 MB more peak RSS for 200,490 findings."""
    fixes: Counter[bool] = Counter()  # fixable findings by whether their fix is safe
    for path, findings in groupby(result["findings"], key=itemgetter("path")):
        yield "bold underline", ((visible(path), ""),)
        for finding in findings:
            if finding["fixable"]:
                fixes[bool(finding["fix"]["safe"])] += 1
            yield from _finding_lines(finding, context)
        yield "", ()
    if not context.quiet:
        sentence = _summary_sentence(result["summary"], safe_fixes=fixes[True], unsafe_fixes=fixes[False])
        yield "green" if result["summary"]["findings"] == 0 else "", ((sentence, ""),)


def _finding_lines(finding: dict[str, Any], context: ReportContext) -> list[Line]:
    style = STYLES.get(finding["severity"], "")
    field = f" [{visible(finding['field'])}]" if finding["field"] else ""
    head = ((f"  {finding['line']}:{finding['column']}  ", ""), (f"{finding['severity']:<7}", style),
            (" " + visible(finding["message"]), ""), (f"  {visible(finding['rule'])}", "dim"), (field, "dim"))
    lines: list[Line] = [("", head), *_source_block(finding, context, style)]
    if finding["suggestion"]:
        lines.append(("dim", ((SUGGESTION, ""), (visible(finding["suggestion"]), ""))))
    return lines


def _source_block(finding: dict[str, Any], context: ReportContext, style: str) -> list[Line]:
    """The source line (clipped around the span) and the carets under the span, if the line can be read."""
    line_no = finding["line"]
    source = context.source_line(finding["path"], line_no)
    if source is None:
        return []
    end_column = finding["end_column"] if finding["end_line"] == line_no else len(source) + 1
    shown, start, end = _window(source, finding["column"], end_column)
    # carets under the span as the terminal draws the line: a wide character ("中", "😀") takes two cells, a
    # control character shown escaped six; an empty span gets one caret, where it is
    before = cell_len(visible(shown[:start]))
    span = cell_len(visible(shown[start:end])) if end_column > finding["column"] else 0
    return [("dim", ((f"{line_no:>6} │ ", ""), (visible(shown), ""))),
            ("", ((CARET_GUTTER + " " * before, ""), ("^" * max(1, span), style)))]


def _window(line: str, column: int, end_column: int) -> tuple[str, int, int]:
    """Clip a long line around the span; returns the shown text and the span's columns in it (0-based)."""
    start, end = column - 1, max(end_column - 1, column)
    if len(line) <= WINDOW:
        return line, start, end
    left = max(0, start - 30)
    right = min(len(line), max(end, start + 1) + 40)
    right = min(right, left + WINDOW)
    prefix = "…" if left > 0 else ""
    suffix = "…" if right < len(line) else ""
    shown = prefix + line[left:right] + suffix
    return shown, start - left + len(prefix), min(end, right) - left + len(prefix)


def _summary_sentence(summary: dict[str, Any], safe_fixes: int, unsafe_fixes: int) -> str:
    """The last line: how many findings of each severity in how many files, and how many can be fixed."""
    counts = summary["by_severity"]
    files = summary["files"]
    total = summary["findings"]
    if total == 0:
        return f"All checks passed: {files} file{'s' if files != 1 else ''} checked, no findings."
    parts = ", ".join(f"{counts[level]} {level}{'s' if counts[level] != 1 and level != 'info' else ''}"
                      for level in ("error", "warning", "info") if counts.get(level))
    text = f"Found {total} finding{'s' if total != 1 else ''} ({parts}) in {files} file{'s' if files != 1 else ''}."
    notes = ([f"{safe_fixes} fixable with --fix"] if safe_fixes else []) + (
        [f"{unsafe_fixes} with --fix --unsafe-fixes"] if unsafe_fixes else [])
    return text + (" " + "; ".join(notes) + "." if notes else "")
