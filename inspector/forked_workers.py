"""Worker processes forked from this one and fed through pipes: :func:`map_forked`.

For the command line's bulk audit (``inspect --jobs N``, through
:func:`inspector.batch.map_ordered`): it runs no other thread, so its workers may be forked,
and they start with everything it imported. ``concurrent.futures`` would do the same job
with two threads in this process (one feeding the workers, one collecting their results)
through which every task and result passes, after importing itself and ``multiprocessing``.
Here this process alone writes each task to its worker's pipe and reads the results from
theirs, waiting in one ``poll`` when neither can go on. Measured on 20,000 tokens with
``--jobs 2`` (issue 17, both byte-compiled, four pairs): ~250 thread switches in this
process instead of ~1,650 and about 0.05 s less of its processor; the run's wall time did
not change measurably (the workers' own work is nearly all of it).

The contract is :func:`~inspector.batch.map_ordered`'s:

- results in the tasks' order; a task goes to the worker with the fewest in flight, at most
  :data:`AHEAD_PER_WORKER` each, so the input is read only that far ahead (streaming);
- a task whose worker died before answering, or raised (``MemoryError`` there, say), is run
  here: the same answer, or the same error raised here with its own traceback; a dead
  worker gets no more tasks, and with none left every task runs here;
- what reading the tasks raises is raised after the results of every task before it.

A frame on a pipe is 8 bytes of length (little-endian) and that many bytes of pickle; a
worker answers a task it could not finish with an empty frame. Workers ignore Ctrl-C (the
terminal sends it to them too): this process kills and reaps them as the generator ends,
however it ends, and a worker whose task pipe closes (this process died) exits.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from inspector.batch import next_task

__all__ = ["AHEAD_PER_WORKER", "map_forked"]

#: Tasks in flight per worker: one running, one waiting in its pipe, so a worker never idles
#: between tasks, and no more (each waiting task holds its texts in memory).
AHEAD_PER_WORKER = 2
#: A worker's result pipe is asked for this much room (Linux allows up to 1 MiB
#: unprivileged; see _room): a block's reports (~0.6 MB for 170 tokens in JSON) then pass in
#: one write instead of one per 64 KiB, each waking this process (~1,000 thread switches
#: fewer per 20,000 tokens). Task pipes keep the default: a block is 64 KB.
PIPE_BYTES = 1 << 20
_DEFAULT_PIPE_BYTES = 1 << 16
_PIPE_PAGES_SOFT = "/proc/sys/fs/pipe-user-pages-soft"
_LENGTH = 8
#: The answer of a worker that could not finish a task (or died before answering): run it here.
_HERE = object()


class _Worker:
    """A forked worker as this process sees it: its pid, the pipe it reads tasks from and
    the one it writes results to, what is still to be written to it, and what it sent."""

    __slots__ = (
        "alive", "body", "filled", "head", "outbox", "pending", "pid", "queued", "results",
        "results_fd", "tasks_fd",
    )  # fmt: skip

    def __init__(self, pid: int, tasks_fd: int, results_fd: int) -> None:
        self.pid = pid
        self.tasks_fd = tasks_fd
        self.results_fd = results_fd
        self.alive = True
        #: Frames to write to the worker, the first maybe partly written.
        self.outbox: deque[memoryview] = deque()
        #: The length of the frame being read, as far as read; then its bytes (``body``),
        #: of which ``filled`` are read.
        self.head = bytearray()
        self.body: bytearray | None = None
        self.filled = 0
        #: How many tasks it was sent that it has not answered ...
        self.pending = 0
        #: ... and that were not yielded yet (at most AHEAD_PER_WORKER).
        self.queued = 0
        #: Its answers not taken yet (pickles, or _HERE), in order.
        self.results: deque[Any] = deque()


def map_forked(
    fn: Callable[..., Any], tasks: Iterator[tuple[Any, ...]], workers: int
) -> Iterator[Any]:
    """``fn(*task)`` for each task, in ``workers`` processes forked at the first ``next``,
    the results yielded in order (see the module). Only for a caller with no other thread
    running (forking copies locks held by others), on a system that can fork; ``fn`` is
    inherited, not pickled, and a task or result that does not pickle is run here. Closing
    the generator stops the workers."""
    pool: list[_Worker] = []
    try:
        _start(fn, workers, pool)
        yield from _ordered(fn, tasks, pool)
    finally:
        _stop(pool)


#: The pipe ends this process holds for workers of every call still running: a child forked
#: later (by a second call, or by whatever the tasks' reading forks) closes them, so that a
#: worker sees its task pipe end when its own caller closes it.
_HELD: set[int] = set()


def _start(fn: Callable[..., Any], workers: int, pool: list[_Worker]) -> None:
    """Fork the workers into ``pool`` (fewer if the system refuses more; none at all is
    allowed: every task then runs here, as when another thread has started since the
    caller checked: forking then could copy a lock that thread holds)."""
    if threading.active_count() != 1:
        return
    # What this process buffered would be written again by each child's copy of the buffer
    # (were it ever flushed there): written now.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    room = _room(workers)
    for _ in range(workers):
        try:
            task_read, task_write = os.pipe()
            result_read, result_write = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            for fd in (task_read, task_write, result_read, result_write):
                os.close(fd)
            return
        if pid == 0:  # pragma: no cover - the child (its coverage is not collected)
            try:
                for fd in (*_HELD, task_write, result_read):
                    os.close(fd)
                _HELD.clear()
                _work(fn, task_read, result_write)
            finally:
                os._exit(0)
        os.close(task_read)
        os.close(result_write)
        _HELD.update((task_write, result_read))
        if room:
            _widen(result_read, room)
        os.set_blocking(task_write, False)
        os.set_blocking(result_read, False)
        pool.append(_Worker(pid, task_write, result_read))


def _room(workers: int) -> int:
    """The room to ask for in each worker's result pipe: :data:`PIPE_BYTES`, or less so that
    all of them take at most a quarter of what the system lets one user's pipes hold beyond
    the default (``pipe-user-pages-soft``: past it, every new pipe of the user's, in any
    program, gets a single page); 0: leave them as they are."""
    try:
        with open(_PIPE_PAGES_SOFT, "rb") as f:
            soft = int(f.read()) * 4096
    except (OSError, ValueError):
        return 0
    room = min(PIPE_BYTES, soft // 4 // workers) if soft else PIPE_BYTES
    return room if room > _DEFAULT_PIPE_BYTES else 0


def _widen(fd: int, room: int) -> None:
    """Ask for ``room`` bytes in a pipe (Linux; refused: as is)."""
    import fcntl

    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setpipe is not None:
        try:
            fcntl.fcntl(fd, setpipe, room)
        except OSError:
            pass


def _work(fn: Callable[..., Any], task_fd: int, result_fd: int) -> None:  # pragma: no cover
    """A worker's life: read a task, answer it, until its pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with open(task_fd, "rb") as tasks, open(result_fd, "wb") as results:
        while len(head := tasks.read(_LENGTH)) == _LENGTH:
            task = pickle.loads(tasks.read(int.from_bytes(head, "little")))
            try:
                answer = pickle.dumps(fn(*task), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - run again in the parent, which raises it there
                answer = b""
            del task
            results.write(len(answer).to_bytes(_LENGTH, "little"))
            results.write(answer)
            results.flush()


def _ordered(
    fn: Callable[..., Any], tasks: Iterator[tuple[Any, ...]], pool: list[_Worker]
) -> Iterator[Any]:
    # Each task in flight and the worker it went to (None: it runs here).
    in_flight: deque[tuple[tuple[Any, ...], _Worker | None]] = deque()
    # What reading the input raised: raised again once every task read before it is
    # yielded, and nothing more is read.
    error: Exception | None = None
    while True:
        while error is None:
            alive = [w for w in pool if w.alive]
            free = [w for w in alive if w.queued < AHEAD_PER_WORKER]
            if alive and not free:
                break  # every worker has its fill
            task, error = next_task(tasks)
            if task is None:
                break
            worker = min(free, key=_load) if free else None
            if worker is not None:
                try:
                    frame = pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL)
                except Exception:  # noqa: BLE001 - a task that cannot travel is run here
                    worker = None
            if worker is not None:
                worker.outbox.append(memoryview(len(frame).to_bytes(_LENGTH, "little")))
                worker.outbox.append(memoryview(frame))
                worker.pending += 1
                worker.queued += 1
                _send(worker)  # (now, if its pipe has room: it may be waiting for it)
            in_flight.append((task, worker))
            if worker is None:
                break  # (run here, in turn: read no further ahead)
        if not in_flight:
            if error is not None:
                raise error
            return
        task, worker = in_flight.popleft()
        answer: Any = _HERE
        if worker is not None:
            while not worker.results:
                _exchange(pool)
            answer = worker.results.popleft()
            worker.queued -= 1
        result = fn(*task) if answer is _HERE else pickle.loads(answer)
        del task, answer
        yield result
        del result


