"""Encodings, line ends and the bad-input errors of reading a file."""

import json

import pytest

from kepugraph.errors import SourceError
from kepugraph.extraction.parser import parse_file
from kepugraph.reading.source import read_source

TEXT = "一、任务\r\n1.开展科普活动。（區科協、区教育局按职责分工负责）\r\n"


@pytest.mark.parametrize("encoding, prefix", [
    ("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("gb18030", b""), ("gbk", b""), ("utf-16-le", b"\xff\xfe"),
    ("utf-16-be", b"\xfe\xff"),
], ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16-le", "utf-16-be"])
def test_encodings_are_detected(tmp_path, encoding, prefix):
    p = tmp_path / "plan.txt"
    p.write_bytes(prefix + TEXT.encode(encoding))
    source = read_source(p)
    assert source.text == TEXT.replace("\r\n", "\n")
    plan = parse_file(p)
    assert [(u.name, u.role) for u in plan.measures[0].units] == [("區科協", "joint"), ("区教育局", "joint")]


def test_gbk_is_not_mistaken_for_utf8(tmp_path):
    p = tmp_path / "plan.txt"
    p.write_bytes("科普".encode("gbk") * 50)
    assert read_source(p).encoding == "gb18030"


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: d, "is a directory, not a file"),
    (lambda d: _write(d / "empty.txt", b""), "file is empty"),
    (lambda d: _write(d / "blank.txt", b"  \n\n "), "file is empty"),
    (lambda d: _write(d / "bin.txt", bytes(range(256)) * 8), "binary file, not a text document"),
    (lambda d: _write(d / "bad.txt", "一、任务".encode() + b"\x80\xff\x80\xff"),
     "cannot decode: not UTF-8 (bad byte at 12) and not GB18030"),
], ids=["missing", "directory", "empty", "blank", "binary", "undecodable"])
def test_bad_input_is_one_clear_error(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(SourceError) as info:
        read_source(path)
    assert str(info.value) == f"{path}: {message}"
    assert "\n" not in str(info.value)


def test_size_limit(tmp_path):
    p = _write(tmp_path / "big.txt", "科".encode() * 100)
    with pytest.raises(SourceError, match=r"big.txt: file is 300 bytes, over the limit of 100 bytes$"):
        read_source(p, max_bytes=100)


def test_html_article_is_kept_and_navigation_dropped(tmp_path):
    page = ("<html><head><meta charset='gbk'><title>t</title></head><body>"
            "<div class='nav'>首页 | 政务公开（区政府办负责）</div>"
            "<div class='article-content'><p>一、任务</p><p>1.开展科普活动。（区科协负责）</p>"
            + "<p>" + "说明文字。" * 50 + "</p></div><div class='footer'>版权所有（区科协负责）</div></body></html>")
    p = _write(tmp_path / "plan.html", page.encode("gbk"))
    plan = parse_file(p)
    assert [(m.title, [u.name for u in m.units]) for m in plan.measures] == [("开展科普活动", ["区科协"])]


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_a_plan_kept_as_a_task_tree_in_code_is_read_by_its_structure(tmp_path):
    """JSON and a JavaScript object literal: nodes by depth are the outline, their unit fields
    (owner, lead, support) the annotation of the task."""


    js = ("var plan = {title: '甲市科普工作要点', children: [\n"
          "  {name: '提升科普能力', children: [\n"
          "    {title: '建设科普场馆', content: '新建科普馆2个', lead: '市科协', support: ['市教育局', '市财政局']},\n"
          "    {title: '推进科普进校园', content: '每年开展活动20场', owner: '市教育局'},\n"
          "  ]},\n]};\n")
    (tmp_path / "plan.js").write_text(js, encoding="utf-8")
    (tmp_path / "plan.json").write_text(json.dumps([{"title": "提升科普能力", "children": [
        {"title": "建设科普场馆", "content": "新建科普馆2个", "牵头单位": "市科协", "配合单位": ["市教育局", "市财政局"]},
        {"title": "推进科普进校园", "content": "每年开展活动20场", "责任单位": "市教育局"}]}], ensure_ascii=False),
        encoding="utf-8")
    expected = [("建设科普场馆", [("市科协", "lead"), ("市教育局", "support"), ("市财政局", "support")]),
                ("推进科普进校园", [("市教育局", "joint")])]
    for name in ("plan.js", "plan.json"):
        plan = parse_file(tmp_path / name)
        assert [(m.title, [(u.name, u.role) for u in m.units]) for m in plan.measures] == expected, name
        # the top object's title (甲市科普工作要点) is the plan's, so its child is the first heading
        assert plan.measures[0].path[-1] == "一、提升科普能力"
    assert parse_file(tmp_path / "plan.js").meta.title == "甲市科普工作要点"
