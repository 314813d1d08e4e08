"""Encoding rules: bytes that are not text, and text that was decoded with the wrong codec."""

from __future__ import annotations

from collections.abc import Iterator

from lint.document import Document
from lint.registry import register
from lint.rule import Category, CheckContext, Rule, Severity, Violation


@register
class InvalidUtf8(Rule):
    """Reports bytes that are not valid UTF-8, at the line and column where they stand.

    **Why it matters:** the site serves UTF-8; invalid bytes show up as "�" on the page or make the
    build reject the file. They usually come from a file saved in Windows-1252 or Latin-1.

    **Example:** the byte ``0x92`` (a Windows-1252 apostrophe) in ``don\\x92t``. The rest of the file is
    still checked; each invalid byte counts as one character when columns are counted.
    """

    id = "encoding/invalid-utf8"
    category = Category.ENCODING
    severity = Severity.ERROR

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        for error in doc.decode_errors:
            shown = " ".join(f"0x{byte:02X}" for byte in error.data[:8])
            plural = "s" if error.length > 1 else ""
            yield Violation(error.offset, error.offset + error.length,
                            f"invalid UTF-8 byte{plural} {shown} at byte offset {error.byte_offset}",
                            details={"byte_offset": error.byte_offset})
