"""The batch on a Dask distributed cluster (``pip install 'form4[dask]'``).

Each task is :func:`extractor.batch.run_task`, as in a local run, so outputs are the same
bytes; results are written by the workers straight into OUTDIR, which must therefore be a
folder every worker sees (a shared file system). Dask cannot stop a running task, so each
input runs in a child process of its worker that is killed past the timeout.
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable, Iterable

from ..errors import UnsupportedInputError
from .run import Task, _failure, _kind, run_task


def guarded(task: Task, timeout: float | None) -> dict:
    """run_task in a forked child, killed after TIMEOUT seconds; a crash is reported, not raised.
    (os.fork, not multiprocessing: Dask's worker processes are daemons, which may not have children.)"""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: one task, its record down the pipe, then exit without cleanup handlers
        code = 0
        try:
            # a Dask worker runs a task per thread of its own: OCR takes one thread in each
            os.environ.setdefault("FORM4_OCR_THREADS", "1")
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(pickle.dumps(run_task(task)))
        except BaseException:  # noqa: BLE001 - reported by the parent as a crash
            code = 1
        finally:
            os._exit(code)
    os.close(write_end)
    chunks: list[bytes] = []
    deadline = None if timeout is None else time.monotonic() + timeout
    timed_out = False
    with os.fdopen(read_end, "rb") as pipe:
        while True:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([pipe], [], [], left)
            if not ready:
                continue
            chunk = os.read(pipe.fileno(), 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        return _failure(task, "timeout", f"took longer than {timeout:g} s", _kind(task.data, task.name), timeout or 0.0)
    if chunks and os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        return pickle.loads(b"".join(chunks))
    return _failure(task, "crash", f"the worker process died (status {status})", _kind(task.data, task.name), 0.0)


def run_dask(tasks: Iterable[Task], scheduler: str, timeout: float | None, on_result: Callable[[dict], None],
             window: int = 64) -> None:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UnsupportedInputError("--engine dask needs Dask: pip install 'form4[dask]' (in a clone of form4: "
                                    "pip install -e '.[dask]')") from None
    pending = iter(tasks)
    with Client(scheduler) as client:
        def submit(task: Task):
            return client.submit(guarded, task, timeout, pure=False)

        first = [submit(t) for t in (next(pending, None) for _ in range(window)) if t is not None]
        queue = as_completed(first)
        for future in queue:
            on_result(future.result())
            nxt = next(pending, None)
            if nxt is not None:
                queue.add(submit(nxt))
