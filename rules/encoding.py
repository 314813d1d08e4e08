"""Encoding rules: bytes that are not text, text decoded with the wrong codec, and characters nobody can see.

Mojibake detection is ftfy's *encoding repair only* (``ftfy.fix_encoding_and_explain``): none of ftfy's other
fixers (HTML unescaping, uncurling quotes, width and ligature folding, normalisation) may run, because they
"repair" correct text. ftfy repairs a line as a whole; the rule then aligns the repaired line with the
original to report each affected span at its exact offset and to fix only those characters.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import Any

from ftfy import TextFixerConfig, fix_encoding_and_explain
from ftfy.badness import BADNESS_RE, is_bad

from lint.document import Document
from lint.registry import register
from lint.rule import Category, CheckContext, Edit, Fix, Rule, Severity, Violation
from rules._folding import REGEX_OPCODES as _sre
from rules._folding import match_width, parse_regex

# Encoding repair and its four sub-steps, nothing else (the other options only matter to ftfy.fix_text, and are
# switched off here so that this configuration says, on its own, what the rule does).
FTFY_CONFIG = TextFixerConfig(
    unescape_html=False, remove_terminal_escapes=False, fix_encoding=True, restore_byte_a0=True,
    replace_lossy_sequences=True, decode_inconsistent_utf8=True, fix_c1_controls=True, fix_latin_ligatures=False,
    fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False, fix_surrogates=False,
    remove_control_chars=False, normalization=None, explain=True,
)
_CODEC_NAMES = {
    "latin-1": "Latin-1", "sloppy-windows-1252": "Windows-1252", "windows-1252": "Windows-1252",
    "sloppy-windows-1251": "Windows-1251", "sloppy-windows-1250": "Windows-1250",
    "sloppy-windows-1253": "Windows-1253", "sloppy-windows-1254": "Windows-1254",
    "sloppy-windows-1257": "Windows-1257", "iso-8859-2": "ISO-8859-2", "macroman": "Mac Roman", "cp437": "CP437",
    "utf-8": "UTF-8", "utf-8-variants": "UTF-8",
}


class Doubt(StrEnum):
    """Why a repair is not applied automatically."""

    LOSSY = "lossy"  # a byte was lost on the way ("â€?"): the repair holds "�" instead of the character
    UNRESOLVED = "unresolved"  # the text still looks like mojibake after ftfy's best repair
    UNEXPLAINED = "unexplained"  # it looks like mojibake, but no codec mix-up explains it


@dataclass(frozen=True, slots=True)
class Repair:
    """A stretch of file text that looks like mojibake, with ftfy's repair when it has one."""

    start: int  # file offsets
    end: int
    original: str
    replacement: str | None  # None: ftfy sees mojibake but has no repair
    in_context: str  # the word around the span, repaired, for people to read
    doubt: Doubt | None  # None: a repair to apply
    explanation: str  # "UTF-8 read as Windows-1252", ...
    lost: tuple[str, ...] = ()  # the characters a lost last byte may have made ("”"), when the doubt is LOSSY


def mojibake(doc: Document) -> list[Repair]:
    """The mojibake of a document, computed once and shared by the encoding rules."""
    return doc.memo("encoding.mojibake", lambda: _find_mojibake(doc))


def _find_mojibake(doc: Document) -> list[Repair]:
    text = doc.text
    if text.isascii():  # pure ASCII cannot hold mojibake: the common case costs one C-level scan
        return []
    undecodable = [(e.offset, e.offset + e.length) for e in doc.decode_errors]
    repairs: list[Repair] = []
    for start, line in _suspect_lines(text):
        body = line[:-1] if line.endswith("\r") else line
        repairs.extend(r for r in _line_repairs(body, start)
                       if not any(r.start < end and s < r.end for s, end in undecodable))
    if "Â" in text:
        taken = [*undecodable, *((r.start, r.end) for r in repairs)]
        found = [r for r in _no_break_spaces(text) if not any(r.start < end and s < r.end for s, end in taken)]
        repairs = sorted((*repairs, *found), key=lambda r: r.start) if found else repairs
    return repairs


# A no-break space read as Latin-1 or Windows-1252 is "Â\xa0"; once its A0 has become a plain space ("100Â mg"),
# ftfy's badness test no longer sees it. After a letter, a digit or punctuation (or another such "Â "), a capital
# Â before a space is no letter of any language's words: it is the first byte of a no-break space.
_NO_BREAK_SPACE_READ_AS_LATIN1 = re.compile(r"(?:(?<=[A-Za-z0-9.,;:!?%)\]])|(?<=Â ))Â (?=\S)")


