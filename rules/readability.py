"""Readability rules: grade-level scores of the article's prose, audience targets, long sentences.

The scores are the published formulas (Flesch 1948, Kincaid et al. 1975, McLaughlin 1969, Coleman & Liau
1975, Gunning 1952, Chall & Dale 1995) applied to the shared tokenisation (``lint.tokens.sentences``), with
textstat's conventions: a "sentence" of one or two words (a heading, a label) adds its words but not a
sentence; Gunning's complex words and Dale-Chall's difficult words are judged against textstat's Dale-Chall
list of familiar words. tests/test_readability.py checks the figures against textstat itself and against
hand-computed values.

Why not call textstat on the text: it re-tokenises with sentence rules of its own (a heading without a full
stop, "e.g." and "2.5 mg" all move its sentence boundaries away from the ones every other rule reports), it
cannot score single sentences cheaply (the hardest sentences), and it costs about 5 ms per 500-word document
against a budget of 2 ms (``bench/readability.py``). Syllables come from ``rules._syllables``: offline, and
right about medical words.

What is scored: the ``answer`` field and the body, the article's running text. The title, the question (the
title again) and the SEO description (a summary of the answer) are excluded: scoring the title two or three
times over would weigh one short sentence as if it were a paragraph.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from itertools import compress, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from lint.config import glob_match
from lint.document import Document
from lint.registry import register
from lint.rule import Category, CheckContext, Rule, Severity, Violation
from lint.tokens import Sentence, sentences
from rules import _syllables
from rules._data import DATA, entries

SCORED_FIELDS = ("answer", "body")
MIN_SENTENCE_WORDS = 3  # shorter "sentences" (headings, labels) count their words, not as sentences
WORDS_PER_MINUTE = 238  # silent reading of non-fiction by adults (Brysbaert 2019, a meta-analysis of 190 studies)
MIN_ENGLISH_SHARE = 0.08  # English prose has ~40 % function words; below this the formulas do not apply
HISTOGRAM_TOP = 20
WORST = 10

GradeMetric = Literal["smog", "flesch_kincaid_grade", "coleman_liau", "gunning_fog"]


class Counts(NamedTuple):
    """What the formulas count, for one word, one sentence or a whole text (``total`` adds them up)."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0
    polysyllables: int = 0  # words of three syllables or more (SMOG)
    complex: int = 0  # polysyllables that are not familiar words (Gunning fog)
    difficult: int = 0  # words not on the Dale-Chall list of familiar words
    letters: int = 0
    function_words: int = 0  # "the", "of", "and"...: how English prose is recognised


def total(items: Iterable[Counts]) -> Counts:
    """The sum of counts, field by field (a tuple sum in C: this is the hot loop of the family)."""
    return Counts._make(map(sum, zip(Counts(), *items, strict=True)))


def _per_sentence(c: Counts) -> float:
    return c.words / max(1, c.sentences)


def flesch_reading_ease(c: Counts) -> float:
    return 206.835 - 1.015 * _per_sentence(c) - 84.6 * c.syllables / c.words


def flesch_kincaid_grade(c: Counts) -> float:
    return 0.39 * _per_sentence(c) + 11.8 * c.syllables / c.words - 15.59


def smog(c: Counts) -> float:
    return 1.0430 * math.sqrt(c.polysyllables * 30 / max(1, c.sentences)) + 3.1291


def coleman_liau(c: Counts) -> float:
    return 0.0588 * (100 * c.letters / c.words) - 0.296 * (100 * c.sentences / c.words) - 15.8


def gunning_fog(c: Counts) -> float:
    return 0.4 * (_per_sentence(c) + 100 * c.complex / c.words)


def dale_chall(c: Counts) -> float:
    difficult_share = 100 * c.difficult / c.words
    return 0.1579 * difficult_share + 0.0496 * _per_sentence(c) + (3.6365 if difficult_share > 5 else 0.0)


