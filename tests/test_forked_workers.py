"""Forked workers fed through pipes (``map_forked``), the command line's ``--jobs N``.

Ordered results equal to running each task here, bounded read-ahead, no thread started, a
worker that dies or raises costing time and not answers, big tasks and results passing
without a deadlock, and no child left behind however the caller stops.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from inspector import batch
from inspector.forked_workers import AHEAD_PER_WORKER, map_forked

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers are forked on Linux only"
)
PARENT = os.getpid()


def _cmdline(pid: int | str) -> bytes:
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        return f.read()


def _children() -> list[int]:
    """The live (not zombie) forked children of this process (same command line: not, say,
    multiprocessing's resource tracker, which earlier tests may have left), from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            same = _cmdline(entry) == _cmdline(os.getpid())
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z" and same:
            found.append(int(entry))
    return found


def _square(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def _tasks(n: int) -> Iterator[tuple[Any, ...]]:
    return ((i,) for i in range(n))


@pytest.mark.parametrize("workers", [1, 2, 3])
@pytest.mark.parametrize("n", [0, 1, 5, 200])
def test_results_come_in_order_and_equal_running_here(workers: int, n: int) -> None:
    got = list(map_forked(_square, _tasks(n), workers))
    assert [square for square, _ in got] == [i * i for i in range(n)]
    if n >= 5:  # the work was done elsewhere, by more than one worker when there are some
        pids = {pid for _, pid in got}
        assert PARENT not in pids
        assert len(pids) == min(workers, n)
    assert _children() == []


def test_no_thread_is_started_and_the_read_ahead_is_bounded() -> None:
    workers = 2
    read = 0
    threads: list[int] = []

    def source() -> Iterator[tuple[int]]:
        nonlocal read
        for i in range(300):
            read += 1
            threads.append(threading.active_count())
            yield (i,)

    ahead = []
    for consumed, _ in enumerate(map_forked(_square, source(), workers), start=1):
        ahead.append(read - consumed)
    assert len(ahead) == 300
    assert max(ahead) <= workers * AHEAD_PER_WORKER
    assert max(ahead) >= workers  # (it does read ahead: every worker is kept busy)
    assert set(threads) == {1}


def _die_on(marker: int, x: int) -> int:
    if x == marker and os.getpid() != PARENT:
        os._exit(1)
    return x + 1


def test_a_worker_that_dies_costs_time_not_answers() -> None:
    got = list(map_forked(lambda x: _die_on(7, x), _tasks(40), 2))
    assert got == [i + 1 for i in range(40)]
    assert _children() == []


def test_every_worker_dying_leaves_every_task_to_this_process() -> None:
    def die(x: int) -> tuple[int, int]:
        if os.getpid() != PARENT:
            os._exit(1)
        return _square(x)

    got = list(map_forked(die, _tasks(20), 3))
    assert got == [(i * i, PARENT) for i in range(20)]


def test_a_task_that_raises_in_a_worker_raises_here_after_the_results_before_it() -> None:
    def fail_on_3(x: int) -> int:
        if x == 3:
            raise KeyError(f"task {x} (in {'a worker' if os.getpid() != PARENT else 'here'})")
        return x

    results = map_forked(fail_on_3, _tasks(10), 2)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(KeyError, match="task 3 \\(in here\\)"):
        next(results)
    assert _children() == []


def test_an_input_that_raises_yields_every_result_before_it_then_the_same_error() -> None:
    def source() -> Iterator[tuple[int]]:
        yield from _tasks(9)
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "the log is not UTF-8")

    results = map_forked(_square, source(), 2)
    assert [next(results)[0] for _ in range(9)] == [i * i for i in range(9)]
    with pytest.raises(UnicodeDecodeError, match="not UTF-8"):
        next(results)
    assert _children() == []


def test_big_tasks_and_results_pass_both_ways_without_a_deadlock() -> None:
    """Tasks and results larger than any pipe, several in flight at once."""

    def echo(data: bytes, n: int) -> bytes:
        return data * n

    tasks = ((bytes([i]) * 3_000_000, 1 + i % 3) for i in range(8))
    got = list(map_forked(echo, tasks, 2))
    assert [len(r) for r in got] == [3_000_000 * (1 + i % 3) for i in range(8)]
    assert all(r == bytes([i]) * len(r) for i, r in enumerate(got))


def test_stopping_early_stops_the_workers_even_in_the_middle_of_a_task() -> None:
    import time

    def slow(x: int) -> int:
        if x >= 2 and os.getpid() != PARENT:
            time.sleep(60)
        return x

    results = map_forked(slow, _tasks(100), 2)
    assert next(results) == 0
    assert len(_children()) == 2
    started = time.monotonic()
    results.close()
    assert time.monotonic() - started < 30  # (killed, not waited for: a minute's sleep)
    assert _children() == []


def test_map_ordered_forks_only_with_no_other_thread_running(monkeypatch) -> None:
    """With a thread running, forking could copy a lock it holds: the executor's workers
    (spawned or forked by multiprocessing) are used instead."""
    used: list[str] = []
    monkeypatch.setattr(
        "inspector.forked_workers.map_forked",
        lambda fn, tasks, workers: used.append("pipes") or iter(fn(*t) for t in tasks),
    )
    monkeypatch.setattr(batch, "_ordered", lambda fn, tasks, pool, own: used.append("pool") or [])
    list(batch.map_ordered(_square, _tasks(3), 2, fork=True))
    assert used == ["pipes"]
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        list(batch.map_ordered(_square, _tasks(3), 2, fork=True))
    finally:
        stop.set()
        other.join()
    list(batch.map_ordered(_square, _tasks(3), 2, fork=False))
    assert used == ["pipes", "pool", "pool"]
