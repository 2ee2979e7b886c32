"""Files to text: encodings of .txt files, and the text of .docx, .html and .pdf.

Everything returns a :class:`Source`: the text with line ends unified to ``\\n`` (spans
elsewhere are offsets into this text), the path and how it was decoded.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .errors import SourceError

#: Files larger than this are refused unless the caller raises the limit.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

BUNDLED_PLAN = Path(__file__).with_name("data") / "taishan-kepu-plan-2021-2025.txt"

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}


@dataclass(frozen=True)
class Source:
    """The text of one document and where it came from."""

    text: str
    path: str
    encoding: str
    sha256: str


def read_source(path: str | Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read a plan file of any supported kind (default: the bundled reference plan).

    Args:
        path: a .txt, .docx, .html/.htm or .pdf file; None for the bundled plan.
        max_bytes: refuse files larger than this.

    Returns:
        The document's text with ``\\n`` line ends.

    Raises:
        SourceError: the file is missing, a folder, empty, too large, binary or
            cannot be decoded.
    """
    p = Path(path) if path is not None else BUNDLED_PLAN
    if not p.exists():
        raise SourceError(p, "no such file")
    if p.is_dir():
        raise SourceError(p, "is a directory, not a file")
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise SourceError(p, f"file is {size} bytes, over the limit of {max_bytes} bytes")
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(p, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise SourceError(p, "file is empty")
    suffix = p.suffix.lower()
    if suffix == ".docx":
        from .formats import docx_text

        text, encoding = docx_text(p, data), "docx"
    elif suffix in (".html", ".htm", ".xhtml"):
        text, encoding = html_text(data)
    elif suffix == ".pdf":
        from .formats import pdf_text

        text, encoding = pdf_text(p, data), "pdf"
    else:
        text, encoding = decode_text(p, data)
    text = unify_newlines(text)
    if not text.strip():
        raise SourceError(p, "no text in the file")
    return Source(text=text, path=str(p), encoding=encoding, sha256=hashlib.sha256(data).hexdigest())


# PDF text layers often hold Kangxi radicals (⼀ ⼈ ⽂, U+2F00…) and radical supplements
# (⺠) where the document shows the ideograph; each maps to one character.
_RADICALS = {cp: ord(unicodedata.normalize("NFKC", chr(cp))) for cp in range(0x2F00, 0x2FD6)}
_RADICALS.update({ord(a): ord(b) for a, b in zip("⺠⻓⻔⻢⻅⻋⻛⻜⻘⻝⻩⻬⻥⻆⻊⻏⻉⻈⻄⺮⺶⺷⻌⺼⻁", "民长门马见车风飞青食黄齐鱼角讠阝贝钅西竹羊羊辶月礻")})


def unify_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM is dropped; radicals become ideographs."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").translate(_RADICALS)


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a text file: BOMs first, then strict UTF-8, then GB18030 (a superset of GBK).

    Raises:
        SourceError: binary content, or bytes valid in neither encoding.
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise SourceError(path, f"invalid {name} at byte {exc.start}") from None
    utf16 = _sniff_utf16(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    if b"\x00" in data[:8192]:
        raise SourceError(path, "binary file, not a text document")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise SourceError(path, f"cannot decode: not UTF-8 (bad byte at {utf8_error}) and not GB18030") from None
    if _control_ratio(text) > 0.01:
        raise SourceError(path, "binary file, not a text document")
    return text, "gb18030"


def _sniff_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-range text is zero."""
    head = data[:4096]
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))


# --- HTML -------------------------------------------------------------------------------

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
