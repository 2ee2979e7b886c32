"""Web pages → text: the article's body, site furniture left out, one line per block."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from kepugraph.reading.layout import table_cell, table_row

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
          "section", "article", "td", "th", "dd", "dt", "blockquote", "pre", "ul", "ol"}
_SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form",
         "iframe", "svg", "select", "button", "template", "head", "title"}
_FURNITURE = re.compile(r"(nav|menu|breadcrumb|footer|header|sidebar|share|crumb|toolbar|banner)", re.I)
_BODY_HINT = re.compile(r"(article|content|zoom|TRS_Editor|main|pages_content|detail|text)", re.I)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def html_text(data: bytes) -> tuple[str, str]:
    """The article text of an HTML page, one line per block; charset from the page."""
    text, encoding, _ = html_page(data)
    return text, encoding


def html_page(data: bytes) -> tuple[str, str, list[tuple[int, str]]]:
    """The article text, the charset, and each inline ``<script>``'s (line, code)."""
    m = _CHARSET.search(data[:4096])
    encoding = m.group(1).decode("ascii").lower() if m else None
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"
    raw = None
    for enc in filter(None, (encoding, "utf-8", "gb18030")):
        try:
            raw = data.decode(enc)
            encoding = enc
            break
        except (UnicodeDecodeError, LookupError):
            continue
    if raw is None:
        raw, encoding = data.decode("utf-8", errors="replace"), "utf-8"
    parser = _ArticleParser()
    parser.feed(raw)
    parser.close()
    return parser.text(), f"html/{encoding}", parser.scripts


def grid_lines(rows: list[list[tuple[str, int, int]]]) -> list[str]:
    """Rows of (text, rowspan, colspan) cells as `` | ``-separated lines: a cell spanning
    rows is repeated in each (a lead unit over several tasks), one spanning columns is
    written once with empty cells after it (a section row is one filled cell).

    >>> grid_lines([[("1", 1, 1), ("甲", 1, 1), ("市科协", 2, 1)], [("2", 1, 1), ("乙", 1, 1)],
    ...             [("一、其他", 1, 3)]])
    ['1 | 甲 | 市科协 |', '2 | 乙 | 市科协 |', '一、其他 |  |  |']
    """
    lines = []
    pending: dict[int, tuple[str, int]] = {}  # column → (text, rows still to fill)
    for row in rows:
        out: list[str] = []
        cells = list(row)
        while cells or any(col >= len(out) for col in pending):
            col = len(out)
            if col in pending:
                text, left = pending.pop(col)
                if left > 1:
                    pending[col] = (text, left - 1)
                out.append(text)
                continue
            if not cells:
                out.append("")
                continue
            text, rowspan, colspan = cells.pop(0)
            for k in range(max(1, colspan)):
                if rowspan > 1:
                    pending[len(out)] = (text if k == 0 else "", rowspan - 1)
                out.append(text if k == 0 else "")
        if any(out):
            lines.append(table_row(out))
    return lines


class _Table:
    """One table being read: its rows of cells, each cell a list of lines."""

    def __init__(self) -> None:
        self.rows: list[list[tuple[list[str], int, int]]] = []
        self.cell: list[str] | None = None
        self.span = (1, 1)

    def close_cell(self) -> None:
        if self.cell is not None and self.rows:
            lines = [ln for ln in (re.sub(r"\s+", " ", x).strip() for x in self.cell) if ln]
            self.rows[-1].append((lines, *self.span))
        self.cell = None

    def lines(self) -> list[str]:
        """A data table as | rows; a layout table (the page's frame around the article) as
        the lines of its cells, one after another."""
        cells = [c for row in self.rows for c in row]
        sizes = [sum(map(len, lines)) for lines, _, _ in cells]
        widest = max((len(row) for row in self.rows), default=0)
        total = sum(sizes) or 1
        framed = widest <= 1 or any(size >= 0.85 * total and len(lines) >= 3
                                    for size, (lines, _, _) in zip(sizes, cells))
        if framed:
            return [ln for lines, _, _ in cells for ln in lines]
        return grid_lines([[(table_cell(" ".join(lines)), rs, cs) for lines, rs, cs in row] for row in self.rows])


