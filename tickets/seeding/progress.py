"""A text progress bar: done, per cent, rows a second and the time left.

On a terminal it redraws one line; elsewhere (a log file, a pipe) it writes a line
every tenth of the way, so that the log stays readable.
"""

import time
from datetime import timedelta

WIDTH = 30


class Progress:
    def __init__(self, stream, total: int, unit: str = "rows", clock=time.monotonic):
        self.stream, self.total, self.unit, self.clock = stream, total, unit, clock
        self.done = 0
        self.started = clock()
        self.redraw = hasattr(stream, "isatty") and stream.isatty()
        self._next_line = 0.0
        self._open_line = False  # the bar is drawn and the cursor still on its line

    def advance(self, count: int) -> None:
        self.done += count
        fraction = self.done / self.total if self.total else 1.0
        if self.redraw:
            self._write("\r" + self.line())
            self._open_line = True
        elif fraction >= self._next_line or self.done >= self.total:
            self._next_line = fraction + 0.1
            self._write(self.line() + "\n")

    def say(self, message: str) -> None:
        """A line of its own, below the bar."""
        self.finish()
        self._write(message + "\n")

    def finish(self) -> None:
        if self._open_line:
            self._write("\n")
            self._open_line = False

    def line(self) -> str:
        fraction = self.done / self.total if self.total else 1.0
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0
        bar = "#" * int(WIDTH * fraction)
        return (
            f"[{bar:<{WIDTH}}] {fraction:4.0%}  {self.done:,}/{self.total:,} {self.unit}  "
            f"{rate:,.0f} {self.unit}/s  ETA {timedelta(seconds=round(left))}"
        )

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()
