"""How the parser holds when the same plans are written another way.

Each transformation rewrites every development excerpt and its gold the way real copies
of a plan differ: converted to traditional characters (mirror sites), ASCII punctuation
for full-width (a plan pasted through a plain-text form), full-width for ASCII, and
prose hard-wrapped at 76 display columns, 38 CJK characters (a PDF's lines). The parser is scored on each with the
scorer of ``make eval``; a general mechanism keeps F1 where the original is.

    python bench/invariance.py [DIR]      (default tests/data/dev)

Prints one line per transformation: pairs found, F1, role accuracy, excerpts lost.
"""

from __future__ import annotations

import json
import sys
import tempfile
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


def transformed(folder: Path, out: Path, change: Callable[[str], str], gold_too: bool = True,
                wraps: bool = False) -> None:
    """``folder``'s excerpts and gold rewritten by ``change`` into ``out``."""
    for gold_path in sorted(folder.glob("*.json")):
        source = folder / (gold_path.stem + ".txt")
        if not source.exists():
            continue
        (out / source.name).write_text(change(source.read_text(encoding="utf-8")), encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        for m in gold["measures"]:
            # a hard wrap leaves names and the measure's start intact once spaces are squashed
            m["text_start"] = m["text_start"] if wraps else change(m["text_start"])
            for role in ROLES:
                m[role] = [n if wraps else change(n) for n in m[role]]
        (out / gold_path.name).write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "tests" / "data" / "dev"
    changes: list[tuple[str, Callable[[str], str] | None, bool]] = [
        ("as written", lambda t: t, False), ("traditional", _traditional(), False),
        ("ASCII punctuation", to_ascii, False), ("full-width punctuation", to_full, False),
        ("hard-wrapped at 76 columns", wrap, True)]
    print(f"{'transformation':<26}{'pairs':>10}{'F1':>8}{'roles':>8}{'lost':>6}")
    for name, change, wraps in changes:
        if change is None:
            print(f"{name:<26}  (skipped: pip install opencc-python-reimplemented)")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            transformed(folder, Path(tmp), change, wraps=wraps)
            rows, total = score_dir(tmp)
        lost = sum(1 for r in rows if r.expected and not r.found)
        print(f"{name:<26}{f'{total.right_pairs}/{total.gold_pairs}':>10}{total.f1:>8.3f}"
              f"{total.role_accuracy:>8.3f}{lost:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
