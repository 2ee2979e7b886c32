"""Plain text a page width broke into lines (copied out of a PDF) reads like the paragraphs
it came from, and its warnings still name the file's own lines."""

from pathlib import Path

import pytest

from kepugraph.extraction.parser import parse_file
from kepugraph.reading.source import read_source
from kepugraph.reading.textnorm import display_width

DEV = Path(__file__).resolve().parent / "data" / "dev"


def hard_wrap(text: str, width: int = 76) -> str:
    """Prose lines cut at ``width`` display columns, as a PDF's text layer gives them."""
    out = []
    for line in text.split("\n"):
        part = ""
        for ch in line:
            if display_width(part + ch) > width:
                out.append(part)
                part = ""
            part += ch
        out.append(part)
    return "\n".join(out)


def units_of(path) -> list[tuple[str, list[tuple[str, str]]]]:
    return [(m.text[:12], [(u.name, u.role) for u in m.units]) for m in parse_file(path).measures]


@pytest.mark.parametrize("excerpt", ["104", "120", "130", "177", "186"])
def test_a_hard_wrapped_copy_reads_as_the_original(tmp_path, excerpt):
    """Label words (配合单 / 位：), unit names (市规划和自然资源 / 局) and sentences broken at
    the line end: the same measures, units and roles as the text they were cut from."""
    original = DEV / f"{excerpt}.txt"
    wrapped = tmp_path / f"{excerpt}.txt"
    wrapped.write_text(hard_wrap(original.read_text(encoding="utf-8")), encoding="utf-8")
    assert read_source(original).unwrapped is None
    assert read_source(wrapped).unwrapped is not None
    assert units_of(wrapped) == units_of(original)


def test_texts_that_were_not_hard_wrapped_are_read_as_they_are():
    for path in [None, *sorted(DEV.glob("*.txt"))]:
        document = read_source(path)
        assert document.unwrapped is None, path


def test_warnings_and_measures_name_the_lines_of_the_file(tmp_path):
    sentence = "加强科普阵地建设，推动科普资源共建共享，提升基层科普服务能力和水平。"
    text = "\n".join(["某县科普工作方案", "一、重点任务",
                     "1." + sentence * 3 + "（区科协牵头，区教育局配合）",
                     "2." + sentence * 3 + "（区委组织部、区科协负责",  # never closed
                     "3.做好宣传。（区科\x07协负责）"])
    path = tmp_path / "plan.txt"
    path.write_text(hard_wrap(text) + "\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[4:6] == ["设，推动科普资源共建共享，提升基层科普服务能力和水平。（区科协牵头，区教育局", "配合）"]
    assert lines[8][27:] == "（区委组织部、区科协负" and lines[10][10] == "\x07"
    plan = parse_file(path)
    assert read_source(path).unwrapped is not None
    assert [(m.line, [(u.name, u.role) for u in m.units]) for m in plan.measures] == [
        (3, [("区科协", "lead"), ("区教育局", "support")]), (11, [("区科协", "joint")])]  # the control character made a space; the name is one
    # the unread list starts on the file's line 9 at column 29; the control character is on line 11
    assert [(w.line, w.column, w.message) for w in plan.warnings] == [
        (9, 29, "looks like a responsibility but was not read"),
        (11, 11, "control character U+0007 replaced by a space")]


def test_printed_page_numbers_are_dropped_and_a_paragraph_runs_on_across_them(tmp_path):
    sentence = "加强科普阵地建设，推动科普资源共建共享，提升基层科普服务能力和水平。"
    lines = hard_wrap("\n".join(["一、重点任务", "1." + sentence * 3 + "（区科协牵头，区教育局配合）",
                                 "2." + sentence * 3 + "（区科协负责）"])).split("\n")
    lines.insert(3, "— 1 —")  # a page ends inside item 1
    lines += ["第 2 页 共 2 页", "3.做好宣传。（区融媒体中心、区委宣传部负责）", "4.建设科普基地。（区科协 负责）"]
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    document = read_source(path)
    assert "— 1 —" not in document.text and "第 2 页" not in document.text
    plan = parse_file(path)
    assert [(m.line, m.label, [u.name for u in m.units]) for m in plan.measures] == [
        (2, "1.", ["区科协", "区教育局"]), (7, "2.", ["区科协"]), (11, "3.", ["区融媒体中心", "区委宣传部"]),
        (12, "4.", ["区科协"])]
    assert plan.measures[0].text.startswith("1." + sentence * 3)  # joined over the page number
