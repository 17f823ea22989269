"""Many inspections: :func:`inspect_many` runs them in worker processes, in order, streaming.

Used by the window (its helper process for huge input, :mod:`inspector.ui.jobs`) and by bulk
audits on the command line, so it imports neither Qt nor any front end.

Why it is not in :mod:`inspector.core`: the codec is a pure function of text, keys and a clock
(no threads, processes or files). Running it in processes is a way of *calling* it, like the
window's worker thread, and belongs beside it.

How it runs:

- ``jobs=1`` without a pool: in this process, one text at a time (no process is started).
- Otherwise in an :class:`InspectionPool`: worker processes started on first need and reused
  for every later text (and every later call given the same pool), always spawned: forking
  a process that runs threads (the window's Qt threads, the pool's own management thread)
  can copy a lock held by another thread and hang the child.
- The command line, which runs no other thread, calls :func:`map_ordered` with ``fork=True``:
  on Linux its workers are forked and fed through pipes by the calling thread alone
  (:mod:`inspector.forked_workers`), and begin with the codec already imported instead of
  importing it again (each spawned worker's start costs about as much as the parent's own).
- Small texts travel in chunks (up to :data:`CHUNK_TEXTS` texts or :data:`CHUNK_CHARS`
  characters), so the cost of a round trip is shared; a huge text travels alone.
- At most :data:`AHEAD_PER_WORKER` chunks per worker are in flight. The input is read only
  that far ahead of what has been yielded, so memory stays bounded however long the input
  is, and the first results come before the input ends.
- If the processes cannot be started or one dies (``BrokenProcessPool``, an ``OSError``), the
  chunks concerned and the rest of that call's input are inspected here instead: slower, but
  the same answers; the pool starts afresh on its next use (the next call).
- If reading the input raises, the results of every text read before it are yielded
  first, then the same error is raised, as one text at a time would: a reader stops at the
  error, not at the read-ahead before it. (If ``options`` raises for a text, the chunks
  before that text's chunk are yielded first.)

Results are yielded in input order. Each is the codec's ``Inspection`` (it pickles: frozen
dataclasses, tuples and ``functools.partial`` of module-level functions), or what ``finish``
makes of it in the worker process (the window lays its panes out there, so its GUI thread
never spends the GIL on megabytes).
"""

from __future__ import annotations

import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING, Any

from inspector.core.options import InspectOptions

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

    from inspector.core.model import Inspection

__all__ = ["InspectionPool", "chunk_texts", "inspect_many", "inspect_texts", "map_ordered"]

#: Chunks in flight per worker process: one running, one waiting, so a worker never idles
#: between chunks, and no more (each waiting chunk holds its texts in memory).
AHEAD_PER_WORKER = 2
#: At most this many texts travel to a worker as one task (each task costs the calling
#: process a few hundred microseconds of queues and threads: at 32 texts, a fifth of what it
#: spent on a log of short tokens; at 128, a few milliseconds of work per task)...
CHUNK_TEXTS = 128
#: ... and at most this many characters (a longer text travels alone).
CHUNK_CHARS = 64_000

#: What the worker makes of each result: ``finish(text, inspection)``; must pickle (a
#: module-level function, or ``functools.partial`` of one).
Finish = Callable[[str, "Inspection"], Any]


class InspectionPool:
    """Worker processes for inspections: started on first use, reused until :meth:`close`.

    Thread-safe (the window submits from its worker thread). Usable as a context manager.
    """

    def __init__(self, workers: int) -> None:
        if type(workers) is not int or workers < 1:
            raise ValueError(f"workers must be a whole number >= 1, not {workers!r}")
        self.workers = workers
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None

    def _submit(
        self, fn: Callable[..., Any], /, *args: Any
    ) -> tuple[Future[Any], ProcessPoolExecutor] | None:
        """Run ``fn(*args)`` in a worker: its future and the executor running it, or ``None``
        if no worker process can be had."""
        from concurrent.futures import BrokenExecutor

        try:
            executor = self._get()
        except (OSError, ImportError):  # no semaphores or pipes here (a sandbox)
            return None
        try:
            return executor.submit(fn, *args), executor
        except (BrokenExecutor, OSError, RuntimeError):
            self._forget(executor)
            return None

    def _get(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._executor is None:
                # Imported here: the window imports this module lazily, and a pool is
                # rarely needed at all.
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                )
            return self._executor

    def _forget(self, executor: ProcessPoolExecutor) -> None:
        """Drop ``executor`` (broken) if it is still the current one; the next submission
        starts a fresh one."""
        with self._lock:
            if self._executor is not executor:
                return
            self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the worker processes (waiting for the running tasks; queued ones are dropped)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> InspectionPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Options for each text, decided in the calling process (keys fetched per issuer, issue 13).
