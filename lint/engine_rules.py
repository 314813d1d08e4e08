"""The engine's own findings: files it could not lint as asked, and suppressions that suppress nothing.

These rules have no ``check``: the runner reports them. They are registered like any rule so that they can
be selected, ignored, re-levelled and explained.
"""

from __future__ import annotations

from collections.abc import Iterator

from lint.document import Document
from lint.registry import register
from lint.rule import Category, CheckContext, Rule, Severity, Violation


class EngineRule(Rule):
    category = Category.LINT

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        return iter(())


@register
class Unreadable(EngineRule):
    """Reports a file that could not be read (permissions, a vanished file, an I/O error).

    **Why it matters:** a file the linter silently skips is a file nobody checked.

    **Example:** a file with mode ``000`` in the content directory.
    """

    id = "lint/unreadable"
    severity = Severity.ERROR


@register
class TooLarge(EngineRule):
    """Reports a file larger than ``max-file-size`` (default 5 MB) instead of parsing it.

    **Why it matters:** an article is a few kilobytes; a file of many megabytes is an export gone wrong or a
    binary, and parsing it would cost time and memory every run.

    **Example:** a 20 MB ``dump.md`` gives ``lint/too-large`` and the run goes on.
    """

    id = "lint/too-large"
    severity = Severity.ERROR


@register
class BinaryFile(EngineRule):
    """Reports a file that holds NUL bytes, i.e. binary data rather than text.

    **Why it matters:** a binary renamed to ``.md`` or ``.txt`` is not an article; linting it as text would
    produce noise instead of one clear message.

    **Example:** a PNG saved as ``photo.md``.
    """

    id = "lint/binary-file"
    severity = Severity.ERROR


@register
class UnsupportedEncoding(EngineRule):
    """Reports a file in UTF-16 or UTF-32 (found by its byte-order mark or its pattern of NUL bytes).

    **Why it matters:** the site and contentlint read UTF-8; a UTF-16 export looks like text in an editor but
    is binary to every UTF-8 tool, and cannot be checked.

    **Example:** a page saved by a Windows tool as "Unicode" (UTF-16 LE). Convert it:
    ``iconv -f UTF-16 -t UTF-8 page.txt > page.utf8.txt``.
    """

    id = "lint/unsupported-encoding"
    severity = Severity.ERROR


@register
class Timeout(EngineRule):
    """Reports a file whose checks took longer than ``timeout`` seconds (default 10); its remaining rules are skipped.

    **Why it matters:** one pathological document must not stall a pre-commit hook or a CI run.

    **Example:** a single 10 MB line that a rule cannot get through in time.
    """

    id = "lint/timeout"
    severity = Severity.ERROR


@register
class RuleError(EngineRule):
    """Reports a rule that failed with an unexpected error on a file (a bug in contentlint: please report it).

    **Why it matters:** the other rules and files are still checked; this finding says what was not.

    **Example:** ``rule readability/grade failed on this file: ZeroDivisionError``.
    """

    id = "lint/rule-error"
    severity = Severity.ERROR


@register
class UnusedSuppression(EngineRule):
    """Reports a ``contentlint-disable`` comment that suppresses no finding. Off by default.

    **Why it matters:** suppressions outlive the problems they were written for; a stale one hides the
    next real problem on its lines.

    **Example:** ``<!-- contentlint-disable-next-line encoding/mojibake -->`` above a line with no mojibake.
    Select ``lint/unused-suppression`` to enable it.
    """

    id = "lint/unused-suppression"
    severity = Severity.INFO
    enabled_by_default = False
