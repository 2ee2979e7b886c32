"""Rows to text: aligned tables (by display width), CSV, TSV, JSON and Markdown."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence

from kepugraph.outputs.language import localize
from kepugraph.reading.textnorm import display_width
from kepugraph.safety import inert

FORMATS = ("table", "csv", "json", "md")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"
    if isinstance(value, (list, tuple)):
        return "、".join(_cell(v) for v in value)
    return str(value)


def table(rows: Sequence[dict], columns: Sequence[str], headers: Sequence[str] | None = None,
          max_width: int = 60) -> str:
    """A plain-text table aligned by display width; long cells are cut with …"""
    headers = list(headers or columns)
    cells = [[_clip(_cell(r.get(c)), max_width) for c in columns] for r in rows]
    widths = [max([display_width(h)] + [display_width(row[i]) for row in cells]) for i, h in enumerate(headers)]
    numeric = [all(isinstance(r.get(c), (int, float)) for r in rows) and rows for c in columns]

    def fmt(values: Sequence[str]) -> str:
        parts = []
        for i, v in enumerate(values):
            pad = " " * (widths[i] - display_width(v))
            parts.append(pad + v if numeric[i] else v + pad)
        return "  ".join(parts).rstrip()

    lines = [fmt(headers), "  ".join("-" * w for w in widths)]
    lines += [fmt(row) for row in cells]
    return "\n".join(lines) + "\n"


def _clip(text: str, limit: int) -> str:
    text = text.replace("\n", " ")
    if display_width(text) <= limit:
        return text
    out, w = "", 0
    for ch in text:
        cw = display_width(ch)
        if w + cw > limit - 1:
            break
        out += ch
        w += cw
    return out + "…"


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
        return v.replace("|", "\\|").replace("\n", " ")

    headers = list(headers or columns)
    lines = ["| " + " | ".join(map(esc, headers)) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(esc(_cell(r.get(c))) for c in columns) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def format_rows(rows: Sequence[dict], columns: Sequence[str], fmt: str,
           headers: Sequence[str] | None = None, json_rows: Sequence[dict] | None = None) -> str:
    """Render rows in one of :data:`FORMATS`; JSON gets ``json_rows`` when given (full data).

    Headers and labelled values follow the current :func:`~kepugraph.outputs.language.language`.
    """
    columns, headers = localize(rows, columns, headers)
    if fmt == "json":
        return json.dumps(list(json_rows if json_rows is not None else rows), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return delimited(rows, columns, headers)
    if fmt == "tsv":
        return delimited(rows, columns, headers, delimiter="\t")
    if fmt == "md":
        return markdown(rows, columns, headers)
    return table(rows, columns, headers)