def _load(worker: _Worker) -> int:
    return worker.queued


def _exchange(pool: list[_Worker]) -> None:
    """Wait until a worker's pipe can take more of its tasks or has more of its results, and
    move what can be moved (a worker found dead: its unanswered tasks run here)."""
    poller = select.poll()
    watched: dict[int, tuple[_Worker, bool]] = {}
    for worker in pool:
        if not worker.alive:
            continue
        if worker.pending:
            poller.register(worker.results_fd, select.POLLIN)
            watched[worker.results_fd] = (worker, False)
        if worker.outbox:
            poller.register(worker.tasks_fd, select.POLLOUT)
            watched[worker.tasks_fd] = (worker, True)
    for fd, _ in poller.poll():
        worker, is_tasks = watched[fd]
        if not worker.alive:
            continue
        if is_tasks:
            _send(worker)
        else:
            try:
                _read_some(worker)
            except OSError:  # its pipe broke: it is gone
                _lost(worker)


def _send(worker: _Worker) -> None:
    """Write what its pipe takes of the worker's tasks, without waiting."""
    try:
        _write_some(worker)
    except OSError:  # (BrokenPipeError: it is gone)
        _lost(worker)


def _write_some(worker: _Worker) -> None:
    outbox = worker.outbox
    while outbox:
        try:
            written = os.write(worker.tasks_fd, outbox[0])
        except BlockingIOError:
            return
        if written == len(outbox[0]):
            outbox.popleft()
        else:
            outbox[0] = outbox[0][written:]


