"""Page-hygiene rules: what scraping and copy-paste leave behind in an article.

Residue of the source page (navigation, javascript notices, share links, cookie banners), runs of blank
lines, HTML entities written out in the text, and paragraphs pasted twice.
"""

from __future__ import annotations

import bisect
import html
import html.entities
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import groupby
from operator import attrgetter
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, field_validator

from lint import frontmatter
from lint.document import Document, ProseField
from lint.registry import register
from lint.rule import Category, CheckContext, Edit, Fix, Rule, Severity, Violation
from lint.tokens import Sentence, sentences
from rules._folding import (
    Vocabulary,
    foldable,
    literal_prefix,
    match_width,
    parse_regex,
    required_literals,
    starts_of,
)


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class BoilerplateRule(Rule):
    category = Category.BOILERPLATE


# --- scrape residue ------------------------------------------------------------------------------------------

# A phrase starts and ends at a word boundary, or where a scraper glued two page elements together
# ("hereSearch": a lower-case letter followed by a capital).
_GLUE = r"(?<=(?-i:[a-z]))(?=(?-i:[A-Z]))"
_LEFT = rf"(?:(?<![^\W_])|{_GLUE})"
_RIGHT = rf"(?:(?![^\W_])|{_GLUE})"
# What may surround a residue line without making it more than residue: bullets, pipes, arrows, a colon. Not
# a full stop: "register." alone on a line is the end of a wrapped sentence, not a menu item.
_LINE_TRIM = " \t\xa0*-•·|>›»<‹«:"
# between the links of a row: "Privacy Policy | Terms of Use" (in prose the markup's pipe is gone: two spaces)
_CELL_BREAK = re.compile(r"[ \t\xa0]+[|•·][ \t\xa0]+|[ \t\xa0]{2,}")


# Words as a scraper leaves them: "hereSearch" is two words, so a phrase can start or end at the seam.
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|[^\W_]+")


@dataclass(frozen=True, slots=True)
class ResidueEntry:
    kind: str  # the group it belongs to: "navigation", "cookie banner", ...
    text: str  # as written in the list
    whole_line: bool
    pattern: str | None  # regex source for phrases and regexes, None for whole-line entries
    first_word: str | None  # a phrase's first word (casefolded), by which it is looked up; None for a regex


def parse_residue(lines: Iterable[str], kind: str = "custom") -> list[ResidueEntry]:
    """Parse entries in the residue-list syntax (see rules/data/scrape-residue.txt). Raises ValueError on a
    regular expression that does not compile, so that a bad configuration is reported with its key."""
    entries = []
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            kind = line[1:-1].strip()
        elif line.startswith("="):
            entries.append(ResidueEntry(kind, line, True, None, None))
        elif line.startswith("~"):
            source = line[1:].strip()
            try:
                re.compile(source)
            except re.error as error:
                raise ValueError(f"invalid regular expression {source!r}: {error}") from error
            entries.append(ResidueEntry(kind, line, False, source, None))
        else:
            first = _WORD.search(line)
            pattern = r"[^\S\n]+".join(re.escape(w) for w in line.split())
            entries.append(ResidueEntry(kind, line, False, pattern, first.group().casefold() if first else None))
    return entries


def _normalise_line(line: str) -> str:
    return " ".join(line.strip(_LINE_TRIM).casefold().split())


@cache
def _compile(entry: ResidueEntry) -> re.Pattern[str]:
    """An entry's regex, compiled on first use: most texts hold none of a phrase's words, so a run tries few of
    the phrases, and compiling them all up front costs some 10 ms at every start."""
    return re.compile(f"{_LEFT}(?:{entry.pattern}){_RIGHT}", re.IGNORECASE | re.MULTILINE)


def _scout(entry: ResidueEntry) -> re.Pattern[str]:
    """The entry's regex without the word-boundary checks: no match of it, no match of the full pattern, and
    it scans text several times faster (the checks in front stop the regex engine from skipping ahead)."""
    return re.compile(f"(?:{entry.pattern})", re.IGNORECASE | re.MULTILINE)