def _no_break_spaces(text: str) -> Iterator[Repair]:
    for match in _NO_BREAK_SPACE_READ_AS_LATIN1.finditer(text):
        start, end = match.span()
        yield Repair(start, end, match.group(), "\xa0", _word(text, start, end, "\xa0"), None,
                     _explain("Â\xa0", "\xa0", None))


def _required_chars(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """Characters one of which every match of a parsed regex sequence holds (None: none such is known).

    Of the sequence's items, the one whose characters are rarest in edited text is taken: non-ASCII letters and
    symbols rather than ASCII, spaces or typographic punctuation (curly quotes, dashes)."""
    best: frozenset[str] | None = None
    for op, av in items:
        chars = _item_chars(op, av)
        if chars is not None and (best is None or _commonness(chars) < _commonness(best)):
            best = chars
    return best


def _item_chars(op: Any, av: Any) -> frozenset[str] | None:
    if op is _sre.LITERAL:
        return frozenset(chr(av))
    if op is _sre.IN:
        chars: set[str] = set()
        for kind, value in av:
            if kind is _sre.LITERAL:
                chars.add(chr(value))
            elif kind is _sre.RANGE:
                chars.update(map(chr, range(value[0], value[1] + 1)))
            else:  # a negated class or a category (\s, \w) holds too much to help
                return None
        return frozenset(chars)
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
        return _required_chars(av[2]) if av[0] >= 1 else None
    if op is _sre.SUBPATTERN:
        return _required_chars(av[-1])
    if op is _sre.BRANCH:
        branches = [_required_chars(branch) for branch in av[1]]
        return None if any(b is None for b in branches) else frozenset().union(*branches)  # type: ignore[arg-type]
    return None


def _commonness(chars: frozenset[str]) -> tuple[int, int]:
    common = sum(1 for c in chars if c.isascii() or c.isspace() or "\u2000" <= c <= "\u206f")
    return common, len(chars)


def _badness_prefilter() -> tuple[re.Pattern[str], re.Pattern[str], int] | None:
    """ftfy's badness regex for whole texts, with the characters one of which each of its matches holds and
    its longest match; None when the regex is not simple enough to be searched that way."""
    parsed = parse_regex(BADNESS_RE.pattern, BADNESS_RE.flags)
    width = match_width(parsed)
    chars = _required_chars(parsed.data)
    if chars is None or width is None:
        return None
    lines = re.compile(BADNESS_RE.pattern, BADNESS_RE.flags | re.MULTILINE)
    return re.compile("[" + "".join(sorted(map(re.escape, chars))) + "]"), lines, width


_PREFILTER = _badness_prefilter()


def _suspect_lines(text: str) -> Iterator[tuple[int, str]]:
    """The lines (offset, text) that may hold mojibake: each line on which ftfy's ``is_bad`` may be true.

    A line is bad when ftfy's badness regex matches in it. Each match holds one of a few rare characters, and
    is at most ``width`` long; so the regex only needs to run in windows around those characters, over the whole
    text (with MULTILINE for its start-of-line anchor). Every match found there marks the lines it touches;
    a match that is bad on its own line is found there or overlaps one that is. ``is_bad`` then decides."""
    if _PREFILTER is None:
        spans = [(m.start(), m.end()) for m in re.finditer(r"[^\n]*[^\x00-\x7f][^\n]*", text)]
    else:
        required, badness, width = _PREFILTER
        windows: list[list[int]] = []
        for match in required.finditer(text):
            low, high = max(0, match.start() - width + 1), match.start() + width
            if windows and low <= windows[-1][1]:
                windows[-1][1] = high
            else:
                windows.append([low, high])
        spans = [m.span() for low, high in windows for m in badness.finditer(text, low, high)]
    done = 0  # the start of the first line not yielded yet: the spans come in order, so no line is looked for twice
    for start, end in spans:
        # (a search back from each span to the line's start made one long line cost its length per match)
        line_start = max(done, text.rfind("\n", done, start) + 1)
        while line_start < max(end, start + 1):
            line_end = text.find("\n", line_start)
            line_end = len(text) if line_end < 0 else line_end
            yield line_start, text[line_start:line_end]
            line_start = done = line_end + 1


def _line_repairs(line: str, base: int) -> list[Repair]:
    if not is_bad(line):  # ftfy's own first test: such a line comes back unchanged (one regex scan, not two)
        return []
    fixed, plan, changed = _repaired(line)
    # (a "�" that no codec explains is a character lost earlier: encoding/replacement-char reports it)
    bad = [_widen(line, m.start(), m.end()) for m in BADNESS_RE.finditer(line) if "\ufffd" not in m.group()]
    # Mojibake that lost its last byte has no repair; each run of non-ASCII characters on its own ("â€œnoâ€": a
    # whole quotation mark, then a lost one)
    lost = [(s, e, found) for s, e in sorted(set(bad))
            if not any(s < ce and cs < e for cs, ce, _ in changed) and (found := _lost_last_byte(line[s:e]))]
    repairs = [Repair(base + s, base + e, line[s:e], None, _word(line, s, e, line[s:e], ascii_only=True),
                      Doubt.LOSSY, f"UTF-8 read as {found[0]}", found[1]) for s, e, found in lost]
    if not changed:
        # ftfy sees mojibake but found no decoding that explains it (e.g. two single-byte codecs mixed up).
        return repairs + [Repair(base + s, base + e, line[s:e], None, _word(line, s, e, line[s:e]),
                                 Doubt.UNEXPLAINED, "no codec mix-up explains it")
                          for s, e in _merge(bad, line) if not any(s < le and ls < e for ls, le, _ in lost)]
    residue = fixed
    for s, e, _ in lost:  # what is left bad besides them makes every other repair of the line doubtful
        residue = residue.replace(line[s:e], "")
    still_bad = is_bad(residue)
    for s, e, replacement in changed:
        lossy = "\ufffd" in replacement and "\ufffd" not in line[s:e]
        doubt = Doubt.LOSSY if lossy else Doubt.UNRESOLVED if still_bad else None
        repairs.append(Repair(base + s, base + e, line[s:e], replacement, _word(line, s, e, replacement), doubt,
                              _explain(line[s:e], replacement, plan)))
    return sorted(repairs, key=lambda r: r.start)


def _repaired(line: str) -> tuple[str, list[tuple[str, str]], list[tuple[int, int, str]]]:
    """ftfy's repair of a line, its plan and the changed spans. Where ftfy reads a space that parts two words as
    the byte A0 ("dangerousâ€ by" -> "dangerous†by"), a byte lost on the way explains the text better (the 0x9D
    of "”", which Windows-1252 cannot show): the line is repaired again in pieces that start at such spaces."""
    cuts: set[int] = {0}
    while True:
        bounds = sorted(cuts)
        results = [fix_encoding_and_explain(line[a:b], FTFY_CONFIG) for a, b in pairwise((*bounds, len(line)))]
        fixed = "".join(result.text for result in results)
        changed = _changed_spans(line, fixed) if fixed != line else []
        glued = {space for span in changed for space in _glued_spaces(line, *span)}
        if glued <= cuts:
            return fixed, [step for result in results for step in result.explanation or ()], changed
        cuts |= glued


def _glued_spaces(line: str, start: int, end: int, replacement: str) -> list[int]:
    """The spaces that parted two words and that a repair takes in without giving back a white space ("â€ by" ->
    "†by": restore_byte_a0), rather than turning them into no-break spaces ("100Â mg" -> "100\xa0mg")."""
    parting = [i for i in range(max(start, 1), min(end, len(line) - 1))
               if line[i] == " " and not line[i - 1].isspace() and not line[i + 1].isspace()]
    return parting if len(parting) > sum(c.isspace() for c in replacement) else []


# Bytes that Windows-1252 cannot show: a tool that reads UTF-8 as Windows-1252 may drop them
_UNSHOWN_BYTES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)


