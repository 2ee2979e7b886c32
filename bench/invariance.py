"""How the parser holds when the same plans are written another way.

Each rewrite changes every development excerpt and its gold the way real copies of a
plan differ: traditional characters (mirror sites), ASCII or full-width punctuation (a
plan pasted through a plain-text form), prose hard-wrapped at 76 display columns (38 CJK
characters, text copied out of a PDF), other role words (牵头部门, 协办单位 …), units
parted by ，, the annotation on a line of its own, and written as .docx, as .html and,
printed by LibreOffice, as .pdf. The parser is scored on each with the scorer of
``make eval``; a general mechanism keeps F1 where the original is.

    python bench/invariance.py [DIR]      (default tests/data/dev)

Prints one line per rewrite: pairs found, F1, role accuracy, excerpts lost.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kepugraph.eval import score_dir  # noqa: E402
from kepugraph.reading.textnorm import display_width  # noqa: E402
from kepugraph.vocab import ROLES  # noqa: E402

FULL = "（）：；，！？"
ASCII = "():;,!?"


def _traditional() -> Callable[[str], str] | None:
    try:
        from opencc import OpenCC
    except ImportError:
        return None
    return OpenCC("s2t").convert


def to_ascii(text: str) -> str:
    return text.translate(str.maketrans(FULL, ASCII))


def to_full(text: str) -> str:
    return text.translate(str.maketrans(ASCII, FULL))


def paged(text: str, every: int = 12) -> str:
    """The prose hard-wrapped, and a printed page number (— 3 —) after every ``every`` lines:
    text copied out of a PDF with its page furniture."""
    lines, out = wrap(text).split("\n"), []
    for i, line in enumerate(lines, 1):
        out.append(line)
        if i % every == 0:
            out.append(f"— {i // every} —")
    return "\n".join(out)


def wrap(text: str, width: int = 76) -> str:
    """Prose lines cut at ``width`` display columns (38 CJK characters), as a PDF's text
    layer gives them; table rows (cells apart by spaces, tabs or bars) are left whole,
    since a PDF's table comes out cell by cell, not cut across."""
    def cut(line: str) -> list[str]:
        if line.count(" ") >= 3 or "\t" in line or "|" in line or display_width(line) <= width:
            return [line]
        parts, part = [], ""
        for ch in line:
            if display_width(part + ch) > width:
                parts.append(part)
                part = ""
            part += ch
        return parts + [part]
    return "\n".join(part for line in text.split("\n") for part in cut(line))


_ROLE_WORD = re.compile(r"牵头|负责|配合|参与|协助|协办|责任|主办|牵頭|負責|責任")
_LABELS = [("牵头单位", "牵头部门"), ("配合单位", "协办单位"), ("责任单位", "责任部门"), ("参与单位", "参加单位"),
           ("按职责分工负责", "按照职责分工负责"), ("牵头负责", "牵头"), ("配合", "协助")]


def synonyms(text: str) -> str:
    """Other words for the same roles, as other provinces write them (牵头部门, 协办单位 …)."""
    for old, new in _LABELS:
        text = text.replace(old, "\0").replace("\0", new)
    return text


def _annotations(text: str, change: Callable[[str], str]) -> str:
    """``change`` applied to the top level of each bracket group holding a role word."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "（(":
            if depth == 0:
                out.append(text[start:i + 1])
                start = i + 1
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0:
                group = text[start:i]
                out.append(change(group) if _ROLE_WORD.search(group) else group)
                start = i
    out.append(text[start:])
    return "".join(out)


def commas(text: str) -> str:
    """Units parted by ，instead of 、 inside annotations (市发改委，市财政局)."""
    def top_level(group: str) -> str:
        depth, chars = 0, []
        for ch in group:
            depth += ch in "（(" and 1 or (-1 if ch in "）)" and depth else 0)
            chars.append("，" if ch == "、" and depth == 0 else ch)
        return "".join(chars)
    return _annotations(text, top_level)


def conjunction(text: str) -> str:
    """The last two units of a list joined by 和 (区教育局、区文旅局和区卫健委负责)."""
    def last_and(group: str) -> str:
        depth, at = 0, -1
        for i, ch in enumerate(group):
            depth += ch in "（(" and 1 or (-1 if ch in "）)" and depth else 0)
            if ch == "、" and depth == 0:
                at = i
        return group if at < 0 else group[:at] + "和" + group[at + 1:]
    return _annotations(text, last_and)


_CLOSING = re.compile(r"[。；;]\s*([（(][^（()）\n]*(?:牵头|负责|配合|参与|责任)[^（()）\n]*[）)])\s*$", re.M)


def own_line(text: str) -> str:
    """A closing annotation moved onto a line of its own under the measure."""
    return _CLOSING.sub(lambda m: m.group(0)[:m.start(1) - m.start(0)].rstrip() + "\n" + m.group(1), text)


def _blocks(text: str) -> list[str | list[list[str]]]:
    """Lines, with each run of |-delimited rows (a flattened table) made a table again."""
    out: list[str | list[list[str]]] = []
    for line in text.split("\n"):
        if line.count("|") >= 2:
            row = [c.strip() for c in line.strip().strip("|").split("|")]
            if out and isinstance(out[-1], list):
                out[-1].append(row)
            else:
                out.append([row])
        else:
            out.append(line)
    return out


_NUMBERED = re.compile(r"^(\s*(?:[一二三四五六七八九十]+、|\(?[一二三四五六七八九十]+\)|（[一二三四五六七八九十]+）|\d+[.、]|"
                       r"\(\d+\)|（\d+）|——))(.*?[。；;]?)\s*([（(][^（()）\n]*(?:牵头|负责|配合|参与|责任)[^（()）\n]*[）)])"
                       r"\s*[。；;]?\s*$", re.M)


def front(text: str) -> str:
    """The units written first, in 【】 right after the item's number (1.【区科协牵头】开展…)."""
    return _NUMBERED.sub(lambda m: f"{m.group(1)}【{m.group(3)[1:-1]}】{m.group(2)}", text)


