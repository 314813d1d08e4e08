"""Evaluate paraphrase/tortured-phrase and paraphrase/spun-document on the labelled sets, and time them.

    python -m bench.paraphrase                    # both dev and both held-out splits, seeds, speed
    python -m bench.paraphrase --split dev -v     # list every miss and false positive of the dev set

Data: fixtures/paraphrase/{dev,heldout,heldout2}/ (see its README.md). A labelled phrase counts as found when a
finding overlaps it, and as right when the suggestion is the intended term (compared by word lemmas), or is
the finding's text with the intended term in place of the phrase (a finding may take in words kept around it).
A finding on a spun document that overlaps no labelled phrase, or a finding on clean prose, is a false
positive. Clean prose is cut into documents of about 500 words at paragraph breaks.
"""

from __future__ import annotations

import argparse
import gc
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lint.document import Document
from lint.rule import CheckContext
from lint.runner import GC_THRESHOLDS
from lint.tokens import sentences
from rules import paraphrase

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "fixtures" / "paraphrase"
LABEL = re.compile(r"\{([^{}|]*)\|([^{}|]*)(?:\|(mark))?\}")
SPLITS = ("dev", "dev2", "heldout", "heldout2")
SEED = ROOT / "fixtures" / "spun-leukemia-metastasis.txt"
CLEAN_SEEDS = sorted(p for p in (ROOT / "fixtures").glob("*.*") if p.is_file() and p != SEED)
# The fourteen phrases issue 5 names in seed 003, with the term each stands for.
SEED_PHRASES = (
    ("white platelets", "white blood cells"), ("focal sensory system", "central nervous system"),
    ("central tangible framework", "central nervous system"), ("grip atoms", "adhesion molecules"),
    ("bond particles", "adhesion molecules"),
    ("foundational microorganism transplantation", "stem cell transplantation"),
    ("immature microorganism transplantation", "stem cell transplantation"),
    ("unfortunate visualization", "poor prognosis"), ("lymph center points", "lymph nodes"),
    ("serious lymphoblastic leukemia", "acute lymphoblastic leukemia"),
    ("tenacious lymphocytic leukemia", "chronic lymphocytic leukemia"), ("strong growths", "solid tumors"),
    ("designated treatment", "targeted therapy"), ("organ brokenness", "organ dysfunction"),
    ("future headings", "future directions"),
)


@dataclass
class Label:
    start: int
    end: int
    spun: str
    intended: str
    kind: str  # "phrase", "mark" or "real" (a real term that must stay quiet)


@dataclass
class Finding:
    start: int
    end: int
    text: str
    suggestion: str
    confidence: float


@dataclass
class Tally:
    labels: int = 0
    found: int = 0
    right: int = 0
    findings: int = 0
    false_positives: int = 0
    words: int = 0
    docs: int = 0
    docs_flagged: int = 0
    notes: list[str] = field(default_factory=list)


def parse_spin(text: str) -> tuple[str, str, list[Label]]:
    """The spun text, the clean original, and the labels located in the spun text."""
    spun: list[str] = []
    clean: list[str] = []
    labels: list[Label] = []
    pos = 0
    length = 0
    for match in LABEL.finditer(text):
        before = text[pos : match.start()]
        spun.append(before)
        clean.append(before)
        length += len(before)
        phrase, intended, mark = match.group(1), match.group(2), match.group(3)
        kind = "mark" if mark else "real" if phrase.lower() == intended.lower() else "phrase"
        labels.append(Label(length, length + len(phrase), phrase, intended, kind))
        spun.append(phrase)
        clean.append(intended)
        length += len(phrase)
        pos = match.end()
    spun.append(text[pos:])
    clean.append(text[pos:])
    return "".join(spun), "".join(clean), labels


