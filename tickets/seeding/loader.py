"""Loading one batch while the next is prepared.

On PostgreSQL the batches are loaded by a forked process with its own connection: the
database server writes one batch while Python prepares the next, and both cores work.
A thread would not do: the driver holds the interpreter long enough, while it streams
a COPY, to halve the speed of the thread that prepares. Inline elsewhere: SQLite,
systems without fork, or inside the caller's transaction, which another connection
would not see (the tests').
"""

import multiprocessing
import traceback
from collections.abc import Callable

from django.db import connection


class LoadError(Exception):
    """The loading process failed; the message holds its traceback."""


class Loader:
    """`put(batch)` has `load(batch)` run, in order; `done(batch)` runs in this process
    once the batch is committed."""

    def __init__(self, load: Callable, done: Callable):
        self.load, self.done = load, done
        self.pending = None
        self.forked = (
            connection.vendor == "postgresql"
            and not connection.in_atomic_block
            and "fork" in multiprocessing.get_all_start_methods()
        )
        if self.forked:
            connection.close()  # the child must not share this process's socket
            self.pipe, child_end = multiprocessing.Pipe()
            context = multiprocessing.get_context("fork")
            self.child = context.Process(target=_serve, args=(child_end, load), daemon=True)
            self.child.start()
            child_end.close()

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback_):
        if not self.forked:
            return
        try:
            if kind is None:
                self._wait()
            self.pipe.send(None)
        except (BrokenPipeError, EOFError):
            pass
        finally:
            self.child.join()
            self.pipe.close()

    def put(self, batch) -> None:
        if not self.forked:
            self.load(batch)
            self.done(batch)
            return
        self._wait()  # the one before is in; while this one loads, the next is prepared
        self.pipe.send(batch)
        self.pending = batch

    def _wait(self) -> None:
        if self.pending is None:
            return
        try:
            failure = self.pipe.recv()
        except EOFError:
            failure = "The loading process ended without a word."
        if failure is not None:
            raise LoadError(failure)
        self.done(self.pending)
        self.pending = None


def _serve(pipe, load: Callable) -> None:
    """The child: load each batch received and say so; the first failure ends it."""
    try:
        while (batch := pipe.recv()) is not None:
            load(batch)
            pipe.send(None)
    except Exception:
        pipe.send(traceback.format_exc())
    finally:
        connection.close()
