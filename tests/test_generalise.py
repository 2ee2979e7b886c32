"""The generalisation harness (bench/generalise.py, ``make generalise``): each rewrite takes a
signal away from every dev excerpt; the parser's figures on each are pinned here, so that a
change which reads more (or less) shows in the diff."""

import json
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import generalise  # noqa: E402

from kepugraph.eval import score_dir  # noqa: E402

DEV = ROOT / "tests" / "data" / "dev"

# right pairs of 441, and annotated excerpts with no measure found
EXPECTED = {"header-blind": (415, 3), "one-line": (434, 0), "junk-separated": (437, 0), "label-synonym": (426, 1)}


@pytest.mark.parametrize("rewrite", generalise.REWRITES, ids=lambda r: r.name)
def test_each_rewrite_scores_as_pinned(rewrite):
    with tempfile.TemporaryDirectory() as tmp:
        generalise.transformed(DEV, Path(tmp), rewrite)
        rows, total = score_dir(tmp)
    lost = sum(1 for r in rows if r.expected and not r.found)
    assert total.gold_pairs == 441
    assert (total.right_pairs, lost) == EXPECTED[rewrite.name]


def test_header_blind_renames_a_header_row_in_every_flattened_form():
    bars = "序号 |\n主要任务 |\n牵头 单位 |\n1 |\n推进甲事。 |\n市甲局 |"
    assert generalise.header_blind(bars, 0, set()) == "栏目1 |\n栏目2 |\n栏目3 |\n1 |\n推进甲事。 |\n市甲局 |"
    spaces = "序号 类别 主要任务 牵头单位\n1 甲 推进甲事 市甲局"
    assert generalise.header_blind(spaces, 0, set()).split("\n")[0] == "栏目1 栏目2 栏目3 栏目4"
    cells = "序号\n\n重点工作任务\n\n协同配合单位\n\n1\n\n推进甲事\n\n县各有关单位"
    assert generalise.header_blind(cells, 0, set()) == "栏目1\n\n栏目2\n\n栏目3\n\n1\n\n推进甲事\n\n县各有关单位"
    # a gold unit or vague reference in a run of short cells is data, never a header
    assert generalise.header_blind("序号\n牵头单位\n县各有关单位\n", 0, {"县各有关单位"}) == "序号\n牵头单位\n县各有关单位\n"
    # an own-line label with its units is not a header cell
    assert generalise.header_blind("牵头单位：市甲局\n责任单位：市乙局\n配合单位：市丙局", 0, set()).count("栏目") == 0


def test_junk_separator_is_one_the_excerpt_does_not_hold():
    text = "一、总则\nРабота ■ ??\n1.推进甲事"
    out = generalise.junk_separated(text, 0, set())
    assert "\n" not in out and out.count("◆") == 2


def test_label_synonym_keeps_the_role_and_the_measure_start():
    text = "1.推进甲事。（牵头单位：市甲局；配合单位：市乙局）\n2.推进乙事。（市丙局牵头，市丁局配合）\n3.负责人培训。（市戊局负责）"
    out = generalise.label_synonym(text, 7, set())
    lead, support = (generalise._LABELS[r] for r in ("lead", "support"))
    label_a, label_b = out.split("（", 1)[1].split("：")[0], out.split("；", 1)[1].split("：")[0]
    assert label_a in lead and label_a != "牵头单位" and label_b in support and label_b != "配合单位"
    assert "市丙局牵头" in out and "配合" not in out.split("\n")[1]
    assert out.split("\n")[2].startswith("3.负责人培训") and "市戊局负责" not in out
    with tempfile.TemporaryDirectory() as tmp:
        rewrite = next(r for r in generalise.REWRITES if r.name == "label-synonym")
        generalise.transformed(DEV, Path(tmp), rewrite)
        gold = json.loads((Path(tmp) / "104.json").read_text(encoding="utf-8"))
        text = (Path(tmp) / "104.txt").read_text(encoding="utf-8")
    assert all(m["text_start"] in text for m in gold["measures"])
