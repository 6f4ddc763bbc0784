"""`python -m bot run` restarts a process that dies, gives up on one that dies too often, and
leaves nothing behind. Killing the action server and a Rasa worker, and SIGTERM with a turn in
flight, are in test_faults.py (they share one stack there)."""
import os
import re
import signal
import time

import pytest
import requests

from bot import runner
from tests.integration.stack import Stack

pytestmark = pytest.mark.stack


def pids_of(stack: Stack, name: str) -> list[int]:
    """Every pid the process had, in order ("started" and "restarted NAME (pid N)")."""
    return [int(m.group(1)) for line in list(stack.lines)
            for m in [re.search(rf"started {name} \(pid (\d+)\)", line)] if m]


def wait_for(condition, timeout: float, what: str, stack: Stack):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"{what} not within {timeout} s:\n{stack.log()}")


def test_a_dead_process_is_restarted_and_one_that_dies_too_often_stops_everything(tmp_path):
    stack = Stack(tmp_path / "var").start()
    try:
        others = [stack.pid_of(name) for name in ("actions", "rasa")]
        # The gateway too is restarted alone (seconds) rather than the whole (a minute).
        first = stack.pid_of("gateway")
        os.kill(first, signal.SIGKILL)
        wait_for(lambda: [ln for ln in stack.lines if "gateway is back" in ln], 120,
                 "the gateway back", stack)
        assert requests.get(f"{stack.url}/healthz", timeout=10).status_code == 200
        died = [ln for ln in stack.lines if "gateway died" in ln]
        assert died == ["klik    | gateway died unexpectedly (killed by SIGKILL); restarting it "
                        "in 1 s (1 of 5 deaths in 120 s before giving up)."], died
        assert [stack.pid_of(name) for name in ("actions", "rasa")] == others  # left alone

        # Four more deaths within two minutes: the runner gives up, stops all, exit code 1.
        for n in range(2, runner.RESTART_LIMIT + 1):
            pid = wait_for(lambda: pids_of(stack, "gateway")[n - 1:], 60,
                           f"gateway start {n}", stack)[0]
            os.kill(pid, signal.SIGKILL)
        assert stack.proc.wait(timeout=90) == 1
        time.sleep(0.5)  # the last lines
        log = stack.log()
        assert f"gateway died (killed by SIGKILL), {runner.RESTART_LIMIT} times in 120 s: " \
               "giving up, stopping everything (exit code 1)." in log
        assert log.rstrip().endswith("stopped.")
        for pid in others:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        stack.stop()


def test_children_stop_when_the_runner_itself_is_killed(tmp_path):
    stack = Stack(tmp_path / "var").start()
    pids = [stack.pid_of(name) for name in ("actions", "rasa", "gateway")]
    stack.proc.kill()  # SIGKILL: the runner gets no chance to clean up
    stack.proc.wait()
    deadline = time.monotonic() + 30
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.5)
        alive = [pid for pid in pids if _alive(pid)]
    assert not alive, f"left behind: {alive}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as stopped.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
