"""How the parser holds when the signals it leans on are taken away.

``bench/invariance.py`` rewrites the excerpts the way real copies of a plan differ. This
harness goes further: each rewrite removes one kind of signal a reader might lean on,
while a person still reads the same units in the same roles.

- **header-blind**: every table header cell (序号, 重点工作任务, 牵头单位 …) becomes a
  neutral 栏目1, 栏目2 …: the columns must be typed by what their cells hold. Roles that
  only a header gave are lost with it, so read the pair figure, not the role figure.
- **one-line**: every line break removed, as a page that lost its paragraphs gives the text.
- **junk-separated**: every line break replaced by a stray character (Р, ■, ??, ◆ …, one per
  excerpt, never one the excerpt already holds), as a bad converter leaves them.
- **label-synonym**: each label and role word swapped for another of the same role
  (牵头单位 → 总牵头单位, 配合单位 → 协同单位, 责任单位 → 责任主体, A、B配合 → A、B协同 …) from
  lists kept here, which the parser does not read.

Every excerpt with a gold ``.json`` is rewritten with its gold (a measure's ``text_start`` is
rewritten with the text) and scored with the scorer of ``make eval``.

    python bench/generalise.py [DIR]      (default tests/data/dev)

Prints one line per rewrite: pairs found, precision, recall, F1, role accuracy, excerpts
lost (annotated, no measure found); ``--per-excerpt`` adds each excerpt's F1 under it.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kepugraph.eval import score_dir  # noqa: E402
from kepugraph.vocab import ROLES  # noqa: E402

# ---------------------------------------------------------------------------------------------
# header-blind

#: Nouns that end or make a table header cell. A cell is a header cell when, without its
#: spaces, it is a short phrase of CJK characters holding one of them, and it stands in a run
#: of at least three such cells (a header row, however it was flattened).
_HEADER_NOUNS = ("序号", "编号", "单位", "部门", "科室", "股室", "处室", "主体", "任务", "内容", "措施", "事项", "项目",
                 "时限", "时间", "时序", "期限", "指标", "目标", "领导", "情况", "备注", "说明", "类别", "名称", "要求",
                 "数量", "进度", "进展", "是否", "序", "領導", "單位", "時限", "內容", "備註", "說明", "項目", "類別")
_HEADER_CELL = re.compile(r"[\u4e00-\u9fff（）()]{1,14}")
_RUN = 3


def _is_header(cell: str) -> bool:
    squashed = re.sub(r"\s+", "", cell)
    return bool(_HEADER_CELL.fullmatch(squashed)) and any(n in squashed for n in _HEADER_NOUNS)


def _cells(line: str) -> list[tuple[int, int]]:
    """Spans of the cells of one line: parted by | where the line has one, by spaces where
    every space-parted token looks like a header cell (a header row flattened with spaces),
    else the whole line."""
    if "|" in line:
        spans, start = [], 0
        for i, ch in enumerate(line + "|"):
            if ch == "|":
                spans.append((start, i))
                start = i + 1
        return spans
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", line)]
    if len(tokens) >= _RUN and all(_is_header(line[a:b]) for a, b in tokens):
        return tokens
    return [(0, len(line))]


def header_blind(text: str, seed: int, protected: set[str]) -> str:
    """Every run of ≥3 header cells (blank cells and lines skipped) renamed 栏目1, 栏目2 …;
    a cell that is a gold unit or vague reference is never renamed."""
    lines = text.split("\n")
    cells = [(li, a, b) for li, line in enumerate(lines) for a, b in _cells(line)]
    marks: list[tuple[int, int, int, int]] = []  # line, start, end, column number
    run: list[tuple[int, int, int]] = []

    def flush() -> None:
        if len(run) >= _RUN:
            marks.extend((li, a, b, k) for k, (li, a, b) in enumerate(run, 1))
        run.clear()

    for li, a, b in cells:
        cell = lines[li][a:b]
        if not cell.strip():
            continue
        if _is_header(cell) and re.sub(r"\s+", "", cell) not in protected:
            run.append((li, a, b))
        else:
            flush()
    flush()
    for li, a, b, k in sorted(marks, reverse=True):
        line = lines[li]
        cell = line[a:b]
        lead = len(cell) - len(cell.lstrip())
        trail = len(cell) - len(cell.rstrip())
        lines[li] = line[:a] + cell[:lead] + f"栏目{k}" + cell[len(cell) - trail:] + line[b:]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# one-line, junk-separated

def one_line(text: str, seed: int, protected: set[str]) -> str:
    return text.replace("\r", "").replace("\n", "")


_JUNK = ("Р", "■", "??", "◆", "□", "¶")


def junk_separated(text: str, seed: int, protected: set[str]) -> str:
    junk = [j for j in _JUNK if j not in text]
    return text.replace("\r", "").replace("\n", junk[seed % len(junk)])


# ---------------------------------------------------------------------------------------------
# label-synonym

#: Labels of one role, as plans of many provinces write them. Any one may stand for another.
_LABELS = {
    "lead": ["牵头单位", "牵头部门", "牵头处室", "牵头责任单位", "总牵头单位", "主要责任单位", "牵头科室", "主责单位"],
    "support": ["配合单位", "协同单位", "协办单位", "协助单位", "参与单位", "参加单位", "配合部门", "协同配合单位",
                "配合责任单位", "协同责任单位", "参与部门"],
    # the unit that carries a task out: joint alone, lead beside a support column or clause
    "carry": ["责任单位", "责任部门", "责任主体", "责任科室", "承办单位", "落实单位", "主办单位", "实施单位"],
}
#: Role words inside an annotation (A、B配合 / A、B负责): swapped only within brackets.
_WORDS = {
    "support": ["配合", "协同", "协助", "协办", "参与"],
    "carry": ["负责", "承担"],
}
_ROLE_IN_GROUP = re.compile(r"牵头|负责|配合|参与|协助|协办|协同|责任|主办|承办|牽頭|負責|責任|參與|協助|協辦|協同")


def _traditional() -> Callable[[str], str]:
    try:
        from opencc import OpenCC
    except ImportError:  # simplified lists only
        return lambda s: s
    return OpenCC("s2t").convert


def _pick(options: list[str], word: str, seed: int) -> str:
    others = [o for o in options if o != word]
    return others[zlib.crc32(f"{seed}:{word}".encode()) % len(others)]


def _swap(table: dict[str, list[str]], seed: int) -> tuple[re.Pattern, dict[str, str]]:
    to_trad = _traditional()
    choice: dict[str, str] = {}
    for options in table.values():
        for script in (lambda s: s, to_trad):
            forms = list(dict.fromkeys(script(o) for o in options))
            for form in forms:
                choice.setdefault(form, _pick(forms, form, seed))
    words = sorted(choice, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))), choice


def label_synonym(text: str, seed: int, protected: set[str]) -> str:
    labels, label_choice = _swap(_LABELS, seed)
    both, choice = _swap({**{f"label {k}": v for k, v in _LABELS.items()}, **_WORDS}, seed)
    choice.update(label_choice)

    def in_group(group: str) -> str:
        if not _ROLE_IN_GROUP.search(group):
            return labels.sub(lambda m: label_choice[m.group(0)], group)
        # one pass, labels before the words inside them; 牵头负责 and 负责落实 keep their 负责
        return both.sub(lambda m: m.group(0) if _fixed(group, m) else choice[m.group(0)], group)

    return _bracket_groups(text, in_group, lambda part: labels.sub(lambda m: label_choice[m.group(0)], part))


def _fixed(group: str, m: re.Match) -> bool:
    before, after = group[max(0, m.start() - 2):m.start()], group[m.end():m.end() + 2]
    if m.group(0) not in ("负责", "負責"):
        return False
    return before in ("牵头", "牽頭") or after in ("落实", "落實") or after[:1] == "人"


def _bracket_groups(text: str, inside: Callable[[str], str], outside: Callable[[str], str]) -> str:
    """``inside`` applied to the top level of each bracket group ((), （）, 〔〕, 【】, []),
    ``outside`` to the text between them."""
    opening, closing = "（(〔【[", "）)〕】]"
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in opening:
            if depth == 0:
                out.append(outside(text[start:i + 1]))
                start = i + 1
            depth += 1
        elif ch in closing and depth:
            depth -= 1
            if depth == 0:
                out.append(inside(text[start:i]))
                start = i
    out.append(inside(text[start:]) if depth else outside(text[start:]))
    return "".join(out)


# ---------------------------------------------------------------------------------------------

@dataclass
class Rewrite:
    name: str
    text: Callable[[str, int, set[str]], str]
    moves_start: bool = False  # the rewrite can change the first characters of a measure


REWRITES = [
    Rewrite("header-blind", header_blind),
    Rewrite("one-line", one_line),
    Rewrite("junk-separated", junk_separated),
    Rewrite("label-synonym", label_synonym, moves_start=True),
]


def _protected(gold: dict) -> set[str]:
    return {re.sub(r"\s+", "", n) for m in gold["measures"] for key in (*ROLES, "generic_refs") for n in m[key]}


def transformed(folder: Path, out: Path, rewrite: Rewrite) -> None:
    """``folder``'s excerpts and gold, rewritten into ``out``."""
    for gold_path in sorted(folder.glob("*.json")):
        source = gold_path.with_suffix(".txt")
        if not source.exists():
            continue
        original = source.read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        seed = zlib.crc32(gold_path.stem.encode())
        protected = _protected(gold)
        (out / source.name).write_text(rewrite.text(original, seed, protected), encoding="utf-8")
        at = 0
        for m in gold["measures"]:
            start = m["text_start"]
            found = original.find(start, at)
            if found < 0:
                continue
            at = found + len(start)
            if rewrite.moves_start:  # the measure's line from its start, rewritten, begins it now
                end = original.find("\n", found)
                line = original[found:end if end >= 0 else len(original)]
                m["text_start"] = rewrite.text(line, seed, protected)[:len(start)]
        (out / gold_path.name).write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")


def main(argv: list[str]) -> int:
    per_excerpt = "--per-excerpt" in argv
    args = [a for a in argv if not a.startswith("--")]
    folder = Path(args[0]) if args else ROOT / "tests" / "data" / "dev"
    print(f"{'rewrite':<18}{'pairs':>10}{'P':>8}{'R':>8}{'F1':>8}{'roles':>8}{'lost':>6}")
    for rewrite in [Rewrite("as written", lambda t, s, p: t), *REWRITES]:
        with tempfile.TemporaryDirectory() as tmp:
            transformed(folder, Path(tmp), rewrite)
            rows, total = score_dir(tmp)
        lost = [r.name for r in rows if r.expected and not r.found]
        print(f"{rewrite.name:<18}{f'{total.right_pairs}/{total.gold_pairs}':>10}{total.precision:>8.3f}"
              f"{total.recall:>8.3f}{total.f1:>8.3f}{total.role_accuracy:>8.3f}{len(lost):>6}")
        if per_excerpt:
            for r in rows:
                if r.gold_pairs and r.f1 < 1:
                    print(f"    {r.name:<8}{f'{r.right_pairs}/{r.gold_pairs}':>10}{r.f1:>8.3f}"
                          f"{' (no measure)' if r.name in lost else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