def analyse(name: str, text: str) -> tuple[list[Finding], bool, int]:
    doc = Document.from_bytes(name, text.encode("utf-8"))
    analysis = paraphrase.document_analysis(doc, CheckContext(options=paraphrase.ParaphraseOptions()))
    findings = []
    for cand in analysis.phrases:
        start, end = cand.sentence.field.text.file_span(cand.start, cand.end)
        findings.append(Finding(start, end, cand.text, paraphrase.suggestion(cand), cand.confidence))
    return findings, paraphrase.is_spun(analysis, paraphrase.Settings()), analysis.words


def same_term(a: str, b: str) -> bool:
    lemmatizer = paraphrase.thesaurus().lemmatizer
    return lemmatizer.keys(a) == lemmatizer.keys(b)


def restored(spun: str, finding: Finding, label: Label) -> str:
    """The finding's text with the label's phrase put back as intended: the right suggestion for a finding that
    also takes in words the spinner kept ("Essential consideration doctors": "Primary care doctors")."""
    if not (finding.start <= label.start and label.end <= finding.end):
        return label.intended
    return spun[finding.start : label.start] + label.intended + spun[label.end : finding.end]


def wrapped(text: str, width: int = 72) -> str:
    """The text wrapped by hand at ``width`` columns: a space is replaced by a line break (offsets unchanged)."""
    chars = list(text)
    column = 0
    for at, char in enumerate(chars):
        if char == "\n":
            column = 0
        elif char == " " and column >= width - 10 and text.find(" ", at + 1) - at + column > width:
            chars[at], column = "\n", 0
        else:
            column += 1
    return "".join(chars)


