"""Where a cold run's time goes, rule by rule, on one process (no profiler overhead, no pool).

Usage: ``python -m bench.rule_times DIR [--ignore grammar,paraphrase] [--repeat 5] [--profile RULE]``. The files
are read into memory first; each stage is then timed over all documents, ``--repeat`` times, keeping the fastest
(in CPU time of this process: the machine may be shared, and wall time counts the others' work): building the
Documents, the shared work every prose rule uses (front matter, prose, sentences), each rule's ``check`` on
documents whose shared work is done (what a rule memoises is forgotten before each of its repetitions; what earlier
rules memoised is kept, as in a run), and the engine's turning of violations into findings. One-off loading of rule
data happens before the timing. Prints milliseconds per document, largest first; ``--profile RULE`` adds
cProfile's view of that rule's check.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import time
from collections.abc import Callable
from pathlib import Path

from lint.corpus import CorpusIndex
from lint.discovery import Discoverer
from lint.document import Document
from lint.result import make_finding
from lint.rule import CheckContext, Rule, Violation
from lint.runner import RunOptions, _instance, plan_for
from lint.tokens import sentences


def fastest(repeat: int, work: Callable[[], object], reset: Callable[[], None] = lambda: None) -> float:
    best = float("inf")
    for _ in range(repeat):
        reset()
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def profile(work: Callable[[], object]) -> None:
    """cProfile's view of one run of ``work``: the 25 functions with the most time of their own."""
    profiler = cProfile.Profile()
    profiler.runcall(work)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", type=Path)
    parser.add_argument("--ignore", default="grammar,paraphrase")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", metavar="RULE", help="also print cProfile's top functions of this rule's check")
    args = parser.parse_args()
    root, repeat = args.root.resolve(), args.repeat
    options = RunOptions(ignore=tuple(filter(None, args.ignore.split(","))))
    files = Discoverer(root).discover([root]).files
    plan = plan_for(files[0], root, options)
    raws = [(f.relpath, f.abspath, f.abspath.read_bytes()) for f in files]
    prose_options = plan.settings.prose_options()
    gc.disable()  # every document is held at once here: the collector would walk them all, again and again
    times: dict[str, float] = {}
    corpus_files = [(f.relpath, f.abspath) for f in files]
    max_size = plan.settings.max_file_size
    times["(corpus index)"] = fastest(repeat, lambda: CorpusIndex.build(corpus_files, max_size, None))
    corpus = CorpusIndex.build(corpus_files, max_size, None)
    docs: list[Document] = []

    def build() -> None:
        docs[:] = [Document.from_bytes(path, raw, abspath, prose_options) for path, abspath, raw in raws]

    times["(Document)"] = fastest(repeat, build)
    for name, stage in (("(front matter)", lambda d: d.front_matter), ("(prose)", lambda d: d.prose),
                        ("(sentences)", sentences)):
        def fresh(name: str = name) -> None:
            build()
            for doc in docs:  # the stages before this one, untimed
                for earlier in ("front_matter", "prose")[: ("(front matter)", "(prose)", "(sentences)").index(name)]:
                    getattr(doc, earlier)
        times[name] = fastest(repeat, lambda stage=stage: [stage(doc) for doc in docs], fresh)  # type: ignore[misc]

    kept: list[set[str]] = []

    def forget() -> None:  # what the rule being timed memoised; what earlier rules did stays, as in a run
        for doc, keys in zip(docs, kept, strict=True):
            for key in set(doc._memo) - keys:
                del doc._memo[key]

    settings = {"requires_front_matter": True, "schemas": plan.settings.schemas, "cache_dir": None}
    violations: list[tuple[Document, type[Rule], Violation]] = []
    for rule in plan.rules:
        rule_options, instance = plan.settings.rule_options(rule.id), _instance(rule)

        def check(rule: type[Rule] = rule, rule_options: object = rule_options, instance: Rule = instance) -> None:
            found = [(doc, rule, v) for doc in docs for v in instance.check(doc, CheckContext(
                options=rule_options, corpus=corpus, settings=settings, metrics={}))]  # type: ignore[arg-type]
            violations[:] = [item for item in violations if item[1] is not rule] + found

        kept[:] = [set(doc._memo) for doc in docs]
        check()  # loads the rule's data: once per process, not per document
        times[rule.id] = fastest(repeat, check, forget)
        if rule.id == args.profile:
            forget()
            profile(check)
    times["(make_finding)"] = fastest(repeat, lambda: [make_finding(doc, rule, rule.severity, violation)
                                                       for doc, rule, violation in violations])
    count = len(docs)
    for name, seconds in sorted(times.items(), key=lambda item: -item[1]):
        print(f"{seconds / count * 1000:8.3f} ms/doc  {name}")
    total = sum(times.values())
    print(f"{total / count * 1000:8.3f} ms/doc  TOTAL over {count} documents, {len(violations)} violations")


if __name__ == "__main__":
    main()
