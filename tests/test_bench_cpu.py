"""bench.cpu: the burst bench's processor accounting counts a process group's time, a child that has
already exited included (docs/benchmarks.md, the deadline-day burst)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from bench.cpu import Meter, _processes, group_seconds

BURN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"


def test_an_exited_child_is_counted_in_its_parent_group():
    with Meter({"bench": os.getpid()}) as meter:
        subprocess.run([sys.executable, "-c", BURN], check=True)
    assert meter.seconds["bench"] >= 0.25  # the child's 0.3 s, reaped into this process's cutime
    assert meter.seconds["bench_children"] >= 0.25
    assert meter.seconds["machine_busy"] >= 0.25
    assert meter.per(10)["bench"] >= 25  # ms a unit of work
    assert meter.per(0) == {}  # a phase with no work done (a burst with nothing acknowledged)


def test_a_live_child_is_counted_with_its_root():
    child = subprocess.Popen([sys.executable, "-c", BURN + "\ninput()"], stdin=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while group_seconds(child.pid) < 0.25:  # it burns, then waits for its input
            assert child.poll() is None and time.monotonic() < deadline
        processes = _processes()
        me, own, reaped = os.getpid(), processes[os.getpid()][1], processes[os.getpid()][2]
        assert group_seconds(me, processes) - own - reaped >= 0.25  # the live child's, walked to
    finally:
        child.communicate(b"\n", timeout=30)


def test_a_process_that_is_gone_counts_nothing():
    assert group_seconds(2**22 + 12345) == 0.0  # above Linux's largest pid
