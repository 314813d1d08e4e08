"""The runner's process pool: every file's result, in order, without queueing the whole corpus at once."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from lint import runner
from lint.discovery import SourceFile


class CountingPool:
    """Runs each task at once, and counts the tasks submitted whose result was not yet asked for."""

    def __init__(self) -> None:
        self.waiting: list[Future[Any]] = []
        self.most_waiting = 0

    def submit(self, work: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result([(source.relpath, len(self.waiting)) for source in args[0]])
        original = future.result

        def result(timeout: float | None = None) -> Any:
            if future in self.waiting:
                self.waiting.remove(future)
            return original(timeout)

        future.result = result  # type: ignore[method-assign]
        self.waiting.append(future)
        self.most_waiting = max(self.most_waiting, len(self.waiting))
        return future


def test_pool_tasks_are_submitted_a_few_ahead_of_the_results_and_come_back_in_order() -> None:
    files = [SourceFile("/root", f"article-{number:04}.md") for number in range(1000)]
    pool = CountingPool()
    results = list(runner._lint_on_pool(pool, 2, files, None))  # type: ignore[arg-type]
    assert [relpath for relpath, _ in results] == [source.relpath for source in files]
    assert pool.most_waiting == 2 * runner.TASKS_AHEAD  # not the 125 tasks of the whole list
    assert pool.waiting == []