# scout, pattern, entry, literals, the literal text every match starts with ("" when unknown), and the longest
# literal with the longest match, when every match can be found near the literal (None when not known)
_Regex = tuple[re.Pattern[str], re.Pattern[str], ResidueEntry, tuple[str, ...], str, tuple[str, int] | None]


class _Phrase(NamedTuple):
    first: str  # its first word, case-folded
    order: int  # its place among the phrases with that first word
    entry: ResidueEntry
    words: tuple[str, ...]  # its ASCII words, case-folded, longest first: a text without one of them has no match

    @property
    def pattern(self) -> re.Pattern[str]:
        return _compile(self.entry)


@dataclass(frozen=True)
class ResidueMatcher:
    """All residue entries compiled. Phrases are looked up by their first word (one dictionary probe per word
    of the text, instead of trying every phrase at every position); regexes are searched one by one;
    whole-line entries are a table of normalised lines.

    Most texts hold no residue at all, so a phrase is first looked for by its longest word, and a regex by
    the literal text it must hold: one substring test in the lower-cased text (``rules._folding``), where the
    regex engine would scan the text for each."""

    phrases: dict[str, list[_Phrase]]
    regexes: list[_Regex]
    lines: dict[str, ResidueEntry]
    by_longest_word: dict[str, list[_Phrase]] | None  # None: some phrase starts with a word outside ASCII
    vocabulary: Vocabulary  # every word of the phrases and every literal of the regexes
    longest_line: int  # the length of the longest whole-line entry, normalised

    @classmethod
    def build(cls, entries: Iterable[ResidueEntry]) -> ResidueMatcher:
        phrases: dict[str, list[_Phrase]] = {}
        regexes: list[_Regex] = []
        lines: dict[str, ResidueEntry] = {}
        by_longest_word: dict[str, list[_Phrase]] = {}
        for entry in entries:
            if entry.whole_line:
                lines[_normalise_line(entry.text[1:])] = entry
            elif entry.first_word is not None:
                same_first = phrases.setdefault(entry.first_word, [])
                words = sorted({word.casefold() for word in entry.text.split() if word.isascii()}, key=len,
                               reverse=True)
                phrase = _Phrase(entry.first_word, len(same_first), entry, tuple(words))
                same_first.append(phrase)
                by_longest_word.setdefault(words[0] if words else "", []).append(phrase)
            else:
                literals = tuple(run.casefold() for run in required_literals(entry.pattern or "", re.IGNORECASE))
                prefix = literal_prefix(entry.pattern or "", re.IGNORECASE)
                width = match_width(parse_regex(entry.pattern or "", re.IGNORECASE | re.MULTILINE))
                near = (max(literals, key=len), width) if literals and width is not None else None
                regexes.append((_scout(entry), _compile(entry), entry, literals, prefix, near))
        searchable = all(first.isascii() for first in phrases)
        vocabulary = Vocabulary([*(word for same_first in phrases.values() for phrase in same_first
                                   for word in phrase.words),
                                 *(literal for regex in regexes for literal in regex[3])])
        return cls(phrases, regexes, lines, by_longest_word if searchable else None, vocabulary,
                   max(map(len, lines), default=0))

    def find(self, text: str) -> list[tuple[int, int, ResidueEntry]]:
        """Residue in a text: (start, end, entry), in order, without overlaps (the longest match wins)."""
        folded = foldable(text)
        present = self.vocabulary.present(folded) if folded is not None else None
        candidates: list[tuple[int, int, ResidueEntry]] = []
        for scout, pattern, entry, literals, prefix, near in self.regexes:
            if present is not None and not present.issuperset(literals):
                continue
            if folded is not None and prefix:
                candidates.extend(_matches_at(pattern, text, starts_of(folded, prefix), entry))
            elif folded is not None and near is not None:
                if _found_near(scout, text, starts_of(folded, near[0]), len(near[0]), near[1]):
                    candidates.extend((m.start(), m.end(), entry) for m in pattern.finditer(text))
            elif scout.search(text):
                candidates.extend((m.start(), m.end(), entry) for m in pattern.finditer(text))
        if folded is None or present is None or self.by_longest_word is None:
            self._phrases_by_word(text, candidates)
        else:
            self._phrases_by_search(text, folded, present, self.by_longest_word, candidates)
        start = 0
        for line in text.split("\n"):
            stripped = line.strip(_LINE_TRIM)
            # A whole-line entry has at most `longest_line` characters besides spaces, and so has a line that
            # normalises to it (folding never turns a letter into a space, nor shortens it). In printable text
            # the only whitespace is the space: two C-level scans tell most prose lines apart, unsplit.
            whole = None
            if not (stripped.isprintable() and len(stripped) - stripped.count(" ") > self.longest_line):
                whole = self.lines.get(" ".join(stripped.casefold().split()))  # _normalise_line(line)
                if whole is not None:
                    offset = start + line.index(stripped)
                    candidates.append((offset, offset + len(stripped), whole))
            if whole is None and _CELL_BREAK.search(stripped):
                candidates.extend(self._row_of_entries(stripped, start + line.find(stripped)))
            start += len(line) + 1
        found: list[tuple[int, int, ResidueEntry]] = []
        for item in sorted(candidates, key=lambda c: (c[0], -c[1])):
            if not found or item[0] >= found[-1][1]:
                found.append(item)
        return found

    def _row_of_entries(self, line: str, start: int) -> list[tuple[int, int, ResidueEntry]]:
        """Each cell of a row of links ("Privacy Policy | Terms of Use | Contact Us"; ``line`` trimmed, from
        ``start``) when every cell is a whole-line entry: a row with content words ("Home | Conditions |
        Anemia") is left alone."""
        breaks = list(_CELL_BREAK.finditer(line))
        spans = zip([0, *(m.end() for m in breaks)], [*(m.start() for m in breaks), len(line)], strict=True)
        found = []
        for cell_start, cell_end in spans:
            cell = line[cell_start:cell_end].strip(_LINE_TRIM)
            entry = self.lines.get(" ".join(cell.casefold().split())) if cell else None
            if entry is None:
                return []
            offset = start + line.index(cell, cell_start)
            found.append((offset, offset + len(cell), entry))
        return found

    def _phrases_by_word(self, text: str, candidates: list[tuple[int, int, ResidueEntry]]) -> None:
        """Try the phrases at each word of the text that is the first word of some phrase."""
        for word in _WORD.finditer(text):
            for phrase in self.phrases.get(word.group().casefold(), ()):
                match = phrase.pattern.match(text, word.start())
                if match:
                    candidates.append((match.start(), match.end(), phrase.entry))

    @staticmethod
    def _phrases_by_search(text: str, folded: str, present: set[str], by_longest_word: dict[str, list[_Phrase]],
                           candidates: list[tuple[int, int, ResidueEntry]]) -> None:
        """What ``_phrases_by_word`` finds, in the same order: the phrases whose words are all in the text
        (``present``), tried where their first word occurs in it as a word."""
        live: dict[str, list[_Phrase]] = {}
        for word in [*present.intersection(by_longest_word), ""]:  # "": the phrases without an ASCII word
            for phrase in by_longest_word.get(word, ()):
                if present.issuperset(phrase.words):
                    live.setdefault(phrase.first, []).append(phrase)
        found: list[tuple[int, int, int, ResidueEntry]] = []  # start, order among its first word's, end, entry
        for first, phrases in live.items():
            phrases.sort(key=lambda phrase: phrase.order)
            at = folded.find(first)
            while at >= 0:
                if _word_at(text, at) == first:
                    for phrase in phrases:
                        match = phrase.pattern.match(text, at)
                        if match:
                            found.append((at, phrase.order, match.end(), phrase.entry))
                at = folded.find(first, at + 1)
        candidates.extend((start, end, entry) for start, _, end, entry in sorted(found, key=lambda f: f[:2]))


