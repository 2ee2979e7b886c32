"""What the stores share: closing as a context manager, and ``select`` over ``query``."""

from __future__ import annotations

from typing import Callable

from kepugraph.errors import QueryError
from kepugraph.sparql.results import DEFAULT_LIMITS, Limits, Result
from kepugraph.worker import LimitExceeded, run_in_worker


def isolated(work: Callable[[], Result], limits: Limits) -> Result:
    """``work()`` (a query) in a worker process, its limits said as query errors."""
    try:
        return run_in_worker(work, limits.seconds, limits.memory_bytes)
    except LimitExceeded as exc:
        if exc.kind == "time":
            raise QueryError(f"stopped after {limits.seconds:g} s, the time limit", remedy="timeout",
                             exit_code=1) from None
        if exc.kind == "memory":
            raise QueryError(f"stopped at {limits.memory_bytes // 2**20} MB, the memory limit", exit_code=1) from None
        raise QueryError(f"query failed: {exc.detail}", exit_code=1) from None


class BaseStore:
    name = ""
    engine = ""

    def query(self, text: str, form: str, limits: Limits = DEFAULT_LIMITS) -> Result:  # pragma: no cover
        raise NotImplementedError

    def close(self) -> None:
        """Release what the store holds (nothing, unless a store says otherwise)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def select(self, text: str) -> list[dict[str, str]]:
        """Run a SELECT; rows of {variable: value as text}, unbound variables left out."""
        result = self.query(text, "SELECT", Limits(isolated=False))
        return [{v: str(t) for v, t in zip(result.vars, row) if t is not None} for row in result.rows]
