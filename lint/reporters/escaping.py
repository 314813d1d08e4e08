"""Making article text safe to show: control, zero-width and bidi characters become visible escapes.

Terminal escape sequences, bells and bidi overrides in an article must never reach a terminal or a CI log as
they are: they could recolour, retitle or reorder what the reader sees.
"""

from __future__ import annotations

import re

_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def visible(text: str, keep: str = "") -> str:
    """Each control character (except those in ``keep``) as ``\\uXXXX``; tabs as spaces."""
    def escape(match: re.Match[str]) -> str:
        char = match.group()
        return char if char in keep else f"\\u{ord(char):04x}"

    return _CONTROL.sub(escape, text.replace("\t", " "))
