"""The long fuzz (minutes, not in CI): ``make fuzz`` or ``python bench/fuzz.py [SECONDS]``.

Random inputs, built from pieces that have broken things before (markers, role words,
brackets, control characters, impossible dates, formula openers, hostile graph syntax, PDF
streams behind filters, xlsx cells without positions, glued unit cells),
go through every entry point a user reaches: the parser, the readers of each format,
loading a graph, the SPARQL checks, file names. Every failure must be a KepugraphError;
anything else is counted and its first lines printed. Prints the count of inputs and of
non-project exceptions and of inputs slower than SLOW seconds (the goal: 0).
"""

from __future__ import annotations

import base64
import io
import random
import sys
import tempfile
import time
import traceback
import zipfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepugraph.errors import KepugraphError  # noqa: E402
from kepugraph.extraction.parser import parse_text  # noqa: E402
from kepugraph.outputs.sheets import safe_filename  # noqa: E402
from kepugraph.rdf import plan_to_graph  # noqa: E402
from kepugraph.rdf.turtle import load_graph  # noqa: E402
from kepugraph.reading.pdf import pdf_text  # noqa: E402
from kepugraph.reading.source import read_source  # noqa: E402
from kepugraph.sparql import check  # noqa: E402

TEXT = ["一、", "（一）", "1.", "2、", "（1）", "①", "——", "（", "）", "(", ")", "〔", "〕", "、", "，", "；", "：", "。", "\n",
        " ", "牵头", "负责", "配合", "会同", "由", "按职责分工负责", "牵头单位：", "责任单位：", "省牵头单位:", "区科协",
        "区教育局", "各县（市、区）人民政府", "有关部门", "等部门和", "下同", "排在首位的为牵头单位", "以下各项工作均需",
        "不再单独列出", "序号", "重点任务", " | ", "\t", "完成时限：", "2025年底前", "不少于50人次", "\x1b]0;x\x07", "\x00",
        "\u202e", "二〇二二年十十月一日", "2022年2月31日", "=1+1局", "@SUM(", "《泰安市方案》（泰政办字〔2022〕12号）",
        "泰山政办字〔2022〕7号", "关于印发", "的通知", "𠀀", "\ufeff"]
GRAPH = ['{"@context": "http://127.0.0.1:9/x"}', '<!DOCTYPE r [<!ENTITY a "x">]>', "@prefix kp: <https://w3id.org/kepugraph#> .",
         '<a> <b> "c" .', "kp:x a kp:Plan .", '"\\u0022"', "<rdf:RDF>", "[", "]", "{", "}", "\x00", "kp:ordinal \"abc\" ;"]
QUERY = ["SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "SERVICE", "<http://127.0.0.1:9/>", "\\u0022", '"', "#",
         "LOAD", "INSERT DATA", "GRAPH ?g", "FILTER(REGEX(?o, \"(\"))", "\n"]


def pieces(rng: random.Random, vocabulary: list[str], n: int) -> str:
    return "".join(rng.choice(vocabulary) if rng.random() < 0.85 else chr(rng.randint(0, 0x2FFFF))
                   for _ in range(rng.randint(0, n)))


GLUE = ["办事", "街道", "处", "局", "委", "办", "中心", "所", "站", "区", "和", "分局", "科协", "管委会", "人民政府", "文化馆"]
#: An input that takes longer than this is counted as a failure too: the time bounds are the point.
SLOW = 20.0
PDF_SECONDS = 5.0


def pdf_bytes(rng: random.Random) -> bytes:
    """A one-page PDF whose content hides behind random filters (Flate, ASCIIHex, ASCII85),
    opened with a random line end, holding text operators or a run of zeros."""
    if rng.random() < 0.5:
        content = b"BT /F1 12 Tf 72 720 Td (" + pieces(rng, TEXT, 30).encode("latin-1", "ignore") + b") Tj ET\n"
        content *= rng.choice([1, 10, 10_000])
    else:
        content = b"\0" * rng.choice([10, 1_000_000, 40_000_000])
    filters = []
    if rng.random() < 0.7 or len(content) > 1_000_000:
        content, filters = zlib.compress(content, 9), ["/FlateDecode"]
    if rng.random() < 0.3:
        content, filters = content.hex().encode() + b">", ["/ASCIIHexDecode", *filters]
    elif rng.random() < 0.3:
        content, filters = base64.a85encode(content, adobe=True), ["/ASCII85Decode", *filters]
    opening = rng.choice([b"stream\n", b"stream\r\n", b"stream\r"])
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d /Filter [%s] >>\n" % (len(content), " ".join(filters).encode()) + opening + content
               + b"\nendstream", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = b"%PDF-1.4\n"
    for i, obj in enumerate(objects, 1):
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    return out + b"trailer << /Root 1 0 R >>\n%%EOF\n"


