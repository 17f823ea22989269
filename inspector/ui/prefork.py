"""Fork a child for the first inspection before anything heavy is imported.

Kept tiny on purpose (``os`` and ``sys`` only): :func:`inspector.ui.app.main` calls it first
thing, so the child starts importing the codec (and ``cryptography``) on another core while
this process imports Qt and builds the window. The child reports through a pipe only and
never touches Qt. See :class:`inspector.ui.jobs.ForkedInspection` for the parent's side.
The child inherits automatic garbage collection switched off (``main`` does that first); it
lives for one inspection and exits with ``os._exit``, so it never collects at all.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable


def fork_worker(work: Callable[[], bytes]) -> tuple[int, int] | None:
    """Run ``work`` in a forked child; return ``(pid, read_fd)`` of the pipe its bytes come
    through, or ``None`` where forking is not safe: only on Linux, and only while this process
    has a single thread and has not loaded Qt."""
    import threading

    if (
        not sys.platform.startswith("linux")
        or threading.active_count() != 1
        or any(m.startswith(("PySide6", "shiboken6")) for m in sys.modules)
    ):
        return None
    cpu = _current_cpu()
    try:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # pragma: no cover - the child; it reports through the pipe only
        try:
            _leave_cpu(cpu)
            os.close(read_fd)
            view = memoryview(work())
            while view:
                view = view[os.write(write_fd, view) :]
        finally:
            os._exit(0)
    os.close(write_fd)
    return pid, read_fd


def _current_cpu() -> int | None:
    """The processor this process last ran on (field 39 of ``/proc/self/stat``), or ``None``."""
    try:
        with open("/proc/self/stat", "rb") as stat:
            # After the command name (in parentheses, which may hold anything) come fields 3...
            fields = stat.read().rsplit(b")", 1)[1].split()
        return int(fields[39 - 3])
    except (OSError, IndexError, ValueError):
        return None


def _leave_cpu(cpu: int | None) -> None:
    """Keep the child off processor ``cpu`` (the window's), when there is another to run on.

    Forked, the child starts beside its parent, and when the machine's other processor is
    busy the scheduler leaves the two sharing one processor (3 tasks on 2: moving either
    would not even out the load), so the window is built at half speed while the codec is
    imported. Kept off it, the child shares the busy processor instead and the window's is
    the parent's own. On an idle machine the child runs on another processor anyway."""
    if cpu is None:
        return
    try:
        others = os.sched_getaffinity(0) - {cpu}
        if others:
            os.sched_setaffinity(0, others)
    except (AttributeError, OSError, ValueError):
        pass
