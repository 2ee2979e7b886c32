"""The long fuzz (minutes, not in CI): ``make fuzz`` or ``python bench/fuzz.py [SECONDS]``.

Random inputs, built from pieces that have broken things before (markers, role words,
brackets, control characters, impossible dates, formula openers, hostile graph syntax),
go through every entry point a user reaches: the parser, the readers of each format,
loading a graph, the SPARQL checks, file names. Every failure must be a KepugraphError;
anything else is counted and its first lines printed. Prints the count of inputs and of
non-project exceptions (the goal: 0).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kepugraph.errors import KepugraphError  # noqa: E402
from kepugraph.extraction.parser import parse_text  # noqa: E402
from kepugraph.outputs.sheets import safe_filename  # noqa: E402
from kepugraph.rdf import plan_to_graph  # noqa: E402
from kepugraph.rdf.turtle import load_graph  # noqa: E402
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


def one(rng: random.Random, folder: Path) -> None:
    kind = rng.choice(["parse", "read", "graph", "query", "name"])
    if kind == "parse":
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
            try:
                one(rng, Path(tmp))
            except KepugraphError:
                pass
            except Exception:  # noqa: BLE001 - what the fuzz looks for
                failures += 1
                where = traceback.format_exc().strip().splitlines()[-1]
                if where not in seen:
                    seen.add(where)
                    print(f"non-project exception #{failures}: {where}", file=sys.stderr)
    print(f"{inputs} inputs in {seconds:g} s, {failures} non-project exceptions")


if __name__ == "__main__":
    main()
