"""Benchmarks of the readability family (never run by pytest: timing belongs here, not in tests).

    .venv/bin/python bench/readability.py speed       # 1,000 documents of 500 words, on one core (budget: 2 s)
    .venv/bin/python bench/readability.py syllables   # the syllable fallback's error on medical words, Pyphen vs ours

``speed`` builds documents from the sample corpus's sentences, shuffled, and times the three readability
rules on them: once end to end (decoding, prose extraction, shared tokenisation, scores), once with the
tokenisation done beforehand (the scoring alone). Caches are warmed on other documents first, as in a run.

``syllables`` compares, for words whose true count is known, textstat's fallback (Pyphen hyphenation points
+ 1) with ``rules._syllables.estimate``: (A) CMU dictionary words that look medical (hidden from the
estimate, so they stand in for the dictionary's gaps), split in two halves by a hash: the estimate's rules
were written looking at the first half only; (B) the hand-counted list of medical terms the dictionary lacks
(rules/data/readability/syllables.tsv).
"""

from __future__ import annotations

import random
import re
import sys
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from lint.document import Document
from lint.rule import CheckContext
from lint.tokens import sentences
from rules import _syllables
from rules.readability import GradeOptions, GradeTooHigh, LongSentence, LongSentenceOptions, TooShort, TooShortOptions

REPO = Path(__file__).resolve().parent.parent

DOCUMENTS = 1000
WORDS = 500
MEDICAL = re.compile(
    r"(itis|emia|osis|ectomy|ology|ologist|opathy|oma|ocytes?|plasia|algia|uria|otomy|scopy|ogenic|cytic)$"
    r"|^(hem|haem|cardi|neur|gastr|oste|hepat|nephr|derm|pneum|lymph|leuk|myel|thromb|cyt|bronch|arthr|hyper"
    r"|hypo|immun|onco|angi|chemo|path)"
)


def corpus_sentences() -> list[str]:
    found: list[str] = []
    for path in sorted((REPO / "fixtures").glob("*.*")):
        doc = Document.from_bytes(path.name, path.read_bytes())
        found.extend(s.text.replace("\n", " ") for s in sentences(doc) if len(s.words) >= 3)
    return found


def make_documents(count: int, seed: int) -> list[Document]:
    pool = corpus_sentences()
    rng = random.Random(seed)
    docs = []
    for number in range(count):
        words, parts = 0, []
        while words < WORDS:
            sentence = rng.choice(pool)
            parts.append(sentence)
            words += len(sentence.split())
        text = "\n\n".join(" ".join(parts[i : i + 4]) for i in range(0, len(parts), 4))
        docs.append(Document.from_bytes(f"doc{number}.txt", text.encode("utf-8")))
    return docs


RULES = tuple((rule(), options.model_validate({})) for rule, options in (
    (GradeTooHigh, GradeOptions), (LongSentence, LongSentenceOptions), (TooShort, TooShortOptions)))


def check(doc: Document) -> int:
    metrics: dict[str, object] = {}
    return sum(1 for rule, options in RULES for _ in rule.check(doc, CheckContext(options=options, metrics=metrics)))


def speed() -> None:
    for doc in make_documents(50, seed=1):  # warm the dictionary and word caches, as the first files of a run do
        check(doc)
    sources = [(doc.path, doc.raw) for doc in make_documents(DOCUMENTS, seed=2)]
    # End to end, one document at a time as the runner does (keeping 1,000 documents alive would time the
    # garbage collector walking half a million tokens instead).
    # Times are CPU seconds of this process (time.process_time), which a busy machine disturbs less than
    # the wall clock.
    findings = words = 0
    started = time.process_time()
    for path, raw in sources:
        doc = Document.from_bytes(path, raw)
        findings += check(doc)
    end_to_end = time.process_time() - started
    # Scoring alone: documents prose-extracted and tokenised beforehand (untimed), then scored.
    scoring = 0.0
    for path, raw in sources:
        doc = Document.from_bytes(path, raw)
        words += sum(len(s.words) for s in sentences(doc))
        started = time.process_time()
        check(doc)
        scoring += time.process_time() - started
    print(f"{DOCUMENTS} documents, {words:,} words, {findings} findings (CPU seconds, one core)")
    print(f"end to end (decode, prose, tokenise, score): {end_to_end:.2f} s")
    print(f"scoring alone (tokenisation done before):     {scoring:.2f} s  (budget 2 s)")


def error(pairs: list[tuple[str, int]], count: Callable[[str], int]) -> str:
    absolute = sum(abs(count(word) - truth) for word, truth in pairs)
    exact = sum(count(word) == truth for word, truth in pairs)
    return f"mean error {absolute / len(pairs):.3f} syllables, exact {100 * exact / len(pairs):.1f} %"


def syllables() -> None:
    from pyphen import Pyphen  # type: ignore[import-untyped]

    hyphenator = Pyphen(lang="en_US")

    def pyphen(word: str) -> int:
        return len(hyphenator.positions(word)) + 1

    medical = sorted((w, n) for w, n in _syllables.dictionary().items()
                     if w.isalpha() and len(w) >= 7 and MEDICAL.search(w))
    halves = {half: [p for p in medical if zlib.crc32(p[0].encode()) % 2 == half] for half in (0, 1)}
    hand = sorted(_syllables.overrides().items())
    for name, pairs in (("(A) CMU medical words, first half (seen)", halves[0]),
                        ("(A) CMU medical words, second half (held out)", halves[1]),
                        ("(B) hand-counted medical terms not in CMU", hand)):
        print(f"{name}: {len(pairs)} words")
        print(f"    textstat fallback (Pyphen): {error(pairs, pyphen)}")
        print(f"    rules._syllables.estimate:  {error(pairs, _syllables.estimate)}")
    for word in ("thrombocytopenia", "splenomegaly", "myelodysplastic", "hepatosplenomegaly"):
        truth = _syllables.overrides()[word]
        print(f"    {word}: true {truth}, Pyphen {pyphen(word)}, estimate {_syllables.estimate(word)}")


if __name__ == "__main__":
    {"speed": speed, "syllables": syllables}[sys.argv[1] if len(sys.argv) > 1 else "speed"]()
