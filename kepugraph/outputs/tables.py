"""Rows to text: aligned tables (by display width), CSV, TSV, JSON and Markdown."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

from kepugraph.outputs.language import current, localize
from kepugraph.outputs.scope import Scope
from kepugraph.reading.textnorm import display_width, fitting
from kepugraph.safety import inert, printable

FORMATS = ("table", "csv", "json", "md")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"
    if isinstance(value, (list, tuple)):
        return "、".join(_cell(v) for v in value)
    return str(value)


#: What a cell shows of a value (a list: its items joined by 、).
cell_text = _cell


#: The widest a table cell is shown (longer ones are cut with …).
MAX_WIDTH = 60


def table(rows: Sequence[dict], columns: Sequence[str], headers: Sequence[str] | None = None,
          max_width: int = MAX_WIDTH) -> str:
    """A plain-text table aligned by display width; long cells are cut with …"""
    headers = [(h, display_width(h)) for h in map(printable, headers or columns)]
    seen: dict[str, tuple[str, int]] = {}  # a cell's text → what it shows, and how wide

    def shown(text: str) -> tuple[str, int]:
        # a task list of 128,000 rows repeats its plans, sections and roles: each worked out once
        found = seen.get(text)
        if found is None:
            # what a terminal would run (ESC ] 0;… BEL sets its title) is dropped, in every cell
            clipped = _clip(printable(text), max_width)
            found = seen[text] = (clipped, display_width(clipped))
        return found

    # column by column: a task list of 128,000 rows has 640,000 cells
    shown_columns = []
    for c in columns:
        values = [r.get(c) for r in rows]
        shown_columns.append(list(map(shown, values)) if all(type(v) is str for v in values) else
                             [shown(v if type(v) is str else _cell(v)) for v in values])
    widths = [max([h[1]] + [w for _, w in col]) for h, col in zip(headers, shown_columns)]
    numeric = [all(isinstance(r.get(c), (int, float)) for r in rows) and rows for c in columns]
    cells = zip(*shown_columns) if shown_columns else [()] * len(rows)

    def fmt(values: Sequence[tuple[str, int]]) -> str:
        parts = []
        for i, (v, w) in enumerate(values):
            pad = " " * (widths[i] - w)
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    lines = [fmt(headers), "  ".join("-" * w for w in widths)]
    lines += [fmt(row) for row in cells]
    return "\n".join(lines) + "\n"


def _clip(text: str, limit: int) -> str:
    text = text.replace("\n", " ")
    if 2 * len(text) <= limit or display_width(text) <= limit:  # no character is wider than two columns
        return text
    return fitting(text, limit - 1) + "…"


def delimited(rows: Sequence[dict], columns: Sequence[str], headers: Sequence[str] | None = None,
              delimiter: str = ",") -> str:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n" if delimiter == "," else "\n")
    w.writerow([inert(h) for h in headers or columns])
    for r in rows:
        w.writerow([inert(_cell(r.get(c))) for c in columns])
    return buf.getvalue()


def markdown(rows: Sequence[dict], columns: Sequence[str], headers: Sequence[str] | None = None) -> str:
    def esc(v: str) -> str:
        return printable(v).replace("|", "\\|").replace("\n", " ")

    headers = list(headers or columns)
    lines = ["| " + " | ".join(map(esc, headers)) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(esc(_cell(r.get(c))) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def format_rows(rows: Sequence[dict], columns: Sequence[str], fmt: str,
           headers: Sequence[str] | None = None, json_rows: Sequence[dict] | None = None,
           scope: Scope | None = None, empty: str | tuple[str, str] = "") -> str:
    """Render rows in one of :data:`FORMATS`; JSON gets ``json_rows`` when given (full data).

    Headers and labelled values follow the current :func:`~kepugraph.outputs.language.language`.
    ``scope`` names what the answer is for: the first line of a table or Markdown, the first
    row of a CSV, fields of every JSON row (a one-plan answer: ``plan``; the sample: ``sample``).
    ``empty`` says in words that nothing was found (a table's line in place of a bare header).
    """
    columns, headers = localize(rows, columns, headers)
    line = scope.line() if scope is not None else ""
    if isinstance(empty, tuple):  # (Chinese, English)
        empty = empty[1] if current() == "en" else empty[0]
    if fmt == "json":
        data = list(json_rows if json_rows is not None else rows)
        if scope is not None:
            data = [{**row, **scope.json_fields()} for row in data]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("csv", "tsv"):
        delimiter = "," if fmt == "csv" else "\t"
        head = delimited([], [""], [line], delimiter=delimiter) if line else ""
        return head + delimited(rows, columns, headers, delimiter=delimiter)
    if fmt == "md":
        body = markdown(rows, columns, headers) if rows or not empty else empty + "\n"
        return (line + "\n\n" if line else "") + body
    body = table(rows, columns, headers) if rows or not empty else empty + "\n"
    return (line + "\n" if line else "") + body
