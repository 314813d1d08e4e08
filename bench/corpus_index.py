"""Benchmark of the corpus index: cold build, warm build, and a re-run after one file changed.

Generates N article files shaped like the seed articles (about 4.5 KB each, five related links, some of them
broken) in a temporary directory, then times, timing each step once in this process:

    .venv/bin/python bench/corpus_index.py                 # 20,000 documents
    .venv/bin/python bench/corpus_index.py --docs 100000   # the scaling check (lookups, suggestions)

Targets on a 2-core machine: cold build < 5 s, one file changed < 0.5 s. Never run from pytest.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from lint.corpus import CorpusCache, CorpusIndex
from lint.discovery import Discoverer

T = TypeVar("T")
WORDS = tuple("leukemia anemia marrow platelet infection fever fatigue biopsy diagnosis treatment therapy "  # noqa: SIM905
              "symptom spleen liver kidney heart lung blood cell iron vitamin dose risk child adult chronic "
              "acute pain swelling rash nerve brain bone joint skin immune transplant remission relapse "
              "screening".split())
SUBJECTS = ("Health Studies", "Hematology", "Oncology", "Nutrition")
MAX_SIZE = 5_000_000


def slug_of(words: list[str]) -> str:
    return "-".join(words)


def make_corpus(root: Path, count: int, seed: int = 7) -> list[tuple[str, str, str, str]]:
    """Write ``count`` articles under root/<subject>/; returns (id, url, title, subject) of each."""
    rng = random.Random(seed)
    articles = []
    for number in range(count):
        words = [*rng.sample(WORDS, 6), str(number)]
        title = "What is " + " ".join(words[:-1]) + f" ({number})?"
        subject = rng.choice(SUBJECTS)
        subject_slug = subject.lower().replace(" ", "-")
        articles.append((str(100_000 + number), f"/learn/{subject_slug}/questions/{slug_of(words)}", title, subject))
    written = time.time() - 3600
    answer = " ".join(rng.choice(WORDS) for _ in range(600))
    for ident, url, title, subject in articles:
        links = []
        for k in range(1, 6):
            other = articles[rng.randrange(count)]
            broken = rng.random() < 0.05
            other_url = other[1] + ("-old" if broken else "")
            links.append(f"related_article{k}:\n    id: {other[0]}\n    title: >-\n        {other[2]}\n"
                         f"    subject: {other[3]}\n    url: {other_url}\n")
        stem = url.rsplit("/", 1)[-1]
        text = (f"---\n_schema: default\nid: {ident}\ndate: 2025-01-30\ntitle: >-\n    {title}\n"
                f"seo:\n  title: QuickTakes | {subject}\n  page_description: >-\n    {title} explained.\n"
                f"author: QuickTakes\nquestion: >-\n    {title}\nanswer: >-\n    {answer}\n"
                f"subject: {subject}\nfile_name: {stem}.md\nurl: {url}\nscore: -1.0\n{''.join(links)}---\n\n&nbsp;\n")
        directory = root / subject.lower().replace(" ", "-")
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{stem}.md"
        path.write_text(text, encoding="utf-8")
        os.utime(path, (written, written))  # as files edited a while ago, outside the cache's racy window
    return articles


def timed(label: str, action: Callable[[], T]) -> T:
    start = time.perf_counter()
    value = action()
    print(f"{label:<44} {time.perf_counter() - start:8.3f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated corpus")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="contentlint-bench-"))
    try:
        timed(f"generate {args.docs:,} documents", lambda: make_corpus(root, args.docs))
        discovery = timed("discover files (Discoverer)", lambda: Discoverer(root).discover([root]))
        files = [(f.relpath, f.abspath) for f in discovery.files]
        cache = CorpusCache(root / ".contentlint-cache", root, MAX_SIZE)
        print(f"files: {len(files):,}   cache: {cache.path}")
        index = timed("cold build (no cache)", lambda: CorpusIndex.build(files, MAX_SIZE, cache))
        print(f"cache file: {cache.path.stat().st_size / 1e6:.1f} MB")
        for attempt in range(3):
            timed(f"warm build (nothing changed) #{attempt + 1}", lambda: CorpusIndex.build(files, MAX_SIZE, cache))
        for attempt in range(3):
            changed = root / files[len(files) // 2 + attempt][0]
            changed.write_text(changed.read_text(encoding="utf-8").replace("title: >-", "title: >-\n    Renamed", 1),
                               encoding="utf-8")
            old = time.time() - 10  # outside the racy window, as an edit made a moment before the run
            os.utime(changed, (old, old))
            timed(f"one file changed #{attempt + 1}", lambda: CorpusIndex.build(files, MAX_SIZE, cache))
        timed("no cache at all", lambda: CorpusIndex.build(files, MAX_SIZE, None))
        entries = list(itertools.islice(index.all_entries(), 2000))
        timed(f"lookups of {len(entries)} articles (id, url, inbound links)",
              lambda: [(index.paths_with_id(e.id), index.paths_with_url(e.url), index.has_inbound_links(e.path))
                       for e in entries])
        broken = [link for entry in entries[:2000] for link in entry.related if not index.paths_with_url(link.url)]
        suggestions = timed(f"nearest article for {len(broken)} broken links",
                            lambda: [index.nearest(link.url, link.title) for link in broken])
        found = sum(1 for s, link in zip(suggestions, broken, strict=True)
                    if s is not None and s.url == str(link.url).removesuffix("-old"))
        print(f"suggestions that found the renamed article: {found}/{len(broken)}")
    finally:
        if args.keep:
            print(f"corpus kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
