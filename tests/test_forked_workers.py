"""Forked workers fed through pipes (``map_forked``), the command line's ``--jobs N``.

Ordered results equal to running each task here, bounded read-ahead, no thread started, a
worker that dies or raises costing time and not answers, big tasks and results passing
without a deadlock, and no child left behind however the caller stops.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
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


def _run_script(code: str) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh interpreter; the timeout only stops a hang from stopping the suite
    (these runs take well under a second)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True, text=True, timeout=120,
        cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
    )  # fmt: skip


def test_two_calls_at_once_each_end_without_waiting_for_the_other() -> None:
    """The second call's workers are forked while the first's run: they must not hold the
    first's pipes open (its idle workers would never see their task pipe end)."""
    run = _run_script("""
        from inspector import batch
        def sq(x): return x * x
        one = batch.map_ordered(sq, ((i,) for i in range(50)), 2, fork=True)
        two = batch.map_ordered(sq, ((i,) for i in range(50)), 2, fork=True)
        print(sum(a + b for a, b in zip(one, two)))
        assert list(one) == [] and list(two) == []
    """)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == [str(2 * sum(i * i for i in range(50)))]


def test_a_stopped_idle_worker_does_not_hold_up_the_end() -> None:
    run = _run_script("""
        import os, signal, time
        from inspector.forked_workers import map_forked
        def slow_first(x):
            return (x, os.getpid())
        results = map_forked(slow_first, ((i,) for i in range(4)), 2)
        got = [next(results) for _ in range(4)]
        os.kill(got[0][1], signal.SIGSTOP)
        results.close()
        print("closed", [x for x, _ in got])
    """)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "closed [0, 1, 2, 3]"


def test_a_task_that_cannot_travel_runs_here_in_its_turn() -> None:
    tasks = [(1,), (2,), (lambda: 3,), (4,)]

    def value(x: Any) -> tuple[Any, int]:
        return (x() if callable(x) else x), os.getpid()

    with pytest.raises((pickle.PicklingError, AttributeError)):  # (which: by version)
        pickle.dumps(tasks[2])
    got = list(map_forked(value, iter(tasks), 2))
    assert [v for v, _ in got] == [1, 2, 3, 4]
    assert got[2][1] == PARENT
    assert PARENT not in {got[0][1], got[1][1], got[3][1]}


def test_no_fork_when_a_thread_started_after_the_call() -> None:
    """The check is made again at the fork (the first next), not only at the call."""
    results = batch.map_ordered(_square, _tasks(6), 2, fork=True)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        got = list(results)
    finally:
        stop.set()
        other.join()
    assert got == [(i * i, PARENT) for i in range(6)]


@pytest.mark.parametrize(
    ("soft_pages", "workers", "room"),
    [
        (16384, 2, 1 << 20),  # the usual limit (64 MiB): 1 MiB each
        (16384, 32, 1 << 19),  # a quarter of it shared by 32
        (16384, 300, 0),  # less than a page-full more than the default each: left as is
        (0, 4, 1 << 20),  # no limit
    ],
)
def test_result_pipes_take_at_most_a_quarter_of_the_users_pipe_budget(
    soft_pages: int, workers: int, room: int, tmp_path, monkeypatch
) -> None:
    from inspector import forked_workers

    limit = tmp_path / "pipe-user-pages-soft"
    limit.write_text(f"{soft_pages}\n")
    monkeypatch.setattr(forked_workers, "_PIPE_PAGES_SOFT", str(limit))
    assert forked_workers._room(workers) == room
    monkeypatch.setattr(forked_workers, "_PIPE_PAGES_SOFT", str(tmp_path / "absent"))
    assert forked_workers._room(workers) == 0
