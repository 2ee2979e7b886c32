"""Every error kepugraph raises on purpose, so callers catch one base class.

The CLI turns a :class:`KepugraphError` into ``Error: <message>`` on stderr and exit 1;
nothing else in the package prints or exits.
"""

from __future__ import annotations

from typing import Sequence


class KepugraphError(Exception):
    """Base class of the errors kepugraph reports to a user.

    ``remedy`` names what the caller can do about it in the library's terms
    (``"allow_update"``, ``"build"``, …); the CLI words it as its own options.
    """

    exit_code = 1
    remedy: str | None = None

    def __init__(self, *args, remedy: str | None = None):
        super().__init__(*args)
        if remedy is not None:
            self.remedy = remedy


class PathError(KepugraphError):
    """A problem with one file or folder: ``<path>: <problem>``."""

    def __init__(self, path: object, problem: str):
        self.path = str(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class SourceError(PathError):
    """An input file that cannot be read: missing, empty, binary, undecodable."""


class ParseError(KepugraphError):
    """A document that was read but holds nothing kepugraph can use."""

    def __init__(self, path: object, problem: str, line: int | None = None):
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}")


class GraphError(PathError):
    """A graph file that cannot be loaded (invalid Turtle, not a kepugraph graph)."""


class UnknownUnitError(KepugraphError):
    """A unit name that matches no unit of the graph; carries the closest names."""

    def __init__(self, name: str, close: Sequence[str]):
        self.name = name
        self.close = list(close)
        hint = f"; closest: {'、'.join(self.close)}" if self.close else ""
        super().__init__(f"no unit named {name!r}{hint}")


class OutputError(PathError):
    """An output that cannot be written (folder not writable, disk full)."""


class QueryError(KepugraphError):
    """A SPARQL query that is invalid, refused, or failed on the store."""

    def __init__(self, problem: str, line: int | None = None, column: int | None = None,
                 source: str | None = None, exit_code: int = 2, remedy: str | None = None):
        self.problem = problem
        self.line = line
        self.column = column
        self.exit_code = exit_code
        where = source or "query"
        if line is not None:
            where += f":{line}:{column}"
        super().__init__(f"{where}: {problem}", remedy=remedy)


class StoreError(KepugraphError):
    """A store or endpoint that cannot be opened, reached or written."""

    def __init__(self, where: str, problem: str, remedy: str | None = None):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}", remedy=remedy)


class ValidationError(KepugraphError):
    """A graph that does not conform to the shapes of a well-formed plan graph."""

    def __init__(self, where: str, violations: list):
        self.violations = violations
        first = violations[0] if violations else ""
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        super().__init__(f"{where}: graph does not conform: {first}{more}")


class SheetError(PathError):
    """A cell of a returned or reviewed workbook that cannot be taken: names file, sheet and row."""

    def __init__(self, path: object, sheet: str, row: int | None, problem: str):
        self.sheet = sheet
        self.row = row
        where = f"工作表「{sheet}」" + (f"第 {row} 行" if row else "")
        super().__init__(path, f"{where}：{problem}")
