"""The bundled named queries (``queries/NAME.rq``) and how a query is given: name, file or text."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from kepugraph.errors import QueryError
from kepugraph.names import closest

QUERY_DIR = Path(__file__).with_name("queries")
_PARAM_RE = re.compile(r"^#\s*param\s+([A-Za-z_][A-Za-z0-9_]*)\s*:\s*(.*)$", re.M)

@dataclass
class NamedQuery:
    name: str
    description: str
    params: dict[str, str]  # name → what to pass
    text: str
    path: Path
    # engine → the same query written for it (queries/ENGINE/NAME.rq): Oxigraph seeks
    # an index per row in a join where rdflib's nested loops prefer the plain form
    variants: dict[str, str] = field(default_factory=dict)

    def text_for(self, store) -> str:
        """The text to run on ``store``: its engine's variant, or the portable one."""
        return self.variants.get(getattr(store, "engine", ""), self.text)


@functools.cache
def named_queries() -> dict[str, NamedQuery]:
    """The bundled queries by name, each read from ``queries/NAME.rq`` (once a process)."""
    out = {}
    for path in sorted(QUERY_DIR.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        first = text.splitlines()[0].lstrip("# ").strip()
        name, _, description = first.partition(":")
        out[path.stem] = NamedQuery(name=path.stem, description=description.strip(),
                                    params={m.group(1): m.group(2).strip() for m in _PARAM_RE.finditer(text)},
                                    text=text, path=path,
                                    variants={v.parent.name: v.read_text(encoding="utf-8")
                                              for v in sorted(QUERY_DIR.glob(f"*/{path.name}"))})
    return out


def resolve(spec: str | None, expression: str | None) -> tuple[str, str, dict[str, str] | None]:
    """The text of a query given as a name, a ``.rq`` file, or an expression.

    Returns:
        (text, source name for messages, declared parameters or None if undeclared).

    Raises:
        QueryError: unknown name or unreadable file (exit status 2).
    """
    if expression is not None:
        return expression, "query", None
    if spec is None:
        raise QueryError("give a query name, a .rq file or -e 'QUERY'")
    queries = named_queries()
    if spec in queries:
        q = queries[spec]
        return q.text, spec, q.params
    path = Path(spec)
    if path.suffix == ".rq" or path.exists():
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read: {getattr(exc, 'strerror', None) or exc}", source=spec) from None
        return text, spec, {m.group(1): m.group(2) for m in _PARAM_RE.finditer(text)} or None
    near = closest(spec, queries)
    hint = f"; did you mean {', '.join(near)}?" if near else f"; known: {', '.join(queries)}"
    raise QueryError(f"no named query {spec!r}{hint}", source="query")