def score_spun(path: Path, tally: Tally, page: str = "", wrap: bool = False) -> None:
    """Score a spun article; with ``page``, read in the middle of that long page of clean prose; with ``wrap``,
    wrapped by hand at 72 columns."""
    spun, _, labels = parse_spin(path.read_text(encoding="utf-8"))
    if wrap:
        spun = wrapped(spun)
    if page:
        middle = page.rfind("\n\n", 0, len(page) // 2) + 2 if "\n\n" in page else 0
        spun = f"{page[:middle]}{spun}\n\n{page[middle:]}"
        labels = [Label(lb.start + middle, lb.end + middle, lb.spun, lb.intended, lb.kind) for lb in labels]
    findings, flagged, words = analyse(path.name, spun)
    tally.docs += 1
    tally.docs_flagged += flagged
    tally.words += words
    if not flagged:
        tally.notes.append(f"{path.name}: spun document not flagged")
    for label in (lb for lb in labels if lb.kind == "phrase"):
        tally.labels += 1
        hits = [f for f in findings if f.start < label.end and label.start < f.end]
        tally.found += bool(hits)
        right = any(same_term(f.suggestion, label.intended) or same_term(f.suggestion, restored(spun, f, label))
                    for f in hits)
        tally.right += right
        if not right:
            got = f" (got {hits[0].suggestion!r})" if hits else ""
            tally.notes.append(f"{path.name}: missed {label.spun!r} -> {label.intended!r}{got}")
    for finding in findings:
        tally.findings += 1
        hit = [lb for lb in labels if lb.start < finding.end and finding.start < lb.end]
        if not hit or all(lb.kind == "real" for lb in hit):
            tally.false_positives += 1
            tally.notes.append(f"{path.name}: false positive {finding.text!r} -> {finding.suggestion!r} "
                               f"({finding.confidence})")


def clean_documents(split: str) -> Iterator[tuple[str, str]]:
    """Clean prose cut into ~500-word documents, and the clean originals of the spun documents."""
    for path in sorted((DATA / split / "clean").glob("*.prose")):
        block: list[str] = []
        count = 0
        for paragraph in path.read_text(encoding="utf-8").split("\n\n"):
            block.append(paragraph)
            count += len(paragraph.split())
            if count >= 500:
                yield f"{path.stem}-{len(block)}", "\n\n".join(block)
                block, count = [], 0
        if block:
            yield f"{path.stem}-end", "\n\n".join(block)
    for path in sorted((DATA / split / "spun").glob("*.spin")):
        yield f"{path.stem}-original", parse_spin(path.read_text(encoding="utf-8"))[1]


def score_clean(name: str, text: str, tally: Tally) -> None:
    findings, flagged, words = analyse(name + ".txt", text)
    tally.docs += 1
    tally.words += words
    tally.docs_flagged += flagged
    tally.findings += len(findings)
    tally.false_positives += len(findings)
    if flagged:
        tally.notes.append(f"{name}: clean document called spun")
    for f in findings:
        tally.notes.append(f"{name}: false positive {f.text!r} -> {f.suggestion!r} ({f.confidence})")


def evaluate(split: str, verbose: bool) -> None:
    spun, clean = Tally(), Tally()
    for path in sorted((DATA / split / "spun").glob("*.spin")):
        score_spun(path, spun)
    pages: list[str] = []
    for name, text in clean_documents(split):
        score_clean(name, text, clean)
        pages.append(text)
    # the same prose as one long page: evidence gathered across a whole page must not add up to findings
    long_page, inside_page, wrapped_spun = Tally(), Tally(), Tally()
    score_clean(f"{split}-clean-as-one-page", "\n\n".join(pages), long_page)
    for path in sorted((DATA / split / "spun").glob("*.spin")):  # a spun article inside a long page, and wrapped
        score_spun(path, inside_page, "\n\n".join(pages))
        score_spun(path, wrapped_spun, wrap=True)
    precision = (spun.findings - spun.false_positives) / spun.findings if spun.findings else 1.0
    print(f"[{split}] spun phrases: recall {spun.found / max(spun.labels, 1):.2f} "
          f"({spun.found}/{spun.labels}), right suggestion {spun.right / max(spun.labels, 1):.2f}, "
          f"precision on spun documents {precision:.2f} ({spun.false_positives} unlabelled findings)")
    print(f"[{split}] documents: spun found {spun.docs_flagged}/{spun.docs}; "
          f"clean called spun {clean.docs_flagged}/{clean.docs}")
    print(f"[{split}] clean prose: {clean.false_positives} false positives in {clean.words} words = "
          f"{10000 * clean.false_positives / max(clean.words, 1):.2f} per 10,000 words; as one page "
          f"{long_page.false_positives} (called spun: {bool(long_page.docs_flagged)})")
    print(f"[{split}] each spun document inside that page: recall {inside_page.found / max(inside_page.labels, 1):.2f}"
          f" ({inside_page.found}/{inside_page.labels}), pages called spun {inside_page.docs_flagged}/"
          f"{inside_page.docs}, {inside_page.false_positives} unlabelled findings")
    print(f"[{split}] each spun document wrapped at 72 columns: recall "
          f"{wrapped_spun.found / max(wrapped_spun.labels, 1):.2f} ({wrapped_spun.found}/{wrapped_spun.labels}), "
          f"called spun {wrapped_spun.docs_flagged}/{wrapped_spun.docs}")
    if verbose:
        for note in spun.notes + clean.notes + long_page.notes + [f"inside a page: {n}" for n in inside_page.notes]:
            print("   ", note)


def seeds(verbose: bool) -> None:
    findings, flagged, _ = analyse(SEED.name, SEED.read_text(encoding="utf-8"))
    found = 0
    for phrase, intended in SEED_PHRASES:
        hit = [f for f in findings if f.text.lower() == phrase]
        if hit and all(same_term(f.suggestion, intended) for f in hit):
            found += 1
        elif verbose:
            print(f"    seed 003: {phrase!r} -> {intended!r} not found right")
    print(f"[seeds] 003: {found}/{len(SEED_PHRASES)} named phrases with the right suggestion, "
          f"{len(findings)} findings, called spun: {flagged}")
    for path in CLEAN_SEEDS:
        quiet, spun_flag, _ = analyse(path.name, path.read_text(encoding="utf-8"))
        print(f"[seeds] {path.name}: {len(quiet)} findings, called spun: {spun_flag}")
        if verbose:
            for f in quiet:
                print(f"    {f.text!r} -> {f.suggestion!r} ({f.confidence})")


def load_time() -> tuple[float, float]:
    """CPU seconds to import the rule modules (shared by every rule), and then to load the index and build the
    detector, in a fresh interpreter (best of 3 each)."""
    code = ("import time; t = time.process_time(); from rules import paraphrase; i = time.process_time(); "
            "paraphrase._detector((), (), paraphrase.NO_TERMS); print(i - t, time.process_time() - i)")
    runs = [tuple(map(float, subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                            text=True, cwd=ROOT).stdout.split())) for _ in range(3)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def _timed_pass(texts: list[str], detector: paraphrase.Detector | None) -> tuple[float, int]:
    """CPU seconds to read, tokenise and (with a detector) analyse each text in turn, and the words read.

    One document at a time, as the linter does: a document and its tokens are freed before the next is read.
    The tokens are built whole (as for the spelling rules of the default rule set), so that the tokenisation
    subtracted is all of it.
    """
    words = 0
    start = time.process_time()
    for i, text in enumerate(texts):
        doc = Document.from_bytes(f"doc{i}.txt", text.encode("utf-8"))
        words += sum(len(s.words) for s in sentences(doc))
        if detector is not None:
            paraphrase.analyse(doc, detector, paraphrase.Settings())
    return time.process_time() - start, words


def _warmed() -> paraphrase.Detector:
    """A detector that has read heldout2's clean prose: start-up done, every memo warm on other text. Then
    frozen out of the garbage collector's walks, as a worker process of a run freezes what its first file
    loaded, and collected as seldom as in a run (lint.runner)."""
    gc.set_threshold(*GC_THRESHOLDS)
    detector = paraphrase.Detector()
    for name, text in clean_documents("heldout2"):
        paraphrase.analyse(Document.from_bytes(name, text.encode("utf-8")), detector, paraphrase.Settings())
    gc.freeze()
    return detector


def speed() -> None:
    """CPU time per 1,000 words (tokenisation, shared with other rules, subtracted), two ways: documents the
    detector has read before (every per-word and per-pair memo warm, as a re-run), and new documents after
    start-up (memos warmed on other text: heldout2's). Each is the best of three passes (of fresh detectors for
    new documents), so that other work on the machine counts least."""
    texts = [text for split in ("dev", "heldout") for _, text in clean_documents(split)]
    tokenise = min(_timed_pass(texts, None)[0] for _ in range(3))
    words = _timed_pass(texts, None)[1]
    new_docs = min(_timed_pass(texts, _warmed())[0] for _ in range(3)) - tokenise
    detector = _warmed()
    _timed_pass(texts, detector)  # warm the memos on these very documents
    met = min(_timed_pass(texts, detector)[0] for _ in range(3)) - tokenise
    big = Document.from_bytes("big.txt", "\n\n".join(texts)[:400_000].encode("utf-8"))
    start = time.process_time()
    paraphrase.analyse(big, detector, paraphrase.Settings())
    big_time = time.process_time() - start
    imports, load = load_time()
    print(f"[speed] index load + detector build: {load:.3f} s CPU after {imports:.3f} s importing the rule modules "
          f"(fresh process, best of 3); loaded data {loaded_megabytes():.1f} MB")
    print(f"[speed] new documents: {1e6 * new_docs / words:.2f} ms CPU per 1,000 words ({words} words, one pass "
          f"per fresh detector warmed on other text, best of 3; tokenisation subtracted)")
    print(f"[speed] documents read before: {1e6 * met / words:.2f} ms CPU per 1,000 words (best of 3); "
          f"one {len(big.text.split())}-word document: {big_time:.2f} s")


def loaded_megabytes() -> float:
    """Memory allocated by loading the index and building the detector (tracemalloc), in a fresh process."""
    code = ("import tracemalloc; from rules import paraphrase; tracemalloc.start(); "
            "paraphrase._detector((), (), paraphrase.NO_TERMS); print(tracemalloc.get_traced_memory()[0])")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    return int(out.stdout) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    for split in SPLITS if args.split == "all" else (args.split,):
        evaluate(split, args.verbose)
    seeds(args.verbose)
    if not args.no_speed:
        speed()


if __name__ == "__main__":
    main()
