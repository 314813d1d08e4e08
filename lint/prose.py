"""Prose extraction: markdown and HTML markup removed from text, every kept character still mapped to the file.

Rules that read language (readability, paraphrase, grammar, boilerplate) want sentences, not list numbers,
bold markers, URLs or tags. Each transformation here keeps the offset of every character it keeps, so a
finding in prose still lands on the exact file position.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator

from lint.positions import MappedText, MappedTextBuilder, without

# Every alternative starts at a line start or with one of the characters in the lookahead: testing that
# first lets the regex engine skip plain text cheaply (7x faster than trying each alternative everywhere).
_MARKUP = re.compile(
    r"""
    (?:^|(?=[<!\[hw&`*_|]))
    (?:
    (?P<fence>^[ \t]*(?P<fence_mark>```|~~~)[^\n]*\n[\s\S]*?(?:^[ \t]*(?P=fence_mark)[ \t]*$|\Z))
    |(?P<comment><!--[\s\S]*?(?:-->|\Z))
    |(?P<image>!\[(?P<alt>[^\]\n]*)\]\([^)\n]*\))
    |(?P<link>\[(?P<link_text>[^\]\n]+)\]\([^)\n]*\))
    |(?P<citation>\[\d{1,3}(?:[,\u2013-]\s?\d{1,3})*\])
    |(?P<autolink><https?://[^>\s]+>)
    |(?P<url>\b(?:https?://|www\.)[^\s<>()\]]+)
    |(?P<tag></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>)
    |(?P<entity>&(?:[A-Za-z][A-Za-z0-9]{1,31}|\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6});)
    |(?P<code>`[^`\n]+`)
    |(?P<marker>^[ \t]*(?:\#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+))
    |(?P<emphasis>\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w))
    |(?P<pipe>\|)
    )
    """,
    re.MULTILINE | re.VERBOSE,
)
_KEEP_GROUP = {"image": "alt", "link": "link_text"}
# Where a match of _MARKUP can start: after a line break, where a fence or a marker may follow (the alternatives
# anchored with ^; a line starting with any other markup is a candidate for its first character), at one of the
# characters of its lookahead, or at a URL (its "h" and "w" are too common to try the pattern at each). All
# branches start with a literal, so the regex engine skips other text at C speed.
_MARKUP_START = re.compile(r"\n(?=[ \t]*[`~#>*+\-\d])|<|!|\[|&|`|\*|_|\||h(?=ttps?://)|w(?=ww\.)")


def _markup(text: str) -> Iterator[re.Match[str]]:
    """``_MARKUP.finditer(text)``, with the pattern tried only where ``_MARKUP_START`` says a match can start."""
    position = 0  # no match may start before this: the end of the last one
    tried = -1
    for candidate in itertools.chain((0,), (m.end() if m.group() == "\n" else m.start()
                                            for m in _MARKUP_START.finditer(text))):
        if candidate < position or candidate == tried:
            continue
        tried = candidate
        match = _MARKUP.match(text, candidate)
        if match is not None:
            yield match
            position = match.end()


def expand_paragraph_escapes(value: MappedText) -> MappedText:
    """Turn the literal two characters ``\\n`` into a line break, mapped to the backslash: the text by one
    ``replace``, the offsets by dropping each escape's "n" from the runs."""
    text = value.text
    if "\\n" not in text:
        return value
    dropped = []
    index = text.find("\\n")
    while index != -1:
        dropped.append(index + 1)
        index = text.find("\\n", index + 2)
    return MappedText(text.replace("\\n", "\n"), without(value.offsets, dropped), value.end_offset)


def strip_markup(value: MappedText) -> MappedText:
    """Remove markdown and HTML markup, keeping link texts, image alt texts and decoded entities."""
    text, offsets = value.text, value.offsets
    builder = MappedTextBuilder()
    last = 0
    for match in _markup(text):
        kind = match.lastgroup
        start, end = match.span()
        builder.add(text[last:start], offsets[last:start])
        last = end
        if kind in _KEEP_GROUP:
            group = _KEEP_GROUP[kind]
            builder.add(match.group(group), offsets[match.start(group) : match.end(group)])
        elif kind == "entity":
            decoded = html.unescape(match.group()).replace("\xa0", " ")
            for char in decoded:
                builder.add_char(char, offsets[start])
        elif kind == "pipe":
            builder.add_char(" ", offsets[start])
        elif kind == "fence":
            builder.add_char("\n", offsets[start])
    builder.add(text[last:], offsets[last:])
    return builder.build(value.end_offset)
