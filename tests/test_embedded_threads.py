"""The embedded server takes as many threads as cores are free when it starts, or what POW_EXTRACT_THREADS says."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from pow_extract.model.embedded import THREADS_ENV, busy_cores, server_threads
from pow_extract.records.errors import BackendError

# /proc/stat lines: user nice system idle iowait irq softirq steal
BEFORE = "cpu  300 0 0 300 0 0 0 0\ncpu0 100 0 0 200 0 0 0 0\ncpu1 200 0 0 100 0 0 0 0\nintr 1 2 3\n"

# (what happened between the snapshots, the second snapshot, the CPUs asked about, busy cores)
SNAPSHOTS: list[tuple[str, str, set[int] | None, float]] = [
    ("both idle", "cpu0 100 0 0 300 0 0 0 0\ncpu1 200 0 0 200 0 0 0 0\n", None, 0.0),
    ("cpu1 fully busy", "cpu0 100 0 0 300 0 0 0 0\ncpu1 300 0 0 100 0 0 0 0\n", None, 1.0),
    ("both busy, half in the kernel", "cpu0 150 0 50 200 0 0 0 0\ncpu1 250 0 50 100 0 0 0 0\n", None, 2.0),
    ("cpu0 half busy", "cpu0 150 0 0 250 0 0 0 0\ncpu1 200 0 0 200 0 0 0 0\n", None, 0.5),
    ("waiting for the disk is idle", "cpu0 100 0 0 200 100 0 0 0\ncpu1 200 0 0 200 0 0 0 0\n", None, 0.0),
    ("only the CPUs this process may use count", "cpu0 100 0 0 300 0 0 0 0\ncpu1 300 0 0 100 0 0 0 0\n", {0}, 0.0),
    ("blank and cut-short lines are skipped", "\ncpu0 100 0 0 300 0 0 0 0\ncpu1 300 0\n", None, 0.0),
]  # fmt: skip


@pytest.mark.parametrize(("after", "cpus", "busy"), [s[1:] for s in SNAPSHOTS], ids=[s[0] for s in SNAPSHOTS])
def test_busy_cores_are_read_from_two_snapshots_of_proc_stat(after: str, cpus: set[int] | None, busy: float) -> None:
    assert busy_cores(BEFORE, after, cpus) == pytest.approx(busy)


def test_the_environment_variable_fixes_the_thread_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(THREADS_ENV, "3")
    assert server_threads() == 3


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5"])
def test_a_thread_count_that_is_not_a_whole_number_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(THREADS_ENV, value)
    with pytest.raises(BackendError, match=THREADS_ENV):
        server_threads()


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2 or not os.path.exists("/proc/stat"),
    reason="needs Linux and two CPUs",
)
def test_a_core_kept_busy_by_another_process_is_left_to_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(THREADS_ENV, raising=False)
    cpus = len(os.sched_getaffinity(0))
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.3)
        assert server_threads(sample=0.5) <= min(cpus, 8) - 1
    finally:
        spinner.kill()
        spinner.wait()