def _read_some(worker: _Worker) -> None:
    """Read what the worker's pipe holds, each frame straight into a buffer of its size
    (a block's reports are copied once on the way, not at every step)."""
    fd = worker.results_fd
    while True:
        body = worker.body
        try:
            if body is None:
                data = os.read(fd, _LENGTH - len(worker.head))
                got = len(data)
                worker.head += data
            else:
                got = os.readv(fd, [memoryview(body)[worker.filled :]])
                worker.filled += got
        except BlockingIOError:
            return
        if not got:  # the worker is gone
            _lost(worker)
            return
        if body is None:
            if len(worker.head) < _LENGTH:
                continue
            size = int.from_bytes(worker.head, "little")
            worker.head.clear()
            if size:
                worker.body, worker.filled = bytearray(size), 0
                continue
            worker.results.append(_HERE)
        elif worker.filled < len(body):
            continue
        else:
            worker.results.append(body)
            worker.body = None
        worker.pending -= 1


def _lost(worker: _Worker) -> None:
    """A worker died (or its pipe broke): the tasks it did not answer run here."""
    worker.alive = False
    worker.results.extend([_HERE] * worker.pending)
    worker.pending = 0
    worker.outbox.clear()
    worker.body = None


def _stop(pool: list[_Worker]) -> None:
    """Close every pipe, stop the workers and reap them. Each is killed, busy or not: what it
    holds is no longer wanted, and waiting for one to see its pipe end could wait for ever
    (one stopped with SIGSTOP; a child forked meanwhile that holds the pipe open)."""
    for worker in pool:
        for fd in (worker.tasks_fd, worker.results_fd):
            _HELD.discard(fd)
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(worker.pid, signal.SIGKILL)
        except OSError:
            pass
    for worker in pool:
        try:
            os.waitpid(worker.pid, 0)
        except OSError:
            pass