class _ArticleParser(HTMLParser):
    """Collects text outside page furniture, marking the block the article seems to be;
    a data table becomes one line per row (see :func:`grid_lines`), a layout table (the
    frame many government sites put around an article) the lines inside it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[tuple[str, bool, bool]] = []  # tag, skipped, is body
        self._skip_depth = 0
        self._body_depth = 0
        self.all_lines: list[str] = [""]
        self.body_lines: list[str] = [""]
        self._tables: list[_Table] = []  # open tables, outermost first
        self.scripts: list[tuple[int, str]] = []  # inline scripts: (line in the page, code)

    def handle_starttag(self, tag, attrs):
        if self._table(tag, attrs):
            return
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            if tag == "br":
                self._newline()
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        skipped = tag in _SKIP or bool(_FURNITURE.search(marks) and not _BODY_HINT.search(marks))
        is_body = bool(_BODY_HINT.search(marks)) and not skipped
        self._stack.append((tag, skipped, is_body))
        self._skip_depth += skipped
        self._body_depth += is_body
        if tag in _BLOCK:
            self._newline()

    def _table(self, tag: str, attrs) -> bool:
        """Table structure; True when the tag was taken care of."""
        if tag == "table":
            if not self._tables:
                self._newline()
            self._tables.append(_Table())
            return True
        if not self._tables:
            return False
        table = self._tables[-1]
        if tag in _BLOCK and tag not in ("tr", "td", "th"):  # inside a cell: a new line
            if table.cell is not None and table.cell[-1:] != [""]:
                table.cell.append("")
            return True
        if tag == "tr":
            table.close_cell()
            table.rows.append([])
            return True
        if tag in ("td", "th"):
            table.close_cell()
            if not table.rows:
                table.rows.append([])
            span = dict(attrs)
            table.span = (_int(span.get("rowspan")), _int(span.get("colspan")))
            table.cell = [""]
            return True
        return False

    def handle_endtag(self, tag):
        if self._tables:
            table = self._tables[-1]
            if tag == "table":
                table.close_cell()
                self._tables.pop()
                lines = table.lines()
                if self._tables:  # a table inside a cell: its lines belong to that cell
                    outer = self._tables[-1]
                    if outer.cell is not None:
                        outer.cell.extend(lines + [""])
                else:
                    self._emit(lines)
                return
            if tag in ("td", "th", "tr"):
                table.close_cell()
                return
            if tag in _BLOCK and table.cell is not None and table.cell[-1:] != [""]:
                table.cell.append("")
        while self._stack:
            t, skipped, is_body = self._stack.pop()
            self._skip_depth -= skipped
            self._body_depth -= is_body
            if t == tag:
                break
        if tag in _BLOCK and not self._tables:
            self._newline()

    def handle_data(self, data):
        if self._stack and self._stack[-1][0] == "script" and data.strip():
            self.scripts.append((self.getpos()[0], data))
            return
        if self._skip_depth:
            return
        if self._tables:
            cell = self._tables[-1].cell
            if cell is not None:
                cell[-1] += data
            return
        text = re.sub(r"[ \t\r\n]+", " ", data)
        self.all_lines[-1] += text
        if self._body_depth:
            self.body_lines[-1] += text

    def _emit(self, lines: list[str]) -> None:
        if self._skip_depth:
            return
        for line in lines:
            self._newline()
            self.all_lines[-1] += line
            if self._body_depth:
                self.body_lines[-1] += line
        self._newline()

    def _newline(self):
        for lines in (self.all_lines, self.body_lines):
            if lines[-1].strip():
                lines.append("")

    def text(self) -> str:
        body = [ln.strip() for ln in self.body_lines if ln.strip()]
        lines = body if sum(map(len, body)) > 200 else [ln.strip() for ln in self.all_lines if ln.strip()]
        return "\n".join(lines) + "\n"
