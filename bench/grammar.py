"""Benchmark of the grammar rules: what LanguageTool costs with no server, with a server, and with the cache.

Runs ``contentlint check`` as a subprocess (one process per run, as users run it) on a synthetic corpus of
articles built from the seeds' prose, and prints the median wall time of each case:

- no backend: the default rules, then the same without grammar/languagetool (the skip must cost nothing);
- an unreachable server URL (a closed loopback port): the skip must stay within the connect timeout;
- the stand-in LanguageTool server (tests/languagetool_fake.py, 5 ms per request): a cold cache, then a warm
  one (no request at all), with the number of requests each;
- grammar/spelling alone.

    python bench/grammar.py [--files 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.languagetool_fake import FakeLanguageTool  # noqa: E402

URL_ENV = "CONTENTLINT_LANGUAGETOOL_URL"


def corpus(root: Path, files: int) -> None:
    """``files`` articles: the seeds' prose, each with a numbered sentence so that no two are the same."""
    seeds = sorted((REPO / "fixtures").glob("*.txt"))
    texts = [seed.read_text(encoding="utf-8") for seed in seeds]
    for index in range(files):
        body = texts[index % len(texts)]
        (root / f"page-{index:04d}.txt").write_text(f"This is page {index}, a apple.\n\n{body}", encoding="utf-8")


def timed(args: list[str], env: dict[str, str], repeat: int) -> str:
    """Median wall time and median CPU time of the child (CPU time is steadier on a shared machine)."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lint", "check", *args, "--exit-zero", "--quiet", "--format", "json"],
                       env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return f"{statistics.median(walls):6.2f} s wall {statistics.median(cpus):6.2f} s cpu"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k not in (URL_ENV, "LTP_JAR_DIR_PATH")}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env["LTP_PATH"] = str(root / "no-languagetool")
        corpus(root, options.files)
        common = [str(root), "--root", str(root), "--jobs", "1"]
        print(f"{options.files} files, median of {options.repeat} runs")
        print(f"  default rules, no backend        {timed(common, env, options.repeat)}")
        print(f"  without grammar/languagetool     "
              f"{timed([*common, '--ignore', 'grammar/languagetool'], env, options.repeat)}")
        with FakeLanguageTool() as gone:
            closed = gone.url
        print(f"  unreachable server URL           "
              f"{timed([*common, '--select', 'grammar'], {**env, URL_ENV: closed}, options.repeat)}")
        print(f"  grammar/spelling alone           "
              f"{timed([*common, '--select', 'grammar/spelling'], env, options.repeat)}")
        with FakeLanguageTool(delay=0.005) as fake:
            lt_env = {**env, URL_ENV: fake.url}
            select = [*common, "--select", "grammar/languagetool"]
            shutil.rmtree(root / ".contentlint-cache", ignore_errors=True)
            cold = timed(select, lt_env, 1)
            cold_requests = len(fake.checks)
            warm = timed(select, lt_env, options.repeat)
            print(f"  languagetool, cold cache         {cold}  ({cold_requests} requests)")
            print(f"  languagetool, warm cache         {warm}  ({len(fake.checks) - cold_requests} requests)")


if __name__ == "__main__":
    main()
