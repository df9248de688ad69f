"""Helpers for tests that wait on other processes and threads (workers, mail servers)."""

import time


def wait_until(condition, timeout=60, interval=0.1) -> bool:
    """Poll `condition` until it holds; False if it never did within `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return bool(condition())