OptionsFor = Callable[[str], InspectOptions]


def inspect_many(
    texts: Iterable[str],
    options: InspectOptions | OptionsFor,
    jobs: int = 1,
    *,
    finish: Finish | None = None,
    pool: InspectionPool | None = None,
) -> Iterator[Any]:
    """Inspect each text with ``options``; yield the results in input order as they are ready.

    ``jobs`` worker processes are started for this call (and stopped when the generator is
    exhausted or closed), unless ``pool`` is given: its processes are used and left running.
    ``jobs=1`` without a pool inspects in this process. ``options.now`` ``None`` is read once
    here: the whole batch is judged at one instant. ``finish(text, inspection)``, when given,
    runs where the inspection ran and its return value is yielded instead.

    ``options`` may instead be a function giving each text its options, called here in the
    calling process as the text is read (the command line's ``--discover`` gives each token
    its own issuer's keys); a ``now`` it leaves ``None`` is the batch's one instant too. The
    options travel with each chunk (pickled once per chunk however many texts share them).

    Never raises for any text; ``ValueError`` for ``jobs`` < 1 (at the call, not on first use).
    What iterating ``texts`` raises is raised after the results of the texts before it.
    """
    if type(jobs) is not int or jobs < 1:
        raise ValueError(f"jobs must be a whole number >= 1, not {jobs!r}")
    if not isinstance(options, InspectOptions):
        options = partial(_at_one_instant, options, time.time())
    elif options.now is None:
        options = replace(options, now=time.time())
    if pool is None and jobs == 1:
        return _here(texts, options, finish)
    return _in_pool(texts, options, finish, pool or InspectionPool(jobs), own=pool is None)


def _at_one_instant(options_for: OptionsFor, now: float, text: str) -> InspectOptions:
    options = options_for(text)
    return options if options.now is not None else replace(options, now=now)


def _chunk_options(
    options: InspectOptions | OptionsFor, texts: list[str]
) -> InspectOptions | list[InspectOptions]:
    """One options value for the chunk, or one per text."""
    return options if isinstance(options, InspectOptions) else [options(t) for t in texts]


def _here(
    texts: Iterable[str], options: InspectOptions | OptionsFor, finish: Finish | None
) -> Iterator[Any]:
    """Inspect each text here as it is read (the loop of :func:`_run_chunk` without chunks:
    a log of short tokens spends a good part of each one's time in the loop)."""
    from inspector.core.inspection import inspect_with

    for text in texts:
        inspection = inspect_with(
            text, options if isinstance(options, InspectOptions) else options(text)
        )
        yield inspection if finish is None else finish(text, inspection)


def _run_chunk(
    texts: list[str],
    options: InspectOptions | list[InspectOptions],
    finish: Finish | None,
) -> list[Any]:
    """Inspect a chunk (in a worker process, or here when none can be had) with one options
    value for all its texts, or one each."""
    inspections = inspect_texts(texts, options)
    if finish is None:
        return inspections
    return [finish(text, inspection) for text, inspection in zip(texts, inspections, strict=True)]


def inspect_texts(
    texts: list[str], options: InspectOptions | list[InspectOptions]
) -> list[Inspection]:
    """Each text inspected with ``options``, one value for all (stage by stage:
    ``inspection.inspect_all``) or one each (a text at a time)."""
    from inspector.core.inspection import inspect_all, inspect_with

    if isinstance(options, InspectOptions):
        return inspect_all(texts, options)
    return [inspect_with(text, o) for text, o in zip(texts, options, strict=True)]


def chunk_texts(texts: Iterable[str]) -> Iterator[list[str]]:
    """The texts in chunks (up to :data:`CHUNK_TEXTS` texts or :data:`CHUNK_CHARS`
    characters; the command line cuts what it reads ahead with it too). When reading the
    input raises (the command line's log line that
    is not UTF-8), the texts read before it come first, as the last chunk, and the error
    next: one text at a time, they would have been inspected."""
    chunk: list[str] = []
    size = 0
    try:
        for text in texts:
            if chunk and (len(chunk) >= CHUNK_TEXTS or size + len(text) > CHUNK_CHARS):
                yield chunk
                chunk, size = [], 0
            chunk.append(text)
            size += len(text)
    except Exception as err:
        if chunk:
            yield chunk
        raise err
    if chunk:
        yield chunk