def docx_bytes(text: str) -> bytes:
    """One paragraph a line; flattened tables become real Word tables."""
    from docx import Document

    doc = Document()
    for block in _blocks(text):
        if isinstance(block, str):
            doc.add_paragraph(block)
            continue
        width = max(len(r) for r in block)
        table = doc.add_table(rows=len(block), cols=width)
        table.style = "Table Grid"
        for row, cells in zip(table.rows, block):
            for cell, value in zip(row.cells, cells):
                cell.text = value
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def html_bytes(text: str) -> bytes:
    """One <p> a line; flattened tables become <table>s."""
    parts = []
    for block in _blocks(text):
        if isinstance(block, str):
            parts.append(f"<p>{html.escape(block)}</p>")
        else:
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in block)
            parts.append(f"<table border=1>{rows}</table>")
    body = "\n".join(parts)
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>\n{body}\n</body></html>'.encode("utf-8")


@dataclass
class Rewrite:
    """One way of writing the excerpts again: text and gold names, and the file kind."""

    name: str
    text: Callable[[str], str] | None
    names: Callable[[str], str] = lambda n: n  # what the rewrite does to a unit name
    kind: str = "txt"
    moves_start: bool = False  # the rewrite changes how a measure's line begins


def transformed(folder: Path, out: Path, rewrite: Rewrite) -> None:
    """``folder``'s excerpts and gold rewritten into ``out``."""
    for gold_path in sorted(folder.glob("*.json")):
        source = folder / (gold_path.stem + ".txt")
        if not source.exists():
            continue
        text = rewrite.text(source.read_text(encoding="utf-8"))
        target = out / f"{source.stem}.{rewrite.kind}"
        if rewrite.kind in ("docx", "pdf"):
            target.with_suffix(".docx").write_bytes(docx_bytes(text))
        elif rewrite.kind == "html":
            target.write_bytes(html_bytes(text))
        else:
            target.write_text(text, encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        original = source.read_text(encoding="utf-8").split("\n")
        for m in gold["measures"]:
            if rewrite.moves_start:  # the measure's line as rewritten begins it now
                line = next((ln for ln in original if ln.lstrip().startswith(m["text_start"].lstrip())), None)
                if line is not None and rewrite.text(line) != line:
                    m["text_start"] = rewrite.text(line).lstrip()[:20]
            m["text_start"] = rewrite.names(m["text_start"])
            for role in ROLES:
                m[role] = [rewrite.names(n) for n in m[role]]
        (out / gold_path.name).write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    if rewrite.kind == "pdf":  # printed as LibreOffice prints the .docx, then only the PDF kept
        docs = sorted(out.glob("*.docx"))
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{out}/profile", "--convert-to", "pdf",
                        "--outdir", str(out), *map(str, docs)], capture_output=True, timeout=900, check=True)
        for doc in docs:
            doc.unlink()


def rewrites() -> list[Rewrite]:
    trad = _traditional()
    return [
        Rewrite("as written", lambda t: t),
        Rewrite("traditional", trad, trad or (lambda n: n)),
        Rewrite("ASCII punctuation", to_ascii, to_ascii),
        Rewrite("full-width punctuation", to_full, to_full),
        Rewrite("hard-wrapped at 76 columns", wrap),
        Rewrite("…and page numbers (— 3 —)", paged),
        Rewrite("other role words", synonyms),
        Rewrite("units parted by ，", commas),
        Rewrite("last two joined by 和", conjunction),
        Rewrite("annotation on its own line", own_line),
        Rewrite("units first, 1.【…】", front, moves_start=True),
        Rewrite("as .docx", lambda t: t, kind="docx"),
        Rewrite("as .html", lambda t: t, kind="html"),
        Rewrite("printed to .pdf", (lambda t: t) if shutil.which("soffice") else None, kind="pdf"),
    ]


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "tests" / "data" / "dev"
    print(f"{'rewrite':<28}{'pairs':>10}{'F1':>8}{'roles':>8}{'lost':>6}")
    for rewrite in rewrites():
        if rewrite.text is None:
            print(f"{rewrite.name:<28}  (skipped: {'LibreOffice (soffice)' if rewrite.kind == 'pdf' else 'opencc'} missing)")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            transformed(folder, Path(tmp), rewrite)
            rows, total = score_dir(tmp)
        lost = sum(1 for r in rows if r.expected and not r.found)
        print(f"{rewrite.name:<28}{f'{total.right_pairs}/{total.gold_pairs}':>10}{total.f1:>8.3f}"
              f"{total.role_accuracy:>8.3f}{lost:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
