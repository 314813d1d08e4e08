"""Work on a process pool: every result, in order, without queueing the whole corpus at once."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from lint import corpus, runner
from lint.corpus import Stamp, read_entries
from lint.discovery import SourceFile
from lint.pool import ordered_map


class CountingPool:
    """Runs each task at once, and counts the tasks submitted whose result was not yet asked for."""

    def __init__(self) -> None:
        self.waiting: list[Future[Any]] = []
        self.most_waiting = 0

    def submit(self, work: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(work(*args))
        original = future.result

        def result(timeout: float | None = None) -> Any:
            if future in self.waiting:
                self.waiting.remove(future)
            return original(timeout)

        future.result = result  # type: ignore[method-assign]
        self.waiting.append(future)
        self.most_waiting = max(self.most_waiting, len(self.waiting))
        return future


def squares(numbers: list[int], offset: int) -> list[int]:
    return [number * number + offset for number in numbers]


@pytest.mark.parametrize("count", [0, 1, 7, 8, 9, 1000])
def test_ordered_map_gives_every_result_in_order_a_few_batches_ahead(count: int) -> None:
    pool = CountingPool()
    results = list(ordered_map(pool, squares, list(range(count)), 8, 3, 1))  # type: ignore[arg-type]
    assert results == [number * number + 1 for number in range(count)]
    assert pool.most_waiting == min(3, -(-count // 8))  # not all 125 batches of 1,000 items
    assert pool.waiting == []


def test_pool_tasks_of_a_run_are_submitted_a_few_ahead_of_the_results(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [SourceFile("/root", f"article-{number:04}.md") for number in range(1000)]
    monkeypatch.setattr(runner, "_lint_in_worker", lambda sources, corpus: [s.relpath for s in sources])
    pool = CountingPool()
    results = list(runner._lint_on_pool(pool, 2, files, None))  # type: ignore[arg-type]
    assert results == [source.relpath for source in files]
    assert pool.most_waiting == 2 * runner.TASKS_AHEAD  # not the 125 tasks of the whole list


def test_corpus_reads_on_a_pool_come_a_few_batches_ahead_and_equal_reading_here(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    items = []
    for number in range(100):
        path = tmp_path / f"a{number}.md"
        path.write_text(f"---\nid: {number}\ntitle: Article {number}\n---\nText.\n", encoding="utf-8")
        items.append((path.name, str(path), Stamp(path.stat().st_size, path.stat().st_mtime_ns)))
    items.append(("vanished.md", str(tmp_path / "vanished.md"), Stamp(0, 0)))
    monkeypatch.setattr(corpus, "PARALLEL_READ_MIN", 10)
    monkeypatch.setattr(corpus, "READ_BATCH", 4)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    pool = CountingPool()
    here = list(read_entries(items))
    assert list(read_entries(items, pool)) == here  # type: ignore[arg-type]
    assert here[-1] == corpus._UNREADABLE and [entry.title for entry in here[:2]] == ["Article 0", "Article 1"]
    assert pool.most_waiting == 2 * corpus.READS_AHEAD  # not the 26 batches of the whole list