def _in_pool(
    texts: Iterable[str],
    options: InspectOptions | OptionsFor,
    finish: Finish | None,
    pool: InspectionPool,
    *,
    own: bool,
) -> Iterator[Any]:
    # (a generator: what reading the texts or deciding their options raises is raised by
    # next(tasks), after the chunks before it; see _ordered)
    tasks = ((chunk, _chunk_options(options, chunk), finish) for chunk in chunk_texts(texts))
    for results in _ordered(_run_chunk, tasks, pool, own=own):
        yield from results


def map_ordered(
    fn: Callable[..., Any], tasks: Iterable[tuple[Any, ...]], jobs: int, *, fork: bool = False
) -> Iterator[Any]:
    """``fn(*task)`` for each task, in ``jobs`` worker processes started for this call, the
    results yielded in the tasks' order, at most :data:`AHEAD_PER_WORKER` tasks per worker
    in flight; ``jobs=1``: here, one task at a time. ``fn`` and the tasks must pickle.
    With ``fork`` true, on a system that allows it and with no other thread running here
    (see the module), the workers are forked and fed through pipes by this thread alone
    (:mod:`inspector.forked_workers`: no threads, no executor); otherwise they are an
    :class:`InspectionPool`'s, spawned.

    For a caller that cuts its input into tasks itself (the command line sends a log's
    bytes, a block of lines per task, and gets back each block's finished reports as one
    bytes object, so that it does no work per token). What iterating ``tasks`` raises is
    raised after the results of the tasks before it; a worker that dies costs time, not
    answers (its tasks run here), as in :func:`inspect_many`.
    """
    if type(jobs) is not int or jobs < 1:
        raise ValueError(f"jobs must be a whole number >= 1, not {jobs!r}")
    if jobs == 1:
        return (fn(*task) for task in tasks)
    if fork and _fork_is_safe_here():
        from inspector.forked_workers import map_forked

        return map_forked(fn, iter(tasks), jobs)
    return _ordered(fn, iter(tasks), InspectionPool(jobs), own=True)


def _fork_is_safe_here() -> bool:
    """Whether workers may be forked here: on Linux (macOS's system libraries are not safe
    to use in a forked child, and Windows cannot fork), with no other thread running (its
    locks would be copied as they are)."""
    return sys.platform.startswith("linux") and threading.active_count() == 1


def next_task(tasks: Iterator[tuple[Any, ...]]) -> tuple[tuple[Any, ...] | None, Exception | None]:
    """The next task (``None`` at the end of the input), and what reading it raised
    (``None``, or the error, kept to be raised again once the results of every task read
    before it are yielded, as one text at a time they would have been)."""
    try:
        return next(tasks, None), None
    except Exception as err:  # noqa: BLE001 - the caller raises it again, never lost
        return None, err


#: No result yet (a task's result may be anything).
_NONE = object()


def _ordered(
    fn: Callable[..., Any],
    tasks: Iterator[tuple[Any, ...]],
    pool: InspectionPool,
    *,
    own: bool,
) -> Iterator[Any]:
    """``fn(*task)`` for each task in ``pool``'s workers, yielded in order (see the module:
    bounded read-ahead, a broken pool's tasks run here, an input error raised after the
    results before it)."""
    from concurrent.futures import BrokenExecutor, CancelledError

    ahead = pool.workers * AHEAD_PER_WORKER
    in_flight: deque[tuple[tuple[Any, ...], tuple[Future[Any], ProcessPoolExecutor] | None]] = (
        deque()
    )
    broken = False
    # What reading the input raised: raised again once every task read before it is
    # yielded (one text at a time, their results would have been), and nothing more is read.
    error: Exception | None = None
    try:
        while True:
            while error is None and len(in_flight) < ahead:
                task, error = next_task(tasks)
                if task is None:
                    break
                submitted = None if broken else pool._submit(fn, *task)
                broken = broken or submitted is None
                in_flight.append((task, submitted))
            if not in_flight:
                if error is not None:
                    raise error
                return
            task, submitted = in_flight.popleft()
            result: Any = _NONE
            if submitted is not None:
                future, executor = submitted
                try:
                    result = future.result()
                except (BrokenExecutor, OSError):
                    # Workers that died once (or could not start: a main module they cannot
                    # import) would again: the rest of this call runs here.
                    pool._forget(executor)
                    broken = True
                except CancelledError:
                    pass  # the pool was closed meanwhile (the app is quitting)
            if result is _NONE:  # no worker could run it: run it here
                result = fn(*task)
            del task, submitted
            yield result
            del result
    finally:
        for _, pending in in_flight:
            if pending is not None:
                pending[0].cancel()
        if own:
            pool.close()
