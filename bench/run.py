"""`make bench`: contentlint's speed on a generated corpus, against the parse-only floor and proselint.

Runs, on the same N generated documents (default 20,000), each as a fresh process:
- parse-only floor: read every file and parse its front matter with PyYAML's C loader, nothing else;
- contentlint cold (empty cache), warm (nothing changed), one file changed, pre-commit style (5 files);
- proselint on a sample of the files (it is far slower), its throughput extrapolated.
Peak RSS and PSS are the largest sums of resident and proportional memory over the process tree, sampled every
20 and 200 ms (RSS counts pages the worker processes share once per process: an upper bound). contentlint's
own modules are compiled to bytecode first, as an installed package has them (an editable install in an
environment with PYTHONDONTWRITEBYTECODE set would otherwise compile them again in every process: ~0.07 s).
Usage: ``python -m bench.run [--docs N] [--jobs J] [--corpus DIR] [--out bench/results/latest.json]``.
"""

from __future__ import annotations

import argparse
import compileall
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

from bench.generate import generate

FLOOR = """
import sys, yaml
from pathlib import Path
loader = yaml.CSafeLoader
for path in Path(sys.argv[1]).rglob("*"):
    if path.suffix in (".md", ".txt"):
        text = path.read_text(encoding="utf-8", errors="replace")
        if text.startswith("---\\n"):
            end = text.find("\\n---", 4)
            yaml.load(text[4:end], Loader=loader)
"""


def measure(command: list[str], cwd: Path) -> dict[str, float]:
    """Wall time and peak memory of one command, summed over its process tree: RSS (pages shared between the
    worker processes counted once per process, so an upper bound) and PSS (shared pages split between them).
    RSS is read every 20 ms; PSS, which costs a walk of every memory map, every 200 ms, so that the sampling
    itself does not slow down the 2 cores it shares with the run."""
    start = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    for sample in itertools.count():
        if process.poll() is not None:
            break
        with_pss = sample % 10 == 0
        rss = pss = 0
        try:
            for member in [process, *process.children(recursive=True)]:
                if with_pss:
                    memory = member.memory_full_info()
                    pss += memory.pss
                else:
                    memory = member.memory_info()
                rss += memory.rss
        except psutil.Error:
            pass  # a process ended while it was read: the next sample counts the rest
        peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        time.sleep(0.02)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}): {stderr[-2000:]}")
    return {"wall_s": round(wall, 3), "peak_rss_mb": round(peak_rss / 2**20, 1),
            "peak_pss_mb": round(peak_pss / 2**20, 1)}


def edit(path: Path) -> None:
    """An editor's change to an article's answer (its front matter and prose both change)."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("answer: >-\n    ", "answer: >-\n    Note. ", 1), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--corpus", type=Path, help="where to generate the corpus (default: a temporary dir)")
    parser.add_argument("--proselint-sample", type=int, default=200)
    parser.add_argument("--out", type=Path, default=Path("bench/results/latest.json"))
    args = parser.parse_args()

    for package in ("lint", "rules"):
        compileall.compile_dir(Path(__file__).resolve().parent.parent / package, quiet=1)
    corpus = args.corpus or Path(tempfile.mkdtemp(prefix="contentlint-bench-"))
    files = generate(corpus, args.docs)
    bin_dir = Path(sys.executable).parent
    contentlint = [str(bin_dir / "contentlint"), "check", ".", "--root", ".", "--format", "json", "--output",
                   os.devnull, "--exit-zero", "--no-progress", "--jobs", str(args.jobs), "--ignore", "grammar"]
    shutil.rmtree(corpus / ".contentlint_cache", ignore_errors=True)
    runs: dict[str, dict[str, float]] = {}
    runs["parse-only floor"] = measure([sys.executable, "-c", FLOOR, "."], corpus)
    runs["contentlint cold"] = measure(contentlint, corpus)
    runs["contentlint warm"] = measure(contentlint, corpus)
    articles = [f for f in files if f.suffix == ".md"]
    edit(random.Random(7).choice(articles))
    runs["contentlint one file changed"] = measure(contentlint, corpus)
    staged = random.Random(5).sample(articles, 5)
    for path in staged:  # what a commit stages: files just edited, so none of them is in the cache
        edit(path)
    runs["contentlint pre-commit (5 changed files)"] = measure(
        [*contentlint[:2], *(str(path.relative_to(corpus)) for path in staged), *contentlint[3:]], corpus)
    for name, run in runs.items():
        documents = 5 if "pre-commit" in name else args.docs
        run["docs_per_s"] = round(documents / run["wall_s"], 1)
    proselint = shutil.which("proselint", path=str(bin_dir))
    if proselint:
        sample = [str(f.relative_to(corpus)) for f in random.Random(3).sample(files, min(args.proselint_sample,
                                                                                          len(files)))]
        run = measure([proselint, "check", *sample], corpus)
        run["docs_per_s"] = round(len(sample) / run["wall_s"], 1)
        run["sample"] = len(sample)
        runs[f"proselint ({len(sample)}-file sample)"] = run

    floor = runs["parse-only floor"]["wall_s"]
    report = {"docs": args.docs, "jobs": args.jobs, "cpu_count": os.cpu_count(), "runs": runs,
              "cold_over_floor": round(runs["contentlint cold"]["wall_s"] / floor, 2)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"{args.docs} documents, {args.jobs} jobs\n")
    print(f"{'run':<36} {'wall s':>8} {'docs/s':>10} {'peak RSS MB':>12} {'peak PSS MB':>12}")
    for name, run in runs.items():
        print(f"{name:<36} {run['wall_s']:>8.2f} {run['docs_per_s']:>10.1f} {run['peak_rss_mb']:>12.1f} "
              f"{run['peak_pss_mb']:>12.1f}")
    print(f"\ncold run / parse-only floor: {report['cold_over_floor']}x; results in {args.out}")
    if not args.corpus:
        shutil.rmtree(corpus, ignore_errors=True)


if __name__ == "__main__":
    main()
