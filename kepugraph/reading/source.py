"""Files to text: encodings of .txt files, and the text of .docx, .html and .pdf.

Everything returns a :class:`Document`: the text with line ends unified to ``\\n`` (spans
elsewhere are offsets into this text), the path and how it was decoded.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kepugraph.errors import SourceError
from kepugraph.reading.delimited import delimited_text
from kepugraph.reading.docx import docx_text
from kepugraph.reading.html import html_page
from kepugraph.reading.office import CONVERTED, convert
from kepugraph.reading.pdf import pdf_text
from kepugraph.reading.structured import code_text, literal_text, script_tasks
from kepugraph.reading.wrapping import Unwrapped, unwrap
from kepugraph.reading.xlsx import xlsx_text
from kepugraph.safety import CONTROLS

#: Files larger than this are refused unless the caller raises the limit.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024

BUNDLED_PLAN = Path(__file__).parent.parent / "data" / "taishan-kepu-plan-2021-2025.txt"



@dataclass(frozen=True)
class Document:
    """The text of one document and where it came from."""

    text: str
    path: str
    encoding: str
    sha256: str
    controls: list[tuple[int, str]] = field(default_factory=list)  # control characters replaced: (offset, char)
    unwrapped: Unwrapped | None = None  # a hard-wrapped plain text, joined: maps offsets to the file's lines

    def position(self, offset: int) -> tuple[int, int]:
        """The (line, column), from 1, in the file as a person opens it, of an offset into ``text``."""
        if self.unwrapped is not None:
            return self.unwrapped.position(offset)
        return self.text.count("\n", 0, offset) + 1, offset - self.text.rfind("\n", 0, offset)


def read_source(path: str | Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read a plan file of any supported kind (default: the bundled reference plan).

    Args:
        path: a .txt, .docx, .xlsx, .html/.htm, .pdf, .json or .js file (.doc, .wps, .et and
            .xls through LibreOffice when it is installed); None for the bundled plan.
        max_bytes: refuse files larger than this.

    Returns:
        The document's text with ``\\n`` line ends.

    Raises:
        SourceError: the file is missing, a folder, empty, too large, binary or
            cannot be decoded; a .json/.js file that is not a data literal (with its line).
    """
    p = Path(path) if path is not None else BUNDLED_PLAN
    if not p.exists():
        raise SourceError(p, "no such file")
    if p.is_dir():
        raise SourceError(p, "is a directory, not a file")
    if not p.is_file():  # /dev/zero would be read forever, a FIFO would block
        raise SourceError(p, "not a regular file (a device, a pipe or a socket)")
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise SourceError(p, f"file is {size} bytes, over the limit of {max_bytes} bytes")
        data = p.read_bytes()
    except OSError as exc:
        raise SourceError(p, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise SourceError(p, "file is empty")
    text, encoding = _text_of(p, p.suffix.lower(), data)
    text, controls = strip_controls(unify_newlines(text))
    if not text.strip():
        raise SourceError(p, "no text in the file")
    # plain text only: the other readers give paragraphs (the PDF reader joins its own lines)
    joined = unwrap(text) if p.suffix.lower() not in _READERS and not encoding.endswith("task tree") else None
    if joined is not None:
        starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        controls = [(joined.offset_of(starts[k], k, off), ch)
                    for off, ch in controls for k in [text.count("\n", 0, off)]]
        text = joined.text
    return Document(text=text, path=str(p), encoding=encoding, sha256=hashlib.sha256(data).hexdigest(),
                    controls=controls, unwrapped=joined)


#: Plans kept in code (see :mod:`kepugraph.reading.structured`).
CODE = {".json", ".js", ".mjs"}
DELIMITED = {".csv", ".tsv"}
_READERS = {".docx", ".xlsx", ".html", ".htm", ".xhtml", ".pdf", *CONVERTED, *CODE, *DELIMITED}


def _text_of(p: Path, suffix: str, data: bytes) -> tuple[str, str]:
    """The text of a file's bytes by its kind, and how it was read."""
    if suffix in CONVERTED:  # .doc .wps .et .xls: LibreOffice makes a .docx or .xlsx of it
        target, converted = convert(p, data)
        return _text_of(p, f".{target}", converted)[0], f"{suffix[1:]}→{target}"
    if suffix == ".docx":
        return docx_text(p, data), "docx"
    if suffix == ".xlsx":
        return xlsx_text(p, data), "xlsx"
    if suffix in (".html", ".htm", ".xhtml"):
        text, encoding, scripts = html_page(data)
        # a page that keeps its tasks only in a <script> literal (its body a title and a frame)
        tasks = script_tasks(text, scripts)
        return (text + tasks, f"{encoding}+script") if tasks else (text, encoding)
    if suffix in CODE:  # a task tree kept as JSON or a JavaScript literal: read by its structure
        text, encoding = decode_text(p, data)
        return code_text(p, unify_newlines(text)), f"{encoding}/{suffix[1:]}"
    if suffix == ".pdf":
        return pdf_text(p, data), "pdf"
    if suffix in DELIMITED:  # a sheet saved as text: its records as table rows
        text, encoding = decode_text(p, data)
        return delimited_text(p, unify_newlines(text), suffix), f"{encoding}/{suffix[1:]}"
    text, encoding = decode_text(p, data)
    tree = literal_text(unify_newlines(text))  # a task tree kept in code, pasted into a text file
    return (tree, f"{encoding}, task tree") if tree is not None else (text, encoding)


# PDF text layers often hold Kangxi radicals (⼀ ⼈ ⽂, U+2F00…) and radical supplements
# (⺠) where the document shows the ideograph; each maps to one character.
_RADICALS = {cp: ord(unicodedata.normalize("NFKC", chr(cp))) for cp in range(0x2F00, 0x2FD6)}
_RADICALS.update({ord(a): ord(b) for a, b in zip("⺠⻓⻔⻢⻅⻋⻛⻜⻘⻝⻩⻬⻥⻆⻊⻏⻉⻈⻄⺮⺶⺷⻌⺼⻁", "民长门马见车风飞青食黄齐鱼角讠阝贝钅西竹羊羊辶月礻")})


_RADICAL_RE = re.compile("[" + "".join(map(chr, sorted(_RADICALS))) + "]+")


def _radicals_of(m: re.Match) -> str:
    return m.group().translate(_RADICALS)


_CONTROL_RE = re.compile(f"[{CONTROLS}]")


def strip_controls(text: str) -> tuple[str, list[tuple[int, str]]]:
    """Control characters (ESC, NUL, bidi overrides …) replaced by spaces, offsets kept;
    returns the text and (offset, the character) of each, for the parser to report.

    >>> strip_controls("区科协" + chr(27) + "]0;x" + chr(7) + "局")
    ('区科协 ]0;x 局', [(3, '\\x1b'), (8, '\\x07')])
    """
    found = [(m.start(), m.group()) for m in _CONTROL_RE.finditer(text)]
    return (_CONTROL_RE.sub(" ", text), found) if found else (text, [])


def unify_newlines(text: str) -> str:
    """CRLF and lone CR become LF; a leading BOM is dropped; radicals become ideographs."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # str.translate looks up every character of the text; radicals are rare, so only the
    # runs of them are translated (the same result, a tenth of the time)
    return _RADICAL_RE.sub(_radicals_of, text)


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
    if b"\x00" in data[:8192] or data.count(b"\x00") > len(data) // 1000:
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
    if len(data) % 2 == 0 and b"\x00" in head:  # Chinese text: zeros only beside ASCII (newlines, digits)
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data[:4096].decode(enc)
            except UnicodeDecodeError:
                continue
            readable = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or ch.isascii() and (ch.isprintable() or ch in "\r\n\t")
                           or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")
            if readable >= 0.95 * len(text):
                return enc
    return None


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))


# --- HTML -------------------------------------------------------------------------------
