"""Where a cold run's time goes, rule by rule, on one process (no profiler overhead, no pool).

Usage: ``python -m bench.rule_times DIR [--ignore grammar,paraphrase]``. The files are read into memory first;
each stage is then timed over all documents: building the Documents, the shared work every prose rule uses
(front matter, prose, sentences), each rule's ``check`` on documents whose shared work is done, and the
engine's turning of violations into findings. Prints milliseconds per document, largest first.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import defaultdict
from pathlib import Path

from lint.corpus import CorpusIndex
from lint.discovery import Discoverer
from lint.document import Document
from lint.result import make_finding
from lint.rule import CheckContext, Rule, Violation
from lint.runner import RunOptions, _instance, plan_for
from lint.tokens import sentences


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--ignore", default="grammar,paraphrase")
    args = parser.parse_args()
    root = args.root.resolve()
    options = RunOptions(ignore=tuple(filter(None, args.ignore.split(","))))
    files = Discoverer(root).discover([root]).files
    plan = plan_for(files[0], root, options)
    raws = [(f.relpath, f.abspath, f.abspath.read_bytes()) for f in files]
    times: dict[str, float] = defaultdict(float)
    gc.disable()  # every document is held at once here: the collector would walk them all, again and again

    def timed(name: str, start: float) -> float:
        now = time.perf_counter()
        times[name] += now - start
        return now

    started = time.perf_counter()
    corpus = CorpusIndex.build([(f.relpath, f.abspath) for f in files], plan.settings.max_file_size, None)
    now = timed("(corpus index)", started)
    prose_options = plan.settings.prose_options()
    docs = [Document.from_bytes(path, raw, abspath, prose_options) for path, abspath, raw in raws]
    now = timed("(Document)", now)
    for doc in docs:
        doc.front_matter  # noqa: B018 - the cached property is what is timed
    now = timed("(front matter)", now)
    for doc in docs:
        doc.prose  # noqa: B018
    now = timed("(prose)", now)
    for doc in docs:
        sentences(doc)
    now = timed("(sentences)", now)
    violations: list[tuple[Document, type[Rule], Violation]] = []
    for rule in plan.rules:
        ctx_options = plan.settings.rule_options(rule.id)
        instance = _instance(rule)
        for doc in docs:
            ctx = CheckContext(options=ctx_options, corpus=corpus, settings={
                "requires_front_matter": True, "schemas": plan.settings.schemas, "cache_dir": None}, metrics={})
            violations.extend((doc, rule, v) for v in instance.check(doc, ctx))
        now = timed(rule.id, now)
    for doc, rule, violation in violations:
        make_finding(doc, rule, rule.severity, violation)
    timed("(make_finding)", now)
    total = sum(times.values())
    count = len(docs)
    for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
        print(f"{seconds / count * 1000:8.3f} ms/doc  {name}")
    print(f"{total / count * 1000:8.3f} ms/doc  TOTAL over {count} documents, {len(violations)} violations")


if __name__ == "__main__":
    main()
