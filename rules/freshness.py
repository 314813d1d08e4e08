"""Freshness rules: health content that nobody has reviewed for years."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from pydantic import BaseModel, ConfigDict, Field

from lint.document import Document
from lint.registry import register
from lint.rule import Category, CheckContext, Rule, Severity, Violation
from rules._data import DATA, entries
from rules._folding import Vocabulary, foldable

_MONTH = r"[A-Za-z]{3,9}\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    r"(?P<iso>(?P<iy>\d{4})[-/](?P<im>\d{1,2})[-/](?P<id>\d{1,2}))"
    rf"|(?P<numeric>(?P<na>\d{{1,2}})(?P<sep>[/.])(?P<nb>\d{{1,2}})(?P=sep)(?P<ny>\d{{4}}|\d{{2}}))"
    rf"|(?P<mdy>(?P<mm>{_MONTH})\s+(?P<md>{_DAY}),?\s+(?P<my>\d{{4}}))"
    rf"|(?P<dmy>(?P<dd>{_DAY})\s+(?P<dm>{_MONTH}),?\s+(?P<dy>\d{{4}}))"
    rf"|(?P<my_only>(?P<om>{_MONTH}),?\s+(?P<oy>\d{{4}}))"
    r"|(?P<my_numeric>(?P<nm>\d{1,2})/(?P<nmy>\d{4}))"
    r"|(?P<year_only>(?P<yy>(?:19|20)\d{2})(?=[^\S\n]*(?:\n|$|[.;,)\]|])))"  # not "reviewed 2000 records"
)
_DATE_PATTERN = re.compile(rf"(?<![\w/.-])(?:{_DATE})(?![\w/-]|\.\d)")
# a reviewer's name between the label and its date, on the same line: "Reviewed by Jane Roe, MD on May 5, 2020"
_BY_SOMEONE_ON = re.compile(r"by[^\S\n]+[^\n]{1,80}?[^\S\n]+on[^\S\n]+")


@cache
def _labels() -> tuple[str, ...]:
    return tuple(entries(DATA / "freshness-labels.txt"))


@cache
def _label_words() -> tuple[Vocabulary, tuple[tuple[str, frozenset[str]], ...]] | None:
    """Every word of the labels, and each label's first word and words, lower-cased: a text holds a label only
    if it holds all of its words (None when some word is not ASCII, which ``foldable`` cannot stand for)."""
    labels = tuple((label.split()[0].casefold(), frozenset(word.casefold() for word in label.split()))
                   for label in _labels())
    words = frozenset().union(*(label_words for _, label_words in labels))
    return None if not all(word.isascii() for word in words) else (Vocabulary(words), labels)


def _label_starts(text: str) -> list[int] | None:
    """Where a label may start: where the first word of a label whose words are all in the text occurs (every
    match of the label pattern starts with a label's first word). None: anywhere (the text cannot be folded).
    Substring tests instead of a case-insensitive regex scan of the whole text (most texts have no label)."""
    folded, label_words = foldable(text), _label_words()
    if folded is None or label_words is None:
        return None
    words, labels = label_words
    present = words.present(folded)  # (and the short words, taken as present: more starts, the same matches)
    starts: set[int] = set()
    for first in {first for first, label in labels if label <= present}:
        at = folded.find(first)
        while at >= 0:
            starts.add(at)
            at = folded.find(first, at + 1)
    return sorted(starts)


def _labels_in(text: str) -> Iterator[re.Match[str]]:
    """``_label_pattern().finditer(text)``, trying the pattern only where a label may start."""
    pattern = _label_pattern()
    starts = _label_starts(text)
    if starts is None:
        yield from pattern.finditer(text)
        return
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            yield match
            end = match.end()


@cache
def _label_pattern() -> re.Pattern[str]:
    labels = _labels()
    # words of a label may be joined by spaces, "_" or "-" (a "last_updated:" key); markup may follow the label
    # ("**Last updated:** 4/8/2010")
    alternatives = "|".join(r"[\s_-]+".join(map(re.escape, label.split()))
                            for label in sorted(labels, key=len, reverse=True))
    # every label starts with one of these letters: testing it first lets the engine skip other text quickly
    firsts = "".join(sorted({re.escape(label[0]) for label in labels}))
    return re.compile(rf"(?=[{firsts}])(?<![\w-])(?:{alternatives})\b(?:[^\S\n]|[*_:\-–—])*(?:on[^\S\n]+)?(?=\S)",
                      re.IGNORECASE)


def _month(word: str) -> int | None:
    """A month name or abbreviation (English, as strptime reads it), or None."""
    word = word.rstrip(".")
    for candidate, fmt in ((word, "%B"), (word, "%b"), (word[:3], "%b")):
        if fmt == "%b" and candidate is not word and not "september".startswith(word.lower()):
            continue  # only "Sept" is abbreviated with four letters
        try:
            return datetime.datetime.strptime(candidate, fmt).month
        except ValueError:
            continue
    return None


def parse_date(match: re.Match[str], day_first: bool) -> datetime.date | None:
    """The calendar date of a match of _DATE_PATTERN, or None when it is not a real date."""
    group = match.group
    try:
        if group("iso"):
            return datetime.date(int(group("iy")), int(group("im")), int(group("id")))
        if group("numeric"):
            first, second, year = int(group("na")), int(group("nb")), int(group("ny"))
            if year < 100:
                year += 2000 if year <= datetime.date.today().year % 100 else 1900
            # "4/8/2010" is month first (US) unless configured otherwise or impossible; "8.4.2010" is day first.
            if group("sep") == "." or day_first or first > 12:
                first, second = second, first
            return datetime.date(year, first, second)
        if group("mdy") or group("dmy"):
            month, day, year_text = ((group("mm"), group("md"), group("my")) if group("mdy")
                                     else (group("dm"), group("dd"), group("dy")))
            number = _month(month)
            return datetime.date(int(year_text), number, int(day.rstrip("stndrh"))) if number else None
        if group("my_numeric"):
            return datetime.date(int(group("nmy")), int(group("nm")), 1)
        if group("year_only"):
            return datetime.date(int(group("yy")), 12, 31)  # some day of that year: at the latest, its last
        number = _month(group("om"))
        return datetime.date(int(group("oy")), number, 1) if number else None
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class DatedLine:
    start: int  # file offsets of the date text
    end: int
    date: datetime.date
    text: str
    label: str


def labelled_dates(doc: Document, day_first: bool) -> list[DatedLine]:
    """Dates introduced by a "last updated"/"last reviewed" label, anywhere in the text."""
    found: list[DatedLine] = []
    text = doc.text
    for label in _labels_in(text):
        date_match = _DATE_PATTERN.match(text, label.end())
        if date_match is None and (reviewer := _BY_SOMEONE_ON.match(text, label.end())) is not None:
            date_match = _DATE_PATTERN.match(text, reviewer.end())  # "Medically reviewed by Dr. Roe, MD on ..."
        if date_match is None:
            continue
        date = parse_date(date_match, day_first)
        if date is not None:
            found.append(DatedLine(label.start(), date_match.end(), date, date_match.group(),
                                   " ".join(label.group().replace("_", " ").strip(" \t:-–—*").split())))
    return found


def front_matter_date(doc: Document, day_first: bool) -> DatedLine | None:
    fm = doc.front_matter
    node = fm.fields.get("date") if fm is not None and fm.problem is None else None
    if node is None:
        return None
    value = doc.data.get("date")
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        match = _DATE_PATTERN.fullmatch(value.strip())
        value = parse_date(match, day_first) if match else None
    if not isinstance(value, datetime.date):
        return None
    return DatedLine(node.value_start, node.value_end, value, doc.text[node.value_start : node.value_end],
                     "front-matter date")


class StaleOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=lambda n: n.replace("_", "-"),
                              populate_by_name=True)
    max_age_years: float = Field(3, gt=0)
    today: datetime.date | None = None  # the date to compare against; default: the current date
    day_first: bool = False


LINES_LISTED = 10  # the message names this many of the other lines that repeat a date (the details, all)


def _age(years: float) -> str:
    return f"{int(years)} years" if years >= 2 else f"{int(years * 12)} months"


@register
class Stale(Rule):
    """Reports a "Last updated"/"Last reviewed" date, or the front-matter ``date``, older than 3 years.

    **Why it matters:** medical guidance changes: doses, screening ages, first-line treatments. A page last
    reviewed many years ago may give advice that is now wrong, and readers and search engines trust it less.

    **Example:** ``Last updated: 4/8/2010`` is reported with the date found and its age. Dates are read as
    ``4/8/2010`` (month first, unless ``day-first``), ``2010-04-08``, ``April 8, 2010``, ``8 April 2010``,
    ``Apr. 2010``, ``04/2010``, ``8.4.2010`` and a year alone at the end of its line or clause (``Content last
    updated 2010``: as its last day), also after a reviewer's name (``Reviewed by Jane Roe, MD on ...``). A
    page that repeats the same date under every section gets one finding, at its first occurrence, listing
    the other lines: it is one review to do, not five. Dates that no label introduces (a reference's
    "Accessed 4/8/2010") are not freshness dates; the labels are listed in ``rules/data/freshness-labels.txt``.

    **Options:** ``max-age-years`` (3); ``today`` (the date to compare against, default the current date:
    set it to make a CI run reproducible); ``day-first`` (false): read ``4/8/2010`` as 4 August.
    """

    id = "freshness/stale"
    category = Category.FRESHNESS
    severity = Severity.WARNING
    Options = StaleOptions

    @classmethod
    def cache_scope(cls, options: BaseModel) -> str:
        # a date's age, and whether it is over the limit, hold for a day (for ever with a fixed `today`)
        return "" if isinstance(options, StaleOptions) and options.today else datetime.date.today().isoformat()

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(StaleOptions)
        today = options.today or datetime.date.today()
        limit = datetime.timedelta(days=round(options.max_age_years * 365.25))
        dated = labelled_dates(doc, options.day_first)
        fm_date = front_matter_date(doc, options.day_first)
        if fm_date or dated:
            ctx.depends_on_scope(type(self))  # a page without dates has the same findings every day
        groups: dict[tuple[bool, datetime.date], list[DatedLine]] = {}
        for item in ([fm_date] if fm_date else []) + dated:
            if today - item.date > limit:
                groups.setdefault((item is fm_date, item.date), []).append(item)
        for (_, date), items in groups.items():
            first = items[0]
            years = (today - date).days / 365.25
            lines = [doc.lines.position(item.start).line for item in items]
            more = lines[1 : LINES_LISTED + 1]
            listed = ", ".join(map(str, more)) + (", ..." if len(lines) > len(more) + 1 else "")
            also = (f"; the same date stands on {len(lines) - 1} more line{'s' if len(lines) > 2 else ''} "
                    f"({listed})") if len(lines) > 1 else ""
            shown = (first.text if first.text == date.isoformat() or first.text.isdigit()  # a year alone
                     else f"{first.text} ({date.isoformat()})")
            yield Violation(first.start, first.end,
                            f"{first.label} {shown} is {_age(years)} old, older than "
                            f"{options.max_age_years:g} years: review the page{also}",
                            details={"date": date.isoformat(), "age_days": (today - date).days, "lines": lines})
