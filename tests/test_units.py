"""Unit names: normal forms, kinds, stems across levels, aliases and merge suggestions."""

import pytest

from kepugraph.cli import main
from kepugraph.errors import SourceError
from kepugraph.extraction.units import split_etc
from kepugraph.names import compact, level_and_stem, read_aliases, suggest_merges


@pytest.mark.parametrize("a, b", [("区科协", "區科協"), ("区 科 协", "区科协"), ("各县（市、区）人民政府", "各县(市、区)人民政府")])
def test_normal_forms_match(a, b):
    assert compact(a) == compact(b)


@pytest.mark.parametrize("name, level, stem", [
    ("区科协", "区", "科协"), ("市科协", "市", "科协"), ("省科协", "省", "科协"), ("中国科协", "中国", "科协"),
    ("区科学技术协会", "区", "科协"), ("区教育和体育局", "区", "教体局"), ("区人力资源和社会保障局", "区", "人社局"),
    ("区发展和改革局", "区", "发改局"), ("团区委", "区", "团委"), ("区融媒体中心", "区", "融媒体中心"),
])
def test_levels_and_stems(name, level, stem):
    assert level_and_stem(name) == (level, stem)


def test_etc_is_split_off():
    assert split_etc("区水务局等部门") == ("区水务局", "等部门")
    assert split_etc("全国妇联等部门单位") == ("全国妇联", "等部门单位")
    assert split_etc("区科协") == ("区科协", None)


def test_suggest_merges():
    names = ["区科协", "区科学技术协会", "区教育和体育局", "区教体局", "区文化和旅游局", "区文化旅游局", "市科协"]
    assert suggest_merges(names) == [("区科协", "区科学技术协会", "同一词干"), ("区教育和体育局", "区教体局", "同一词干"),
                                     ("区文化和旅游局", "区文化旅游局", "仅差一字")]


def test_aliases_merge_units_and_keep_other_names(runner, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("一、任务\n1.开展活动。（区科学技术协会、区教育局按职责分工负责）\n2.建设基地。（区科协负责）\n", encoding="utf-8")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("name,canonical\n区科学技术协会,区科协\n", encoding="utf-8-sig")
    suggested = runner.invoke(main, ["build", str(plan), "-o", str(tmp_path)])
    assert suggested.stdout.startswith("plan: 2 measures, 3 units")
    result = runner.invoke(main, ["units", "--graph", str(tmp_path / "plan.ttl"), "--suggest-merges", "--format", "csv"])
    assert result.stdout.splitlines() == ["方案：plan", "单位A,单位B,理由", "区科协,区科学技术协会,同一词干"]
    result = runner.invoke(main, ["build", str(plan), "-o", str(tmp_path), "--aliases", str(aliases)])
    assert result.exit_code == 0 and result.stdout.startswith("plan: 2 measures, 2 units")
    data = runner.invoke(main, ["units", "--graph", str(tmp_path / "plan.ttl"), "--format", "json"]).stdout
    import json

    assert [(d["unit"], d["measures"]) for d in json.loads(data)] == [("区科协", 2), ("区教育局", 1)]
    assert 'skos:altLabel "区科学技术协会"@zh' in (tmp_path / "plan.ttl").read_text(encoding="utf-8")


def test_bad_aliases_file(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text("区科协\n", encoding="utf-8")
    with pytest.raises(SourceError) as info:
        read_aliases(p)
    assert str(info.value) == f"{p}: line 1: expected 'name,canonical'"
