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
