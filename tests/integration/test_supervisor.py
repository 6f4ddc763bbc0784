"""`python -m bot run` stops everything when one part dies, and says which."""
import os
import signal
import time

import pytest

from tests.integration.stack import Stack

pytestmark = pytest.mark.stack


def test_when_the_action_server_dies_the_runner_says_so_and_stops(tmp_path):
    stack = Stack(tmp_path / "var").start()
    try:
        os.kill(stack.pid_of("actions"), signal.SIGKILL)
        stack.proc.wait(timeout=60)
        assert stack.proc.returncode == 1
        time.sleep(0.5)
        log = stack.log()
        assert "actions stopped unexpectedly" in log
        assert "stopped." in log
    finally:
        stack.stop()


def test_sigterm_stops_every_process_cleanly(tmp_path):
    stack = Stack(tmp_path / "var").start()
    pids = [stack.pid_of(name) for name in ("actions", "rasa", "gateway")]
    assert stack.stop() == 0
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


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
