"""Generate a realistic corpus for benchmarks: N articles built from the sentences of fixtures/ (its articles
and pages, and the labelled prose of fixtures/paraphrase/: some 80,000 words of distinct sentences).

Every document's prose is its own (sentences drawn and ordered at random), lengths vary from 100 to 1,500
words, a realistic share of documents carries each kind of defect, and articles link to each other (a few
links are broken). Usage: ``python -m bench.generate OUT_DIR [--docs N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

from bench.paraphrase import parse_spin
from lint.document import Document
from lint.tokens import sentences

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SUBJECTS = ["Health Studies", "Hematology", "Oncology", "Nutrition"]
RESIDUE = ["Print friendly version", "Your browser does not support javascript", "Continue to content",
           "Skip to main content", "Share this page"]


def sentence_pool() -> tuple[list[str], list[str]]:
    """Clean sentences and spun sentences: the fixtures' articles and pages (the spun seed kept apart), and the
    labelled prose of the paraphrase evaluation (its clean health prose, and its spun articles' spun text).

    Some 80,000 words of distinct sentences: a run's memos of words, word pairs and phrases fill up as they
    would on a real corpus, not on a few hundred sentences repeated (which made the paraphrase rules several
    times cheaper than on real prose)."""
    clean: list[str] = []
    spun: list[str] = []
    for path in sorted(FIXTURES.rglob("*")):
        if "/fail/" in path.as_posix():
            continue
        if path.suffix in (".md", ".txt", ".prose"):
            text = path.read_bytes()
        elif path.suffix == ".spin":
            text = parse_spin(path.read_text(encoding="utf-8"))[0].encode("utf-8")
        else:
            continue
        doc = Document.from_bytes(path.with_suffix(".txt" if path.suffix != ".md" else ".md").name, text)
        target = spun if path.name.startswith("spun-") or path.suffix == ".spin" else clean
        for sentence in sentences(doc):
            line = " ".join(sentence.text.split())
            if len(sentence.words) >= 6 and line[-1:] in ".!?" and "â" not in line:
                target.append(line)
    return sorted(set(clean)), sorted(set(spun))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80]


def _prose(rng: random.Random, clean: list[str], spun: list[str], words: int, spun_doc: bool) -> list[str]:
    chosen: list[str] = []
    count = 0
    while count < words:
        pool = spun if spun_doc and rng.random() < 0.6 else clean
        sentence = rng.choice(pool)
        chosen.append(sentence)
        count += len(sentence.split())
    return chosen


def generate(out: Path, docs: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    clean, spun = sentence_pool()
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    titles = [f"{rng.choice(clean)[:60].rstrip(' ,.;:')} ({number})" for number in range(docs)]
    slugs = [f"{_slug(title)}-{number}" for number, title in enumerate(titles)]
    subjects = [rng.choice(SUBJECTS) for _ in range(docs)]
    written = []
    for number in range(docs):
        words = rng.randint(100, 1500)
        spun_doc = rng.random() < 0.03
        paragraphs = _prose(rng, clean, spun, words, spun_doc)
        if rng.random() < 0.03:  # mojibake from a bad export
            index = rng.randrange(len(paragraphs))
            paragraphs[index] = paragraphs[index].replace(" ", " Here\u00e2\u20ac\u2122s ", 1)
        folder = out / f"section-{number % 50:02}"
        folder.mkdir(exist_ok=True)
        if rng.random() < 0.2:  # a scraped page
            lines = paragraphs[:]
            if rng.random() < 0.3:
                lines.insert(0, rng.choice(RESIDUE))
            if rng.random() < 0.2:
                lines.append("Last updated: 4/8/2010")
            path = folder / f"{slugs[number]}.txt"
            path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        else:
            path = folder / f"{slugs[number]}.md"
            path.write_text(_article(rng, number, titles, slugs, subjects, paragraphs, docs), encoding="utf-8")
        written.append(path)
    return written


def _article(rng: random.Random, number: int, titles: list[str], slugs: list[str], subjects: list[str],
             paragraphs: list[str], docs: int) -> str:
    title = titles[number]
    subject = subjects[number]
    answer = "\\n\\n".join(" ".join(paragraphs[i : i + 4]) for i in range(0, len(paragraphs), 4))
    description = " ".join(paragraphs[0].split()[:20])
    keywords = ", ".join(sorted({w.lower() for w in re.findall(r"[A-Za-z]{6,}", answer)[:8]}))
    links = []
    for k in range(1, rng.randint(0, 5) + 1):
        target = rng.randrange(docs)
        broken = rng.random() < 0.05
        slug = slugs[target] + ("-old" if broken else "")
        links.append(f"related_article{k}:\n    id: {200000 + target}\n    title: >-\n        {titles[target]}\n"
                     f"    subject: {subjects[target]}\n"
                     f"    url: /learn/{_slug(subjects[target])}/questions/{slug}\n")
    extra = "auther: QuickTakes\n" if rng.random() < 0.01 else ""
    return (f"---\n_schema: default\nid: {200000 + number}\ndate: 2025-01-30\ntitle: >-\n    {title}\n"
            f"article_title: >-\n    {title}\ndate_format: MMM DD, YYYY\npost_on_text: Posted on\nseo:\n"
            f"  title: QuickTakes | {subject}\n  page_description: >-\n    {description}\n"
            f"  page_keywords: >-\n    {keywords}\n{extra}author: QuickTakes\nquestion: >-\n    {title}\n"
            f"answer: >-\n    {answer}\nsubject: {subject}\nfile_name: {slugs[number]}.md\n"
            f"url: /learn/{_slug(subject)}/questions/{slugs[number]}\nscore: -1.0\n{''.join(links)}---\n\n&nbsp;\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    paths = generate(args.out, args.docs, args.seed)
    print(f"wrote {len(paths)} documents to {args.out}")


if __name__ == "__main__":
    main()
