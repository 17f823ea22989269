"""The child forked at launch stays off the processor the window is built on, when there is
another (inspector.ui.prefork); run in fresh interpreters, since forking is refused once Qt
is loaded, as it is in this test process."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the launch forks on Linux only"
)

CHILD = r"""
import json, os
from inspector.ui.prefork import fork_worker

parent = sorted(os.sched_getaffinity(0))
pid, fd = fork_worker(lambda: json.dumps(sorted(os.sched_getaffinity(0))).encode())
data = b""
while chunk := os.read(fd, 4096):
    data += chunk
os.waitpid(pid, 0)
print(json.dumps([parent, json.loads(data), sorted(os.sched_getaffinity(0))]))
"""


def run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_the_current_cpu_is_one_this_process_may_run_on() -> None:
    from inspector.ui.prefork import _current_cpu

    cpu = _current_cpu()
    assert cpu is not None
    assert cpu in os.sched_getaffinity(0)


def test_the_child_runs_on_the_other_processors_and_the_parent_keeps_all() -> None:
    parent, child, after = json.loads(run(CHILD))
    assert after == parent  # the parent itself is not pinned
    if len(parent) > 1:
        assert len(child) == len(parent) - 1
        assert set(child) < set(parent)
    else:  # one processor: nowhere else to go
        assert child == parent


def test_leaving_a_cpu_keeps_at_least_one() -> None:
    code = (
        "import os\n"
        "from inspector.ui.prefork import _leave_cpu\n"
        "cpus = sorted(os.sched_getaffinity(0))\n"
        "os.sched_setaffinity(0, cpus[:1])\n"
        "_leave_cpu(cpus[0])\n"  # the only one allowed: stays
        "print(sorted(os.sched_getaffinity(0)) == cpus[:1])\n"
        "_leave_cpu(None)\n"
        "print(sorted(os.sched_getaffinity(0)) == cpus[:1])\n"
    )
    assert run(code).split() == ["True", "True"]