def xlsx_bytes(rng: random.Random) -> bytes:
    """A workbook whose cells carry no r= (they compress ~100 times), some merged."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    rows, cols = rng.choice([(1, 1), (50, 5), (50, 120), (21_000, 1), (5_000, 90)])
    words = "".join(w for w in (rng.choice(TEXT) for _ in range(3)) if w.isalnum())  # XML-safe text
    row = "<row>" + "".join(f"<c t=\"inlineStr\"><is><t>{words}</t></is></c>" if c % 2 else f"<c><v>{c}</v></c>"
                            for c in range(cols)) + "</row>"
    merged = "".join(f'<mergeCell ref="A{r}:B{r + rng.randint(0, 3)}"/>' for r in range(1, rng.randint(1, 5)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
                   'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                   'officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
                   '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook {ns} {rel}><sheets><sheet name="表" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                   'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0"?><worksheet {ns}><sheetData>{row * rows}'
                   f'</sheetData><mergeCells>{merged}</mergeCells></worksheet>')
    return buf.getvalue()


def glued_table(rng: random.Random) -> str:
    """A task table whose unit cell lost its separators: long runs of unit endings."""
    cell = "".join(rng.choice(GLUE) for _ in range(rng.randint(1, 80)))
    return f"序号\t工作任务\t责任单位\n1\t开展科普活动\t区科协\n2\t推进工作\t{cell}\n"


KINDS = ["parse", "read", "graph", "query", "name", "pdf", "xlsx", "glued"]


def one(rng: random.Random, folder: Path, kind: str) -> None:
    if kind == "pdf":
        path = folder / "f.pdf"
        path.write_bytes(pdf_bytes(rng))
        pdf_text(path, path.read_bytes(), seconds=PDF_SECONDS)  # the reader's own budget, shorter here
    elif kind == "xlsx":
        path = folder / "f.xlsx"
        path.write_bytes(xlsx_bytes(rng))
        parse_text(read_source(path).text)
    elif kind == "glued":
        plan_to_graph(parse_text(glued_table(rng)))
    elif kind == "parse":
        plan_to_graph(parse_text(pieces(rng, TEXT, 120)))
    elif kind == "read":
        path = folder / f"f{rng.choice(['.txt', '.html', '.docx', '.xlsx', '.pdf', '.doc'])}"
        data = pieces(rng, TEXT, 200).encode(rng.choice(["utf-8", "gb18030", "utf-16-le"]), errors="ignore")
        path.write_bytes(data if rng.random() < 0.8 else bytes(rng.randint(0, 255) for _ in range(200)))
        parse_text(read_source(path).text)
    elif kind == "graph":
        path = folder / f"g{rng.choice(['.ttl', '.jsonld', '.rdf', '.nt'])}"
        path.write_text(pieces(rng, GRAPH, 40), encoding="utf-8", errors="ignore")
        load_graph(path)
    elif kind == "query":
        check(" ".join(rng.choice(QUERY) for _ in range(rng.randint(0, 20))))
    else:
        name = safe_filename(pieces(rng, TEXT, 60), ".xlsx")
        assert "/" not in name and len(name.encode()) <= 120, name


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 180.0
    rng = random.Random(20261201)
    inputs = failures = 0
    seen: set[str] = set()
    deadline = time.monotonic() + seconds
    with tempfile.TemporaryDirectory() as tmp:
        while time.monotonic() < deadline:
            inputs += 1
            started = time.monotonic()
            kind = rng.choice(KINDS)
            try:
                one(rng, Path(tmp), kind)
            except KepugraphError:
                pass
            except Exception:  # noqa: BLE001 - what the fuzz looks for
                failures += 1
                where = traceback.format_exc().strip().splitlines()[-1]
                if where not in seen:
                    seen.add(where)
                    print(f"non-project exception #{failures}: {where}", file=sys.stderr)
            took = time.monotonic() - started
            if took > SLOW:
                failures += 1
                print(f"slow input #{failures} ({kind}): {took:.1f} s", file=sys.stderr)
    print(f"{inputs} inputs in {seconds:g} s, {failures} non-project exceptions")


if __name__ == "__main__":
    main()
