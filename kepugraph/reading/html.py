"""Web pages → text: the article's body, site furniture left out, one line per block."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)
_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table",
          "section", "article", "td", "th", "dd", "dt", "blockquote", "pre", "ul", "ol"}
_SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form",
         "iframe", "svg", "select", "button", "template", "head", "title"}
_FURNITURE = re.compile(r"(nav|menu|breadcrumb|footer|header|sidebar|share|crumb|toolbar|banner)", re.I)
_BODY_HINT = re.compile(r"(article|content|zoom|TRS_Editor|main|pages_content|detail|text)", re.I)


def html_text(data: bytes) -> tuple[str, str]:
    """The article text of an HTML page, one line per block; charset from the page."""
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
    return parser.text(), f"html/{encoding}"


class _ArticleParser(HTMLParser):
    """Collects text outside page furniture, marking the block the article seems to be."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._stack: list[tuple[str, bool, bool]] = []  # tag, skipped, is body
        self._skip_depth = 0
        self._body_depth = 0
        self.all_lines: list[str] = [""]
        self.body_lines: list[str] = [""]

    def handle_starttag(self, tag, attrs):
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

    def handle_endtag(self, tag):
        while self._stack:
            t, skipped, is_body = self._stack.pop()
            self._skip_depth -= skipped
            self._body_depth -= is_body
            if t == tag:
                break
        if tag in _BLOCK:
            self._newline()

    def handle_data(self, data):
        if self._skip_depth:
            return
        text = re.sub(r"[ \t\r\n]+", " ", data)
        self.all_lines[-1] += text
        if self._body_depth:
            self.body_lines[-1] += text

    def _newline(self):
        for lines in (self.all_lines, self.body_lines):
            if lines[-1].strip():
                lines.append("")

    def text(self) -> str:
        body = [ln.strip() for ln in self.body_lines if ln.strip()]
        lines = body if sum(map(len, body)) > 200 else [ln.strip() for ln in self.all_lines if ln.strip()]
        return "\n".join(lines) + "\n"
