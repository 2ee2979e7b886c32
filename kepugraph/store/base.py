"""What the stores share: closing as a context manager, and ``select`` over ``query``."""

from __future__ import annotations

from kepugraph.sparql.results import DEFAULT_LIMITS, Limits, Result


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
