"""The third adversarial round (issue #25): each case reproduced, each bounded in time or memory."""

import time

from kepugraph.extraction.parser import parse_text
from kepugraph.extraction.units import split_glued


def test_a_glued_cell_of_repeated_words_is_split_in_linear_time():
    # 街道办事 + 办事×30 + 处 took 8 s (each two characters doubled it); ×36 took 199 s
    cell = "街道办事" + "办事" * 30 + "处"
    text = f"序号\t工作任务\t责任单位\n1\t开展科普活动进社区\t区科协\n2\t推进科普阵地建设\t{cell}\n"
    start = time.monotonic()
    plan = parse_text(text)
    assert time.monotonic() - start < 3
    assert [[u.name for u in m.units] for m in plan.measures] == [["区科协"], [cell]]
    start = time.monotonic()
    assert split_glued("街道办事" + "办事" * 2000 + "处", {"区科协"}) == ["街道办事" + "办事" * 2000 + "处"]
    assert time.monotonic() - start < 3
    # the split itself is as before: a known name on either side, or a part that splits again
    assert split_glued("派出所工商质监所文化馆", {"文化馆"}) == ["派出所", "工商质监所", "文化馆"]


def test_a_long_run_of_one_unit_name_is_scanned_once():
    # 一、重点任务 and 4,000 lines of one name (40 KB) took 37 s: each line began a header scan to the end
    text = "一、重点任务\n" + "区科学技术协会\n" * 4000 + "1.开展科普活动。（区科协负责）\n"
    start = time.monotonic()
    plan = parse_text(text)
    assert time.monotonic() - start < 5
    assert [[u.name for u in m.units] for m in plan.measures] == [["区科协"]]
