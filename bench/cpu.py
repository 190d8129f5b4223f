"""Where a bench phase's processor time went (bench/burst.py): read from /proc before and after.

A group is a process and every process below it. A child that exits during the phase (a pgbench
connection's backend) is counted too: its time is added to its parent's cutime/cstime when the parent
reaps it. The machine's busy time is /proc/stat's non-idle time over every core.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own seconds, reaped children's seconds) of one process, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name may hold spaces and parentheses
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(v) for v in fields[11:15])
    return ppid, (utime + stime) / TICK, (cutime + cstime) / TICK


def _processes() -> dict[int, tuple[int, float, float]]:
    found = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (stat := _stat(int(name))) is not None:
            found[int(name)] = stat
    return found


def _below(root: int, processes: dict[int, tuple[int, float, float]]) -> set[int]:
    """The pids of `root` and everything below it."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _own, _reaped) in processes.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = set(), [root]
    while todo:
        pid = todo.pop()
        if pid in processes:
            found.add(pid)
            todo.extend(children.get(pid, []))
    return found


def group_seconds(root: int, processes: dict[int, tuple[int, float, float]] | None = None) -> float:
    """Processor seconds of `root` and everything below it, reaped children included."""
    processes = processes if processes is not None else _processes()
    # A process's reaped children are gone from the list, so their time is never counted twice.
    return sum(processes[pid][1] + processes[pid][2] for pid in _below(root, processes))


def _machine() -> tuple[float, float]:
    """(busy, all) processor seconds of the whole machine since boot."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    return (sum(values[:8]) - idle) / TICK, sum(values[:8]) / TICK


@dataclass
class Meter:
    """Processor seconds of named process groups (name → root pid) over one phase."""

    roots: dict[str, int]

    def __enter__(self) -> Meter:
        self._before = self._read()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = {k: round(v - self._before[k], 3) for k, v in self._read().items()}

    def _read(self) -> dict[str, float]:
        # /proc is read a process at a time, a parent before its children: a child reaped in between
        # would be in neither (not yet in the parent's cutime, its own stat gone). Read until two reads
        # list the same processes below every root.
        processes = _processes()
        for _ in range(10):
            again = _processes()
            if all(_below(root, again) == _below(root, processes) for root in self.roots.values()):
                break
            processes = again
        read = {name: group_seconds(pid, processes) for name, pid in self.roots.items()}
        times = os.times()
        read["bench_process"] = times.user + times.system  # the clients' threads (or nothing but waiting)
        read["bench_children"] = times.children_user + times.children_system  # reaped: pgbench
        read["machine_busy"], read["machine_all"] = _machine()
        return read

    def per(self, n: int) -> dict[str, float]:
        """Milliseconds of each group per unit of work (a submission); empty when there was none."""
        if not n:
            return {}
        return {k: round(1000 * v / n, 2) for k, v in self.seconds.items() if k != "machine_all"}


def postmaster(data_directory: os.PathLike) -> int:
    with open(os.path.join(data_directory, "postmaster.pid")) as f:
        return int(f.readline())
