"""Work spread over a process pool in batches, results in order, only a few batches ahead of the caller.

Executor.map submits every batch at once: on a 100,000-file corpus that queues the whole corpus's tasks in this
process, and the workers' results pile up here whenever this process takes them more slowly than the workers
make them (the corpus index's inserts into SQLite do).
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor
from typing import Any, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


def ordered_map(pool: Executor, work: Callable[..., list[Result]], items: Sequence[Item], batch: int,
                ahead: int, *args: Any) -> Iterator[Result]:
    """Each result of ``work(items[i : i + batch], *args)`` in order, the batches run on ``pool`` with at most
    ``ahead`` of them submitted and not yet taken."""
    batches = (items[start : start + batch] for start in range(0, len(items), batch))
    waiting = deque(pool.submit(work, part, *args) for part in itertools.islice(batches, ahead))
    while waiting:
        done = waiting.popleft().result()
        waiting.extend(pool.submit(work, part, *args) for part in itertools.islice(batches, 1))
        yield from done