def _lost_last_byte(chars: str) -> tuple[str, tuple[str, ...]] | None:
    """If ``chars`` (spaces at its end aside) are UTF-8 read as a single-byte codec, whole but for the last byte
    of the last character, with at least two of its bytes left ("â€" of "â€\x9d"), the codec and the characters
    the lost byte made ("”", "‐"): the printable ones whose last byte Windows-1252 cannot show."""
    chars = chars.rstrip(" ")
    for codec, name in (("sloppy-windows-1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            data = chars.encode(codec)
        except UnicodeEncodeError:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            if error.reason != "unexpected end of data" or len(data) - error.start < 2:
                return None
            tail = data[error.start :]
            if len(tail) + 1 != (2 if tail[0] < 0xE0 else 3 if tail[0] < 0xF0 else 4):
                return None  # more than one byte is missing: too many characters to name
            made = (_decoded(tail + bytes((byte,))) for byte in _UNSHOWN_BYTES)
            return name, tuple(c for c in made if c.isprintable())
        return None
    return None


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return ""


# ASCII characters that an encoding repair never creates or removes: the repair of "Hereâ€™s" keeps H, e, r, e
# and s. Spaces (restore_byte_a0 turns "Ã " into "à"), "?" and "\x1a" (lost bytes) may be taken into a repair,
# and everything else is non-ASCII. Between two such anchors lies a gap; the gaps are what a repair changes.
_GAP = re.compile(r"[^\x00-\x19\x1b-\x1f!->@-\x7f]+")


def _changed_spans(original: str, fixed: str) -> list[tuple[int, int, str]]:
    """Align the repaired line with the original: each changed stretch, widened to its whole run of non-ASCII
    characters (mojibake is made of them), merged within a word, with the repaired text that replaces it.

    The alignment walks the gaps between the ASCII characters both lines share, in linear time (difflib takes
    seconds on a long YAML line), and compares them pairwise."""
    if _GAP.sub("", original) == _GAP.sub("", fixed):
        gaps = _changed_gaps(original, fixed)
    else:  # not expected from ftfy; stay correct anyway: one change between the common prefix and suffix
        gaps = [_Gap(original, fixed, 0, len(original), 0, len(fixed))]
    spans = _merge([_widen(original, gap.start + gap.prefix, gap.end - gap.suffix) for gap in gaps], original)
    starts = [gap.start for gap in gaps]

    def fixed_offset(position: int) -> int:  # span edges lie in a changed gap: widening stops at anchors
        return gaps[bisect.bisect_right(starts, position) - 1].fixed_offset(position)

    return [(s, e, fixed[fixed_offset(s) : fixed_offset(e)]) for s, e in spans]


def _gaps(text: str) -> dict[int, tuple[int, int]]:
    """The non-empty gaps of a text, by the number of anchors before them."""
    found = {}
    skipped = 0
    for match in _GAP.finditer(text):
        found[match.start() - skipped] = match.span()
        skipped += match.end() - match.start()
    return found


def _changed_gaps(original: str, fixed: str) -> list[_Gap]:
    """The gaps of the original and the repair side by side (one side may be empty: a gap of no characters),
    where they differ. Every space is a gap: the few that changed are compared in detail, the rest skipped."""
    ours, theirs = _gaps(original), _gaps(fixed)
    changed = []
    shift_ours = shift_theirs = 0  # characters in the gaps before the current anchor
    for key in sorted(ours.keys() | theirs.keys()):
        start, end = ours.get(key, (key + shift_ours, key + shift_ours))
        fixed_start, fixed_end = theirs.get(key, (key + shift_theirs, key + shift_theirs))
        if original[start:end] != fixed[fixed_start:fixed_end]:
            changed.append(_Gap(original, fixed, start, end, fixed_start, fixed_end))
        shift_ours += end - start
        shift_theirs += fixed_end - fixed_start
    return changed


def _common_prefix(a: str, b: str) -> int:
    length = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        length += 1
    return length


class _Gap:
    """The characters between two anchors, in the original [start, end) and in the repair; when they differ,
    the change is what lies between their common prefix and common suffix."""

    def __init__(self, original: str, fixed: str, start: int, end: int, fixed_start: int, fixed_end: int) -> None:
        self.start, self.end, self.fixed_start, self.fixed_end = start, end, fixed_start, fixed_end
        before, after = original[start:end], fixed[fixed_start:fixed_end]
        self.changed = before != after
        self.prefix = _common_prefix(before, after)
        room = min(len(before), len(after)) - self.prefix
        self.suffix = min(_common_prefix(before[::-1], after[::-1]), room) if self.changed else 0

    def fixed_offset(self, position: int) -> int:
        """Where an original offset of this gap lies in the repair: in the common prefix or suffix (the edges
        of a change, widened or not, always do)."""
        if not self.changed or position - self.start <= self.prefix:
            return self.fixed_start + position - self.start
        if self.end - position <= self.suffix:
            return self.fixed_end - (self.end - position)
        return self.fixed_start + self.prefix


def _widen(text: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and not text[start - 1].isascii():
        start -= 1
    while end < len(text) and not text[end].isascii():
        end += 1
    return start, end


def _merge(spans: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Merge spans that touch or are separated only by letters (the mojibake of one word is one finding)."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and (start <= merged[-1][1] or text[merged[-1][1] : start].isalnum()):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _word(line: str, start: int, end: int, replacement: str, ascii_only: bool = False) -> str:
    """The word that holds a span, with the span replaced: what the editor will recognise (``ascii_only``: its
    ASCII letters and digits only, where the letters beside the span may be mojibake of their own)."""
    left, right = start, end
    while left > 0 and line[left - 1].isalnum() and (line[left - 1].isascii() or not ascii_only):
        left -= 1
    while right < len(line) and line[right].isalnum() and (line[right].isascii() or not ascii_only):
        right += 1
    return line[left:start] + replacement + line[end:right]


def show(text: str) -> str:
    """Text for a message, with invisible characters (C0 and C1 controls, format characters) made visible."""
    return "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" if ord(c) < 0x100
                   else f"\\u{ord(c):04x}" for c in text)


def _explain(original: str, replacement: str, line_plan: Sequence[tuple[str, str]] | None) -> str:
    """Say which codec mix-up produced a span, from ftfy's plan for that span alone (or for its line)."""
    own_fix, own_plan = fix_encoding_and_explain(original, FTFY_CONFIG)
    plan: Sequence[tuple[str, str]] = own_plan if own_fix == replacement and own_plan else (line_plan or [])
    codecs = [step for step in plan if step[0] in ("encode", "decode")]  # transcoding steps sit in between
    pairs = [(a, b) for (op_a, a), (op_b, b) in pairwise(codecs) if op_a == "encode" and op_b == "decode"]
    if pairs:
        described = [f"{_CODEC_NAMES.get(decoded, decoded)} read as {_CODEC_NAMES.get(encoded, encoded)}"
                     for encoded, decoded in pairs]
        if len(set(described)) == 1 and len(described) > 1:
            return f"{described[0]}, {len(described)} times over"
        return ", then ".join(described)
    if any(step == "fix_c1_controls" for _, step in plan):
        return "Windows-1252 read as Latin-1"
    return "UTF-8 read as a single-byte codec"


class EncodingRule(Rule):
    category = Category.ENCODING


@register
class InvalidUtf8(EncodingRule):
    """Reports bytes that are not valid UTF-8, at the line and column where they stand.

    **Why it matters:** the site serves UTF-8; invalid bytes show up as "�" on the page or make the
    build reject the file. They usually come from a file saved in Windows-1252 or Latin-1.

    **Example:** the byte ``0x92`` (a Windows-1252 apostrophe) in ``don\\x92t``. The rest of the file is
    still checked; each invalid byte counts as one character when columns are counted.
    """

    id = "encoding/invalid-utf8"
    severity = Severity.ERROR

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        for error in doc.decode_errors:
            shown = " ".join(f"0x{byte:02X}" for byte in error.data[:8])
            plural = "s" if error.length > 1 else ""
            yield Violation(error.offset, error.offset + error.length,
                            f"invalid UTF-8 byte{plural} {shown} at byte offset {error.byte_offset}",
                            details={"byte_offset": error.byte_offset})


@register
class Mojibake(EncodingRule):
    """Reports text that was decoded with the wrong codec ("mojibake"), with ftfy's repair as a safe fix.

    **Why it matters:** "Hereâ€™s" instead of "Here’s" is what readers see when UTF-8 text passes through a
    tool that reads it as Windows-1252 or Latin-1 (CMS exports, copy-paste, scrapers). It looks broken, it
    breaks search and spelling, and every further round trip makes it worse ("Ã¢â‚¬â„¢").

    **Example:** ``Hereâ€™s how`` is reported at the ``â€™``, with the suggestion ``Here’s``; ``--fix`` replaces
    exactly those three characters with ``’`` and leaves every other byte of the file alone. Also detected:
    UTF-8 read as Latin-1 (``cafÃ©``), double encoding (``cafÃƒÂ©``), Mac Roman (``caf√©``), Windows-1252 read
    as Latin-1 (``don\\x92t``), a no-break space read as Latin-1 whose second byte became a plain space
    (``100Â mg``: ftfy's badness test misses it), and mixtures of these with correct text in one line. Correct
    text is left alone: curly quotes, dashes, ``µg``, ``°C``, ``±``, ``≥``, ``β-blocker``, ``Ménière``, and sentences in
    any language. Repairs that ftfy is not sure of are reported by ``encoding/possible-mojibake`` instead.
    """

    id = "encoding/mojibake"
    severity = Severity.ERROR
    fixable = True

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        for repair in mojibake(doc):
            if repair.doubt is None and repair.replacement is not None:
                original, replacement = show(repair.original), show(repair.replacement)
                yield Violation(
                    repair.start, repair.end,
                    f"mojibake: '{original}' should read '{replacement}' ({repair.explanation})",
                    suggestion=repair.in_context,
                    fix=Fix((Edit(repair.start, repair.end, repair.replacement),),
                            f"repair the encoding: '{original}' -> '{replacement}'"),
                    details={"repaired": repair.replacement, "cause": repair.explanation})


@register
class PossibleMojibake(EncodingRule):
    """Reports text that looks like mojibake but has no repair ftfy is sure of; there is no automatic fix.

    **Why it matters:** some damage cannot be undone mechanically: a character was lost on the way
    (``Hereâ€?s``: the ``?`` stands for a byte that no longer exists), or the text still looks broken after the
    best repair, or no codec explains it. A person has to restore the right character from the source.

    **Example:** ``Hereâ€?s how`` is reported at ``â€?``: the apostrophe's last byte became ``?`` along the
    way, so the right character must be looked up, not guessed. In ``“not dangerousâ€ by itself`` the closing
    quotation mark's last byte (0x9D, which Windows-1252 cannot show) was dropped: ``â€`` is reported with the
    two characters it may have been, ``‐`` or ``”`` (ftfy alone would read the space after it as the byte A0 of
    a dagger and glue the words: "dangerous†by"). When ftfy's best repair still looks broken,
    it is given as the suggestion, to be checked.
    """

    id = "encoding/possible-mojibake"
    severity = Severity.WARNING

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        for repair in mojibake(doc):
            if repair.doubt is None:
                continue
            original, context = show(repair.original), show(repair.in_context)
            if repair.doubt is Doubt.LOSSY and repair.lost:
                made = " or ".join(f"'{c}'" for c in repair.lost)
                message = (f"'{original}' is mojibake ({repair.explanation}) that has lost its last byte on the way "
                           f"('{context}'): it was {made}; restore it from the source")
            elif repair.doubt is Doubt.LOSSY:
                message = (f"'{original}' is mojibake ({repair.explanation}) that has lost a character on the way "
                           f"('{context}'): restore it from the source")
            elif repair.doubt is Doubt.UNRESOLVED:
                message = (f"'{original}' looks like mojibake ({repair.explanation}), but the best repair, "
                           f"'{context}', still looks wrong: check it against the source")
            else:
                message = f"'{original}' looks like mojibake, but {repair.explanation}: check it against the source"
            details: dict[str, Any] = {"doubt": repair.doubt.value, "cause": repair.explanation}
            if repair.lost:
                details["lost"] = list(repair.lost)
            yield Violation(repair.start, repair.end, message,
                            suggestion=repair.in_context if repair.doubt is Doubt.UNRESOLVED else None, details=details)


def _covered(doc: Document, start: int, end: int) -> bool:
    """Whether a span lies in mojibake or undecodable bytes, which their own rules already report."""
    return (any(r.start < end and start < r.end for r in mojibake(doc))
            or any(e.offset < end and start < e.offset + e.length for e in doc.decode_errors))


@register
class ReplacementChar(EncodingRule):
    """Reports the replacement character "�" (U+FFFD) written in the file.

    **Why it matters:** "�" marks a character that a tool could not decode and threw away; the file now
    holds the mark instead of the letter, and readers see a black diamond. (Invalid bytes still in the file
    are ``encoding/invalid-utf8``; "�" inside mojibake is reported with the mojibake.)

    **Example:** ``Sj�gren's syndrome``: restore ``ö`` from the source.
    """

    id = "encoding/replacement-char"
    severity = Severity.ERROR

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        if "\ufffd" not in doc.text:  # one C-level scan settles the common case
            return
        for match in re.finditer("\ufffd+", doc.text):
            if not _covered(doc, match.start(), match.end()):
                count = len(match.group())
                yield Violation(match.start(), match.end(),
                                f"{count} replacement character{'s' if count > 1 else ''} (U+FFFD): "
                                "a character was lost when the text was decoded; restore it from the source")


# C0 controls except tab and line breaks, DEL, C1 controls, lone carriage returns, and invisible format
# characters: zero-width spaces and joiners, the word joiner, the byte order mark and bidirectional controls.
_CONTROLS = re.compile(
    r"(?P<c0>[\x00-\x08\x0e-\x1f\x7f]+)"
    r"|(?P<breaks>[\x0b\x0c]|\r(?!\n))"
    r"|(?P<c1>[\x80-\x9f]+)"
    r"|(?P<bom>\ufeff+)"
    r"|(?P<invisible>[\u200b-\u200f\u2060\u061c\u202a-\u202e\u2066-\u2069]+)"
)
# The same characters as one class (and every carriage return): a scan with no alternation runs at C speed and
# finds where the grouped pattern, which would be tried at every character, may match.
_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\u200b-\u200f\u2060\u061c\u202a-\u202e\u2066-\u2069]")
# Scripts whose words never need a joiner or a direction mark inside them (unlike Arabic, Persian or Indic
# scripts, where ZWJ/ZWNJ are correct spelling).
_PLAIN_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC", "DIGIT")


def _plain_letter(char: str) -> bool:
    return char.isalnum() and (char.isascii() or unicodedata.name(char, "").startswith(_PLAIN_SCRIPTS))


def _inside_word(text: str, start: int, end: int) -> bool:
    return start > 0 and end < len(text) and _plain_letter(text[start - 1]) and _plain_letter(text[end])


def _invisible_name(char: str) -> str:
    return "byte order mark" if char == "\ufeff" else unicodedata.name(char, f"U+{ord(char):04X}").lower()


def _codes(chars: str) -> str:
    return " ".join(f"U+{ord(c):04X}" for c in chars[:4]) + (" ..." if len(chars) > 4 else "")


def _controls(text: str) -> Iterator[re.Match[str]]:
    """``_CONTROLS.finditer(text)``, with the grouped pattern tried only where ``_SUSPECT`` finds a candidate."""
    position = 0
    while (candidate := _SUSPECT.search(text, position)) is not None:
        match = _CONTROLS.match(text, candidate.start())
        if match is None:  # a carriage return before a line feed
            position = candidate.end()
        else:
            yield match
            position = match.end()


@register
class ControlChar(EncodingRule):
    """Reports control characters and invisible format characters that have no place in an article.

    **Why it matters:** control characters (backspace, escape, the C1 range) are invisible leftovers of
    old editors and broken conversions; YAML rejects some of them, browsers render others as boxes.
    Zero-width spaces, joiners and direction marks inside a word split it for search, spelling and
    screen readers while looking perfectly normal.

    **Example:** ``leu\\u200bkemia`` (a zero-width space inside the word) is reported; the safe fix deletes
    it. Deleting C0 controls and stray byte order marks is safe too; vertical tabs, form feeds and lone
    carriage returns become line breaks with ``--unsafe-fixes``; C1 controls get no fix (they usually stand for
    a Windows-1252 character that needs restoring). Tabs, line feeds and CRLF line endings are fine, and so
    are joiners in scripts that need them (Arabic, Persian, Indic) and between words.
    """

    id = "encoding/control-char"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        text = doc.text
        for match in _controls(text):
            start, end, kind, chars = match.start(), match.end(), match.lastgroup, match.group()
            if kind == "c0":
                yield Violation(start, end, f"control character {_codes(chars)}",
                                fix=Fix((Edit(start, end, ""),), "delete the control characters"))
            elif kind == "breaks":
                yield Violation(start, end, f"{_codes(chars)} used as a line break",
                                fix=Fix((Edit(start, end, "\n"),), "replace with a line break", safe=False))
            elif kind == "c1" and not _covered(doc, start, end):
                yield Violation(start, end, f"C1 control character {_codes(chars)}: probably a Windows-1252 "
                                            "character read as Latin-1; restore it from the source")
            elif kind == "bom" or (kind == "invisible" and _inside_word(text, start, end)):
                names = ", ".join(sorted({_invisible_name(c) for c in chars}))
                where = "in the text" if kind == "bom" else "inside a word"
                yield Violation(start, end, f"invisible {names} ({_codes(chars)}) {where}",
                                fix=Fix((Edit(start, end, ""),), f"delete the {names}"))
