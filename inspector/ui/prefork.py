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
    try:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # pragma: no cover - the child; it reports through the pipe only
        try:
            os.close(read_fd)
            view = memoryview(work())
            while view:
                view = view[os.write(write_fd, view) :]
        finally:
            os._exit(0)
    os.close(write_fd)
    return pid, read_fd