FORMULAS: dict[str, Callable[[Counts], float]] = {
    "flesch_reading_ease": flesch_reading_ease,
    "flesch_kincaid_grade": flesch_kincaid_grade,
    "smog": smog,
    "coleman_liau": coleman_liau,
    "gunning_fog": gunning_fog,
    "dale_chall": dale_chall,
}
METRIC_NAMES = {"smog": "SMOG", "flesch_kincaid_grade": "Flesch-Kincaid", "coleman_liau": "Coleman-Liau",
                "gunning_fog": "Gunning fog"}


@cache
def familiar_words() -> frozenset[str]:
    """textstat's Dale-Chall list of familiar words, read from its package data without importing textstat
    (which imports NLTK: a third of a second on every start)."""
    spec = find_spec("textstat")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - textstat is a dependency
        raise RuntimeError("textstat is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "en" / "easy_words.txt"
    return frozenset(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@cache
def function_words() -> frozenset[str]:
    """Frequent English function words (rules/data/readability/function-words.txt): how English is recognised."""
    return frozenset(entries(DATA / "readability" / "function-words.txt"))


def word_counts(token: str) -> Counts:
    """Counts of one word (remembered packed, by ``_PackedCounts``: prose repeats its words)."""
    syllables = _syllables.syllables(token)
    word = token.lower().replace("’", "'")
    numeric = not any(c.isalpha() for c in word)
    familiar = numeric or word in familiar_words()
    return Counts(words=1, syllables=syllables, polysyllables=int(syllables >= 3),
                  complex=int(syllables >= 3 and not familiar), difficult=int(not familiar),
                  letters=sum(c.isalnum() for c in token), function_words=int(word in function_words()))


_FIELD_BITS = 40  # each count gets 40 bits of one integer: no sum of a 5 MB file's counts can overflow into the next
_FIELD_MASK = (1 << _FIELD_BITS) - 1
_SHIFTS = tuple(range(0, _FIELD_BITS * len(Counts._fields), _FIELD_BITS))
_WORDS, _SENTENCES = Counts._fields.index("words"), Counts._fields.index("sentences")


class _PackedCounts(dict[str, int]):
    """``word_counts`` of each word met as one integer, a count every 40 bits: adding the integers adds the
    counts, and ``sum`` adds a sentence's words in C, with no tuple per word. A dict read through its
    ``__getitem__`` by a C-level ``map``: a known word costs one hash lookup, with no cache wrapper called per
    word (the hot loop of the family); emptied when full, so that memory stays flat over any corpus."""

    LIMIT = 1 << 16

    def __missing__(self, token: str) -> int:
        if len(self) >= self.LIMIT:
            self.clear()
        packed = self[token] = sum(count << shift for count, shift in zip(word_counts(token), _SHIFTS, strict=True))
        return packed


PACKED_COUNTS = _PackedCounts()  # the only memo of word counts (an lru_cache as large: 18 MB when full)
_packed_word_counts = PACKED_COUNTS.__getitem__


def sentence_counts(texts: Sequence[tuple[str, ...]]) -> list[Counts]:
    """The counts of sentences (their words' texts), all at once; a sentence of one or two words (a heading, a
    label) adds its words but no sentence. Every step is a C-level loop: a sentence's packed counts are the
    ``sum`` of its words', and each count is then taken out of all the sentences' integers in one pass."""
    packed = list(map(sum, map(map, repeat(_packed_word_counts), texts)))
    columns = [[(value >> shift) & _FIELD_MASK for value in packed] for shift in _SHIFTS]
    columns[_SENTENCES] = [int(words >= MIN_SENTENCE_WORDS) for words in columns[_WORDS]]
    return list(map(_new_tuple, repeat(Counts), zip(*columns, strict=True)))


_new_tuple = tuple.__new__  # builds a named tuple without its Python-level __new__


class Scored(NamedTuple):  # one per sentence: a named tuple is built several times faster than a dataclass
    """One scored sentence: where it is and what it counts."""

    sentence: Sentence
    counts: Counts


@dataclass(frozen=True, slots=True)
class Analysis:
    """A document's scored prose: its sentences, their totals, and the scores of the formulas."""

    sentences: tuple[Scored, ...]
    totals: Counts
    scores: dict[str, float]
    english: bool

    @property
    def words(self) -> int:
        return self.totals.words


def analyse(doc: Document) -> Analysis | None:
    """The readability of a document's article text (shared by the rules through ``Document.memo``)."""
    return doc.memo("readability.analysis", lambda: _analyse(doc))


def _analyse(doc: Document) -> Analysis | None:
    scored_sentences = [s for s in sentences(doc) if s.field.name in SCORED_FIELDS]
    counts = sentence_counts([s.texts for s in scored_sentences])
    scored = tuple(map(_new_tuple, repeat(Scored), zip(scored_sentences, counts, strict=True)))
    totals = total(item.counts for item in scored)
    if totals.words == 0:
        return None
    totals = totals._replace(sentences=max(1, totals.sentences))
    scores = {name: formula(totals) for name, formula in FORMULAS.items()}
    return Analysis(scored, totals, scores, totals.function_words / totals.words >= MIN_ENGLISH_SHARE)


def _round(value: float) -> float:
    return round(value, 2)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# --- options ------------------------------------------------------------------------------------------


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class GradeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    metric: GradeMetric = "smog"
    audience: str = "patient"
    audiences: dict[str, float] = Field(default_factory=lambda: {"patient": 8.0, "professional": 14.0})
    audience_globs: dict[str, str] = Field(default_factory=dict)
    audience_field: str | None = "audience"
    min_words: int = Field(100, ge=1)
    hardest: int = Field(3, ge=0, le=20)

    @model_validator(mode="after")
    def _known_audiences(self) -> GradeOptions:
        named = {self.audience, *self.audience_globs.values()}
        unknown = sorted(named - set(self.audiences))
        if unknown:
            raise ValueError(f"audience {', '.join(unknown)} is not in audiences ({', '.join(self.audiences)})")
        return self


class LongSentenceOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    max_words: int = Field(25, ge=1)


class TooShortOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=True)

    min_words: int = Field(100, ge=1)


@dataclass(frozen=True, slots=True)
class Audience:
    name: str
    target: float
    note: str = ""  # why the front matter's choice was not used


def audience_for(doc: Document, options: GradeOptions) -> Audience:
    """The document's audience: its front-matter field, else the last matching glob, else the default."""
    name = options.audience
    for pattern, glob_audience in options.audience_globs.items():
        if glob_match(doc.path, pattern):
            name = glob_audience
    note = ""
    if options.audience_field is not None:
        chosen = doc.data.get(options.audience_field)
        if isinstance(chosen, str) and chosen in options.audiences:
            name = chosen
        elif chosen is not None:
            note = f"{options.audience_field} {chosen!r} is not a configured audience; using {name!r}"
    return Audience(name, options.audiences[name], note)


# --- rules --------------------------------------------------------------------------------------------


def _position(doc: Document, sentence: Sentence) -> dict[str, int]:
    start, end = sentence.file_span()
    begin, finish = doc.lines.position(start), doc.lines.position(end)
    return {"line": begin.line, "column": begin.column, "end_line": finish.line, "end_column": finish.column}


_COUNTS, _SENTENCES_OF = attrgetter("counts"), attrgetter("sentences")
# Metrics whose score of one sentence (max(1, sentences) == 1) rises with one count alone: sentences are ranked by
# that integer, and the formula is computed only for those near the top (SMOG: a square root of polysyllables).
_SENTENCE_RANK: dict[str, Callable[[Counts], float]] = {"smog": attrgetter("polysyllables")}


def hardest(analysis: Analysis, metric: str, count: int) -> list[Scored]:
    """The sentences that score highest on the metric alone (Flesch-Kincaid breaks ties), in that order."""
    formula = FORMULAS[metric]
    candidates = list(compress(analysis.sentences, map(_SENTENCES_OF, map(_COUNTS, analysis.sentences))))
    if count <= 0 or not candidates:
        return []
    counts = list(map(_COUNTS, candidates))
    rank = _SENTENCE_RANK.get(metric, formula)  # (a score is its own rank)
    if set(map(_SENTENCES_OF, counts)) != {1}:
        rank = formula
    ranks = list(map(rank, counts))
    # Only sentences ranking at least as high as the count-th can be among the first `count`: those few are
    # scored and sorted (stable, as the whole list would be), not all of them, and Flesch-Kincaid is computed for
    # them only. A rank that rises with the score ties where the score ties: the same sentences are near the top.
    cutoff = heapq.nlargest(count, ranks)[-1]
    near = [(formula(c), s) for value, c, s in zip(ranks, counts, candidates, strict=True) if value >= cutoff]
    ranked = sorted(near, key=lambda item: (-item[0], -flesch_kincaid_grade(item[1].counts)))
    return [s for _, s in ranked[:count]]


def _excerpt(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@register
class GradeTooHigh(Rule):
    """Reports prose written above its audience's reading grade, and records the readability scores.

    The grade is the SMOG index by default (``metric``: ``smog``, ``flesch_kincaid_grade``,
    ``coleman_liau``, ``gunning_fog``), computed on the article text (the answer and the body). The
    audience is the front-matter field ``audience``, else the last ``audience-globs`` pattern matching the
    path, else ``audience``; its target grade comes from ``audiences``. The finding sits on the hardest
    sentence and names the three hardest with their line:column. Every document with prose gets
    ``files[].metrics.readability`` (Flesch reading ease, Flesch-Kincaid, SMOG, Coleman-Liau, Gunning fog,
    Dale-Chall, words, sentences, reading time); the run gets ``summary.metrics.readability``.

    **Why it matters:** US health-literacy guidance (NIH, AMA, the CDC Clear Communication Index) asks for
    patient material at about grade 6 to 8; most adults read health information at that level, whatever
    their schooling. SMOG is the formula health educators use most. Above the target, readers skip, misread
    dosages or give up.

    **Example:** an answer that scores SMOG 15.2 under the ``patient`` audience (target 8): "SMOG grade 15.2
    is above the patient target of 8; hardest sentences: 21:1036, 21:1840, 21:402". Use instead: split the
    long sentences and replace the rare long words ("hepatomegaly": "a swollen liver").

    **Options:** ``metric`` ("smog"), ``audience`` ("patient"), ``audiences`` ({patient = 8,
    professional = 14}), ``audience-globs`` ({}), ``audience-field`` ("audience"), ``min-words`` (100: no
    grade below), ``hardest`` (3).
    """

    id = "readability/grade-too-high"
    category = Category.READABILITY
    severity = Severity.WARNING
    Options = GradeOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(GradeOptions)
        analysis = analyse(doc)
        if analysis is None:
            return
        audience = audience_for(doc, options)
        graded = analysis.english and analysis.words >= options.min_words
        grade = _round(analysis.scores[options.metric]) if graded else None
        ctx.metrics["readability"] = self.metrics(analysis, options.metric, grade, audience)
        if grade is None or grade <= audience.target:
            return
        worst = hardest(analysis, options.metric, options.hardest)
        located = [{**_position(doc, s.sentence), "grade": _round(FORMULAS[options.metric](s.counts)),
                    "words": s.counts.words, "text": _excerpt(s.sentence.text)} for s in worst]
        places = ", ".join(f"{item['line']}:{item['column']}" for item in located)
        name = METRIC_NAMES[options.metric]
        message = f"{name} grade {grade:.1f} is above the {audience.name} target of {_number(audience.target)}"
        if places:
            message += f"; hardest sentences: {places}"
        if audience.note:
            message += f" ({audience.note})"
        start, end = worst[0].sentence.file_span() if worst else analysis.sentences[0].sentence.file_span()
        yield Violation(start, end, message, details={
            "metric": options.metric, "grade": grade, "audience": audience.name,
            "target": _number(audience.target), "hardest": located})

    @staticmethod
    def metrics(analysis: Analysis, metric: str, grade: float | None, audience: Audience) -> dict[str, Any]:
        """files[].metrics.readability: the scores, the counts, and the grade against the target."""
        return {
            **{name: _round(value) for name, value in analysis.scores.items()},
            "words": analysis.totals.words,
            "sentences": analysis.totals.sentences,
            "reading_time_seconds": round(analysis.totals.words * 60 / WORDS_PER_MINUTE, 1),
            "metric": metric,
            "grade": grade,
            "audience": audience.name,
            "target": _number(audience.target),
        }

    @classmethod
    def summarize(cls, file_metrics: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        """summary.metrics.readability: how many documents have a grade, their mean, histogram and worst ten.

        Histogram buckets are whole grades ("8" holds 8.0 to 8.99); "0" holds everything below 1 and
        "20+" everything from 20. Documents without a grade (too short, not English) are left out.
        """
        # One pass, holding the grades and paths (shared strings), not a sorted pair per document: a corpus of
        # 100,000 documents is summarised in the main process after everything else.
        paths: list[str] = []
        grades: list[float] = []
        for path, metrics in file_metrics.items():
            readability = metrics.get("readability")
            if isinstance(readability, dict) and readability.get("grade") is not None:
                paths.append(path)
                grades.append(readability["grade"])
        buckets = Counter(min(HISTOGRAM_TOP, max(0, math.floor(grade))) for grade in grades)
        histogram = {}
        if buckets:
            for bucket in range(min(buckets), max(buckets) + 1):
                histogram[f"{bucket}+" if bucket == HISTOGRAM_TOP else str(bucket)] = buckets.get(bucket, 0)
        worst = heapq.nsmallest(WORST, range(len(grades)), key=lambda i: (-grades[i], paths[i]))
        return {"readability": {
            "documents": len(grades),
            "mean_grade": _round(math.fsum(grades) / len(grades)) if grades else None,  # exact: in no order
            "histogram": histogram,
            "worst": [{"path": paths[i], "grade": grades[i]} for i in worst],
        }}


@register
class LongSentence(Rule):
    """Reports sentences longer than 25 words (``max-words``) in the article text.

    **Why it matters:** sentence length is half of every readability formula, and the easiest half to fix.
    Readers with low literacy lose the thread of a long sentence before its end; plain-language guidance
    (CDC, NIH, plainlanguage.gov) asks for an average of 15 to 20 words and few sentences above 25.

    **Example:** "In some types of leukemia, particularly Acute Lymphoblastic Leukemia (ALL), there can be
    infiltration of leukemia cells into the CNS, which may present as headaches, seizures or changes in
    mental status." (32 words). Use instead: two or three sentences, one idea each.

    **Options:** ``max-words`` (25).
    """

    id = "readability/long-sentence"
    category = Category.READABILITY
    severity = Severity.INFO
    Options = LongSentenceOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(LongSentenceOptions)
        analysis = analyse(doc)
        if analysis is None:
            return
        for item in analysis.sentences:
            count = len(item.sentence.texts)
            if count > options.max_words:
                start, end = item.sentence.file_span()
                yield Violation(start, end, f"sentence of {count} words (limit {options.max_words}); split it",
                                details={"words": count, "limit": options.max_words})


@register
class TooShort(Rule):
    """Reports article text too short for a readability grade to mean anything (fewer than 100 words).

    **Why it matters:** the formulas average over sentences and words; on a few sentences one long word
    moves the grade by several levels, so ``readability/grade-too-high`` stays silent below ``min-words``
    (keep the two options equal). This note says why a document has no grade, rather than letting it look
    easy to read.

    **Example:** an answer of 60 words: "only 60 words of prose; readability grades need at least 100".

    **Options:** ``min-words`` (100).
    """

    id = "readability/too-short"
    category = Category.READABILITY
    severity = Severity.INFO
    enabled_by_default = False  # a note on every short page is noise; metrics show the missing grade anyway
    Options = TooShortOptions

    def check(self, doc: Document, ctx: CheckContext) -> Iterator[Violation]:
        options = ctx.options_as(TooShortOptions)
        analysis = analyse(doc)
        if analysis is None or analysis.words >= options.min_words:
            return
        first = analysis.sentences[0].sentence
        start, end = first.file_span()
        yield Violation(start, end,
                        f"only {analysis.words} words of prose; readability grades need at least {options.min_words}",
                        details={"words": analysis.words, "min_words": options.min_words})
