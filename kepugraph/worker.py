"""Run work where it can be stopped: a forked worker process, killed at the deadline or when
it holds more memory than allowed. A query (kepugraph.store) and a PDF (kepugraph.reading)
run so.

An engine that evaluates a whole aggregate or sort before its first row (``COUNT(*)`` over a
cross product, ``ORDER BY`` on millions of rows) never returns to Python to look at a clock,
so a time limit checked between rows cannot hold; a process can always be killed. The fork
shares the parent's open store and graph (copy on write), so nothing is loaded again; the
overhead is the fork itself (see bench/query_worker.py for the figure).
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import time
from typing import Callable, TypeVar

from kepugraph.errors import KepugraphError

T = TypeVar("T")

_PAGE = os.sysconf("SC_PAGE_SIZE")


def _vm_size() -> int:
    """Bytes of address space this process maps now (VmSize)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[0]) * _PAGE


def _private_bytes(pid: int) -> int:
    """Memory the worker holds of its own (what it wrote since the fork), in bytes."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            return sum(int(line.split()[1]) * 1024 for line in f
                       if line.startswith(("Private_Dirty:", "Private_Clean:")))
    except (OSError, ValueError, IndexError):
        return 0


def _send(fd: int, payload: bytes) -> None:
    view = memoryview(payload)
    while view:
        view = view[os.write(fd, view):]


def _error_payload(exc: KepugraphError) -> tuple:
    # an error's __init__ builds its message from its parts: send the built state, not the call
    return ("error", type(exc), exc.args, exc.__dict__)


def _rebuild(cls: type, args: tuple, state: dict) -> KepugraphError:
    exc = cls.__new__(cls)
    Exception.__init__(exc, *args)
    exc.__dict__.update(state)
    return exc


class LimitExceeded(Exception):
    """The worker passed a limit (``kind``: "time" or "memory") or ended without an answer
    ("ended", with ``detail``); the caller says so in its own words."""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(kind, detail)
        self.kind, self.detail = kind, detail


def run_in_worker(work: Callable[[], T], seconds: float, memory_bytes: int) -> T:
    """``work()`` run in a forked process: its result, or its :class:`KepugraphError`.

    Raises:
        LimitExceeded: the worker passed ``seconds`` or held more than ``memory_bytes`` of its
            own memory (it is killed), or it ended without an answer (an error of another
            kind is "ended", its first line the detail).
    """
    read_fd, write_fd = os.pipe()
    limit = _vm_size() + memory_bytes
    pid = os.fork()
    if pid == 0:  # the worker: never returns, never runs the parent's cleanup
        os.close(read_fd)
        _child(work, write_fd, limit)
    os.close(write_fd)
    started = time.monotonic()
    chunks: list[bytes] = []
    over, finished = None, False
    try:
        while True:
            left = seconds - (time.monotonic() - started)
            if left <= 0:
                over = "time"
                break
            ready, _, _ = select.select([read_fd], [], [], min(left, 0.05))
            if ready:
                chunk = os.read(read_fd, 1 << 20)
                if not chunk:
                    finished = True
                    break
                chunks.append(chunk)
            elif _private_bytes(pid) > memory_bytes:
                over = "memory"
                break
    finally:
        os.close(read_fd)
        if not finished:  # past a limit, or the caller interrupted (Ctrl-C): the worker goes too
            os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if over == "time":
        raise LimitExceeded("time")
    return _answer(chunks, status, over == "memory")


def _child(work: Callable[[], object], write_fd: int, limit: int) -> None:
    code = 0
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # an engine's own "memory allocation failed" is not for the user
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        try:
            payload = pickle.dumps(("ok", work()), protocol=pickle.HIGHEST_PROTOCOL)
        except KepugraphError as exc:
            payload = pickle.dumps(_error_payload(exc))
        except MemoryError:
            payload = pickle.dumps(("memory",))
        except BaseException as exc:  # noqa: BLE001 - reported by the parent as one line
            text = str(exc).strip().splitlines()
            payload = pickle.dumps(("failed", text[0][:200] if text else type(exc).__name__))
        _send(write_fd, payload)
    except BaseException:  # noqa: BLE001 - the parent reports a worker that ended without answer
        code = 1
    finally:
        os._exit(code)


def _answer(chunks: list[bytes], status: int, over_memory: bool):
    try:
        answer = pickle.loads(b"".join(chunks)) if chunks else None
    except Exception:  # a worker cut off in the middle of its answer
        answer = None
    killed = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
    if over_memory or (answer and answer[0] == "memory") or (
            answer is None and killed in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS)):
        raise LimitExceeded("memory")
    if answer is None:
        how = f"signal {killed}" if killed else f"status {os.WEXITSTATUS(status)}"
        raise LimitExceeded("ended", f"the process ended without an answer ({how})")
    if answer[0] == "error":
        raise _rebuild(*answer[1:])
    if answer[0] == "failed":
        raise LimitExceeded("ended", answer[1])
    return answer[1]