def _matches_at(pattern: re.Pattern[str], text: str, starts: list[int],
                entry: ResidueEntry) -> Iterator[tuple[int, int, ResidueEntry]]:
    """``pattern.finditer(text)`` when every match starts at one of ``starts`` (ascending): the pattern tried
    there only, where the regex engine would try it at every character (case-insensitive patterns have no
    literal prefix it can skip ahead to)."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            yield match.start(), match.end(), entry
            end = match.end()


def _found_near(scout: re.Pattern[str], text: str, starts: list[int], length: int, width: int) -> bool:
    """``scout.search(text)``, for a context-free regex whose matches are at most ``width`` long and hold a literal
    of ``length`` characters at one of ``starts``: each match lies in the stretch around one of them, and only
    those stretches are searched (a match of "update your browser" within 19 characters of each "browser")."""
    return any(scout.search(text, max(0, at + length - width), at + width) for at in starts)


def _word_at(text: str, offset: int) -> str | None:
    """The word (as ``_WORD`` splits the text) that starts at an offset, case-folded; None if none starts there.
    Splitting depends only on the run of letters and digits the offset is in, so only that run is split."""
    run_start = offset
    while run_start > 0 and text[run_start - 1].isalnum():
        run_start -= 1
    for word in _WORD.finditer(text, run_start):
        if word.start() >= offset:
            return word.group().casefold() if word.start() == offset else None
    return None


@cache
def _builtin_residue() -> tuple[ResidueEntry, ...]:
    text = resources.files("rules").joinpath("data/scrape-residue.txt").read_text(encoding="utf-8")
    return tuple(parse_residue(text.splitlines()))


@cache
def residue_matcher(extend: tuple[str, ...], builtin: bool) -> ResidueMatcher:
    return ResidueMatcher.build((*(_builtin_residue() if builtin else ()), *parse_residue(extend)))


class ScrapeResidueOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)
    extend: list[str] = Field(default_factory=list)
    builtin: bool = True

    @field_validator("extend")
    @classmethod
    def _valid_entries(cls, value: list[str]) -> list[str]:
        parse_residue(value)
        return value


@register
class ScrapeResidue(BoilerplateRule):
    """Reports text left over from a scraped web page: navigation, javascript notices, share links, cookie banners.

    Also print links, "skip to content" links and site disclaimers, from the list in
    ``rules/data/scrape-residue.txt``.

    **Why it matters:** "Your browser does not support javascript" or "Print friendly version" in the
    middle of an article tells readers the text was copied, not written, and screen readers read it out.

    **Example:** a line ``Print friendly version`` or ``Continue to content``, or ``Search for gard here``
    glued to the next menu item. Each is reported at its exact span; when a whole body line is residue, an
    unsafe fix deletes the line.

    **Options:** ``extend``: more entries, in the syntax of ``rules/data/scrape-residue.txt`` (a phrase
    matched anywhere as whole words; ``= words`` for a whole line only; ``~ regex``; ``[kind]`` to name a
    group), e.g. ``extend = ["= back to menu", "~ share on \\\\w+"]``; ``builtin`` (true): set to false to
    use only your own entries.
    """

    id = "boilerplate/scrape-residue"
    severity = Severity.WARNING
    fixable = True
    Options = ScrapeResidueOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(ScrapeResidueOptions)
        matcher = residue_matcher(tuple(options.extend), options.builtin)
        for field in doc.prose:
            yield from self._check_field(doc, field, matcher)

    def _check_field(self, doc: Document, field: ProseField, matcher: ResidueMatcher) -> Iterator[Violation]:
        text = field.text.text
        deleted_lines: set[int] = set()
        for start, end, entry in matcher.find(text):
            file_start, file_end = field.text.file_span(start, end)
            fix = None
            line = doc.lines.position(file_start).line
            if field.name == "body" and line not in deleted_lines and _only_residue(doc, line, matcher):
                deleted_lines.add(line)
                line_start = doc.lines.offset(line, 1)
                line_end = doc.lines.offset(line + 1, 1) if line < doc.lines.line_count else len(doc.text)
                fix = Fix((Edit(line_start, line_end, ""),), "delete the line", safe=False)
            shown = text[start:end]
            yield Violation(file_start, file_end, f"scraped page residue ({entry.kind}): '{shown}'",
                            fix=fix, details={"kind": entry.kind, "entry": entry.text})


def _only_residue(doc: Document, line: int, matcher: ResidueMatcher) -> bool:
    """Whether a file line holds nothing but residue (and separators): then deleting it loses nothing."""
    text = doc.lines.line_text(line)
    rest = []
    last = 0
    for start, end, _ in matcher.find(text):
        rest.append(text[last:start])
        last = end
    rest.append(text[last:])
    return not "".join(rest).strip(_LINE_TRIM + ".,;!?()[]")


# --- blank lines ---------------------------------------------------------------------------------------------


class BlankLinesOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)
    max_consecutive: int = Field(2, ge=1)


_LINE = re.compile(r"[^\n]*(?:\n|\Z)")


@register
class BlankLines(BoilerplateRule):
    """Reports blank lines at the end of a file and runs of more than two blank lines in a row.

    **Why it matters:** scrapers and copy-paste leave runs of empty lines; they make diffs noisy, and some
    renderers turn them into large gaps on the page.

    **Example:** four empty lines between two paragraphs, or three empty lines after the last one. The safe fix
    deletes the extra lines (keeping the file's own line endings, CRLF included).

    **Options:** ``max-consecutive`` (2): the most blank lines allowed in a row.
    """

    id = "boilerplate/blank-lines"
    severity = Severity.WARNING
    fixable = True
    Options = BlankLinesOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(BlankLinesOptions)
        text = doc.text
        fm = doc.front_matter
        position = fm.block.body_start if fm else 0
        run: list[tuple[int, int]] = []  # (start, end) of each blank line in the current run
        seen_content = False
        for match in _LINE.finditer(text, position):
            start, end = match.span()
            if start == end:  # the empty match at the very end
                break
            if match.group().strip():
                yield from self._excess(run, options.max_consecutive)
                run = []
                seen_content = True
            elif seen_content:
                run.append((start, end))
        if run:
            count = len(run)
            yield Violation(run[0][0], run[-1][1],
                            f"{count} blank line{'s' if count > 1 else ''} at the end of the file",
                            fix=Fix((Edit(run[0][0], run[-1][1], ""),), "delete the trailing blank lines"))

    @staticmethod
    def _excess(run: list[tuple[int, int]], allowed: int) -> Iterator[Violation]:
        if len(run) <= allowed:
            return
        start, end = run[allowed][0], run[-1][1]
        yield Violation(start, end, f"{len(run)} blank lines in a row (at most {allowed})",
                        fix=Fix((Edit(start, end, ""),), f"keep {allowed} blank line{'s' if allowed > 1 else ''}"))


# --- HTML entities -------------------------------------------------------------------------------------------

_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
_ENTITY_TAIL = re.compile(r"#?[A-Za-z0-9]+;")  # what would turn a decoded "&" into an entity again
_YAML_CHARS = "\"'#:\\"  # decoding these inside a YAML value could end a quoted string or start a comment


def _lone_nbsp_line(doc: Document) -> tuple[int, int] | None:
    """The publishing convention: a line holding only ``&nbsp;`` as the first line after the front matter."""
    fm = doc.front_matter
    if fm is None:
        return None
    body = doc.text[fm.block.body_start :]
    stripped = body.lstrip()
    if not stripped.startswith("&nbsp;") or stripped[6:7] not in ("", "\n", "\r"):
        return None
    start = fm.block.body_start + len(body) - len(stripped)
    return start, start + 6


def _in_prose(doc: Document, offset: int) -> bool:
    """Whether a file offset is part of the prose (not markup, a URL, code or a non-prose field). A decoded
    entity is mapped to the offset of its "&"."""
    for field in doc.prose:
        offsets = field.text.offsets
        index = bisect.bisect_left(offsets, offset)  # prose offsets only grow: markup removal keeps the order
        if index < len(offsets) and offsets[index] == offset:
            return True
    return False


def _describe(char: str) -> str:
    if char.isprintable() and not char.isspace():
        return f"'{char}'"
    return unicodedata.name(char, f"U+{ord(char):04X}").lower()


@register
class HtmlEntity(BoilerplateRule):
    """Reports HTML entities written out in prose (``&nbsp;``, ``&amp;``, ``&#8217;``), fixed to the character.

    **Why it matters:** the text is not HTML: the site, the search index and the reading-level tools see
    ``&amp;`` as five characters. Entities come from copying the page source or a CMS export.

    **Example:** ``iron &amp; folate`` becomes ``iron & folate``; ``5&nbsp;mg`` becomes ``5 mg`` with a
    no-break space (U+00A0). The fix is safe unless the character could turn into markup (``<``, ``>``,
    ``&``) or, in a front-matter value, end a quoted string or start a comment. The publishing convention of
    a lone ``&nbsp;`` line right after the front matter is not reported, nor are entities in URLs and code.
    """

    id = "boilerplate/html-entity"
    severity = Severity.WARNING
    fixable = True

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        if "&" not in doc.text:
            return
        convention = _lone_nbsp_line(doc)
        for match in _ENTITY.finditer(doc.text):
            start, end, entity = match.start(), match.end(), match.group()
            known = entity[1] == "#" or entity[1:] in html.entities.html5  # "&notanentity;" is not "&not"
            decoded = html.unescape(entity)
            if not known or decoded == entity or (start, end) == convention or not _in_prose(doc, start):
                continue
            if _names_no_character(entity, decoded):  # no fix: U+FFFD in the text would stand for nothing
                yield Violation(start, end, f"HTML entity {entity} names no character (a browser shows U+FFFD): "
                                            "delete it or write the character meant")
                continue
            safe = _safe_to_decode(doc, start, end, decoded)
            fixable = safe or _reads_back_decoded(doc, start, end, decoded)
            yield Violation(start, end, f"HTML entity {entity} in the text: write the character itself "
                                        f"({_describe(decoded)})",
                            suggestion=decoded,
                            fix=Fix((Edit(start, end, decoded),), f"replace {entity} with the character",
                                    safe=safe) if fixable else None)


def _names_no_character(entity: str, decoded: str) -> bool:
    """Whether a numeric reference names NUL, a surrogate or a number past U+10FFFF, which HTML decodes to the
    replacement character U+FFFD (a reference to U+FFFD itself does name it)."""
    if decoded != "\ufffd" or entity[1] != "#":
        return False
    digits = entity[2:-1]
    return (int(digits[1:], 16) if digits[0] in "xX" else int(digits)) != 0xFFFD


def _reads_back_decoded(doc: Document, start: int, end: int, decoded: str) -> bool:
    """Whether an entity of a front-matter value, written as its character, leaves that value as it was with just
    the entity decoded (an unsafe fix that wrote ":", "#", "\\", a quote or a leading "&" into YAML made the whole
    front matter unreadable). Text outside front matter has nothing to check."""
    path, fm = doc.field_at(start), doc.front_matter
    if path is None or fm is None:
        return True
    node = fm.fields.get(path)
    if node is None or not node.is_scalar:
        return False
    entity, old = doc.text[start:end], str(node.node.value)
    after = frontmatter.value_after(doc.text, start, end, decoded, path)
    return isinstance(after, str) and any(after == old[:at] + decoded + old[at + len(entity):]
                                          for at in _occurrences(old, entity))


def _occurrences(text: str, part: str) -> Iterator[int]:
    at = text.find(part)
    while at >= 0:
        yield at
        at = text.find(part, at + 1)


def _safe_to_decode(doc: Document, start: int, end: int, decoded: str) -> bool:
    """Whether writing the character itself cannot change what the text means to markdown or YAML: never for
    "<" and ">" (tags, quotes), nor for "&" that would form a new entity, nor for line breaks and controls; in
    front matter, not for quotes, "#", ":" and "\\", nor for "&" that would start a value (a YAML anchor)."""
    if len(decoded) != 1 or decoded in "<>" or not (decoded.isprintable() or decoded == "\xa0"):
        return False
    if decoded == "&" and _ENTITY_TAIL.match(doc.text, end):
        return False
    if doc.field_at(start) is None:
        return True
    before = doc.text[doc.text.rfind("\n", 0, start) + 1 : start].rstrip()
    return decoded not in _YAML_CHARS and not (decoded == "&" and (not before or before.endswith(":")))


# --- duplicate paragraphs ------------------------------------------------------------------------------------

_PARAGRAPH_BREAK = re.compile(r"\n(?:[^\S\n]*\n)+")
_CLOSERS = "\"'”’)]"  # what may follow a paragraph's closing full stop


def _ends_sentence(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends with a full stop, "!" or "…", then closing quotes or brackets, if any."""
    end -= 1
    while end >= start and text[end] in _CLOSERS:
        end -= 1
    return end >= start and text[end] in ".!…"


_FIELD, _START = attrgetter("field"), attrgetter("start")


class DuplicateParagraphOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)
    min_words: int = Field(8, ge=1)


def _paragraphs(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for match in (*_PARAGRAPH_BREAK.finditer(text), None):
        end = match.start() if match else len(text)
        chunk = text[start:end]
        if chunk.strip():
            left = start + len(chunk) - len(chunk.lstrip())
            yield left, start + len(chunk.rstrip())
        if match:
            start = match.end()


@register
class DuplicateParagraph(BoilerplateRule):
    """Reports a paragraph that repeats an earlier paragraph of the same text, word for word.

    **Why it matters:** a paragraph pasted twice, or a site footer scraped on every section, makes the
    article longer and looks careless. Case, spacing and punctuation do not hide a repeat.

    **Example:** the same disclaimer paragraph at the top and the bottom of a scraped page: the second one is
    reported, pointing to the first. Headings (one line without a closing full stop, such as a question
    repeated from the page's table of contents) and paragraphs shorter than ``min-words`` are not compared.

    **Options:** ``min-words`` (8).
    """

    id = "boilerplate/duplicate-paragraph"
    severity = Severity.WARNING
    Options = DuplicateParagraphOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(DuplicateParagraphOptions)
        # The shared sentences come field by field, in order: one group per field.
        by_field = {id(field): list(group) for field, group in groupby(sentences(doc), key=_FIELD)}
        for field in doc.prose:
            text = field.text.text
            field_sentences: list[Sentence] = by_field.get(id(field), [])
            starts = list(map(_START, field_sentences))
            compared: list[tuple[int, int, list[tuple[str, ...]], int]] = []  # start, end, words by sentence, count
            for start, end in _paragraphs(text):
                if text.find("\n", start, end) < 0 and not _ends_sentence(text, start, end):
                    continue  # a heading
                # The words of the shared tokenisation's sentences in the paragraph: a blank line always ends a
                # sentence, so the paragraph's sentences are those that start in it.
                texts = [sentence.texts for sentence in field_sentences[bisect.bisect_left(starts, start) :
                                                                        bisect.bisect_left(starts, end)]]
                count = sum(map(len, texts))
                if count >= options.min_words:
                    compared.append((start, end, texts, count))
            # Equal paragraphs have as many words: a paragraph whose number of words no other has repeats none.
            counts = Counter(item[3] for item in compared)
            first_seen: dict[str, tuple[int, int]] = {}
            for start, end, texts, count in compared:
                if counts[count] < 2:
                    continue
                # The words case-folded, as one string: one casefold() per paragraph, not one per word (words
                # never hold the separator, and folding a string folds each of its characters). Joined sentence
                # by sentence in C (a sentence has at least one word: the same string as joining all words).
                first = first_seen.setdefault("\0".join(map("\0".join, texts)).casefold(), (start, end))
                if first[0] != start:  # a repeat: only now are file positions needed
                    line = doc.lines.position(field.text.file_span(*first)[0]).line
                    yield Violation(*field.text.file_span(start, end), f"this paragraph repeats the one on line {line}",
                                    details={"first_line": line})
