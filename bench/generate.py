"""Realistic synthetic plans for benchmarks and corpus tests (deterministic for a seed).

One national programme cascades into province, city and county plans (about 1 : 31 :
333 : 2,840). Each plan has a covering notice with its own 文号, a preamble citing the
plan one level up, headings in one of the layouts real plans use, about thirty
measures of realistic length, and unit lists drawn from per-level pools of real
department names, annotated in the conventions the parser reads.

    python bench/generate.py --plans 100 --out /tmp/plans
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Iterator

CN = "一二三四五六七八九十"
STEMS = {  # stem: (province form, city/county form)
    "科协": ("科协", "科协"), "教育": ("教育厅", "教育局"), "科技": ("科技厅", "科技局"),
    "工信": ("工业和信息化厅", "工业和信息化局"), "农业": ("农业农村厅", "农业农村局"),
    "卫健": ("卫生健康委", "卫生健康局"), "人社": ("人力资源社会保障厅", "人力资源和社会保障局"),
    "文旅": ("文化和旅游厅", "文化和旅游局"), "应急": ("应急管理厅", "应急管理局"),
    "财政": ("财政厅", "财政局"), "发改": ("发展改革委", "发展和改革局"), "住建": ("住房城乡建设厅", "住房和城乡建设局"),
    "自然资源": ("自然资源厅", "自然资源局"), "生态环境": ("生态环境厅", "生态环境局"), "水利": ("水利厅", "水利局"),
    "气象": ("气象局", "气象局"), "宣传": ("委宣传部", "委宣传部"), "组织": ("委组织部", "委组织部"),
    "党校": ("委党校", "委党校"), "总工会": ("总工会", "总工会"), "团委": ("团省委", "团{L}委"), "妇联": ("妇联", "妇联"),
    "融媒体": ("广播电视局", "融媒体中心"), "民政": ("民政厅", "民政局"), "市场监管": ("市场监管局", "市场监管局"),
}
ACTIONS = ["青少年科学素质提升行动", "农民科学素质提升行动", "产业工人科学素质提升行动", "老年人科学素质提升行动",
           "领导干部和公务员科学素质提升行动", "科技资源科普化工程", "科普信息化提升工程", "科普基础设施工程",
           "基层科普能力提升工程", "科学素质国际交流合作工程"]
VERBS = ["完善", "实施", "推进", "加强", "提升", "建立健全", "深入开展", "大力发展", "积极推动", "持续优化"]
OBJECTS = ["校内外科技教育合作联动机制", "高素质农民培育计划", "科技资源科普化机制", "智慧助老行动", "健康科普服务",
           "科普基础设施建设统筹规划", "现代科技馆体系", "科普教育基地建设", "应急科普协调联动机制", "基层科普服务体系",
           "科普品牌活动影响力", "科普创作能力", "媒体科学传播能力", "科技工作者社会责任", "职业技能提升行动",
           "乡村振兴科技支撑行动", "教师队伍科学素质", "科学素质教育培训", "科普信息化建设", "科普志愿服务队伍"]
CLAUSES = ["坚持立德树人，将科学精神融入课堂教学和课外实践活动", "推动科普资源向农村和基层倾斜",
           "充分利用科技馆、博物馆、图书馆等科普场所资源", "广泛开展科技学习和实践活动",
           "引导企业和社会组织建立有效的科技资源科普化机制", "加强与大众传媒、专业科普组织合作联动",
           "提升科普公共服务能力，实现科普公共服务均等化", "定期开展培训，每年培训科技辅导员不少于50人次",
           "建立应急科普资源库和专家库", "推进科普活动进农村、进社区、进企业、进学校、进家庭",
           "完善考核评价机制，强化科学素质有关要求", "到2025年公民具备科学素质的比例不低于15%"]
PROVINCES = ["山东", "河南", "四川", "广东", "江苏", "河北", "湖南", "安徽", "湖北", "浙江", "云南", "江西", "辽宁",
             "福建", "陕西", "黑龙江", "山西", "贵州", "重庆", "吉林", "甘肃", "内蒙古", "上海", "新疆", "北京",
             "天津", "海南", "宁夏", "青海", "西藏", "广西"]
SHARES = [("省", 31), ("市", 333), ("县", 2840)]  # plans per level in one national cascade
PLACE_CHARS = "泰济临淄枣烟潍威日滨德聊菏青东南西北安平宁远兴华阳山川河湖江海林丰盛昌明德仁和"


def _units(rng: random.Random, level: str, k: int) -> list[str]:
    stems = rng.sample(sorted(STEMS), k)
    out = []
    for s in stems:
        prov, local = STEMS[s]
        name = prov if level == "省" else local.replace("{L}", level)
        if name.startswith("团"):
            out.append(name)
        else:
            out.append(level + name)
    return out


def _annotation(rng: random.Random, units: list[str], style: int) -> str:
    lead, rest = units[0], units[1:]
    if style == 0 or not rest:
        return f"（{'、'.join(units)}按职责分工负责）"
    if style == 1:
        return f"（{lead}牵头，{'、'.join(rest)}配合）"
    if style == 2:
        return f"（牵头单位：{lead}；配合单位：{'、'.join(rest)}）"
    return f"〔责任单位：{'、'.join(units)}〕"


def plan_text(rng: random.Random, level: str, place: str, number: int, parent_title: str | None,
              measures: int = 30) -> tuple[str, str]:
    """One plan's text and title."""
    prefix = {"国": "", "省": "省", "市": "市", "县": "县"}[level]
    who = "国务院" if level == "国" else f"{place}{prefix}人民政府办公室"
    title = f"{'' if level == '国' else place + prefix}全民科学素质行动规划纲要实施方案（2021-2025年）"
    unit_level = {"国": "省", "省": "省", "市": "市", "县": "县"}[level]
    doc_no = f"{place or '国'}{'政办' if level != '国' else '国办'}发〔2022〕{number}号"
    lines = [doc_no, f"{who}关于印发{title}的通知", "各有关单位：", f"《{title}》已经同意，现印发给你们，请认真贯彻落实。",
             who, f"2022年{rng.randint(1, 12)}月{rng.randint(1, 28)}日", title]
    cite = f"依据《{parent_title}》，" if parent_title else ""
    lines.append(f"为贯彻落实全民科学素质行动，{cite}结合实际，制定本实施方案。")
    layout = rng.randrange(3)
    per_action = max(1, measures // 5)
    n = 0
    for a in range(5):
        lines.append(f"{CN[a]}、{ACTIONS[(a + number) % len(ACTIONS)]}")
        for i in range(per_action):
            if n >= measures:
                break
            n += 1
            obj = OBJECTS[rng.randrange(len(OBJECTS))]
            body = "。".join(rng.sample(CLAUSES, rng.randint(1, 3)))
            units = _units(rng, unit_level, rng.randint(2, 6))
            style = rng.randrange(4)
            text = f"{rng.choice(VERBS)}{obj}。{body}。"
            marker = ["——", f"{i + 1}.", f"（{CN[i % 10]}）"][layout]
            if style == 3 and layout == 1:  # run-in fields under a numbered measure
                lines += [f"{marker}{text}", f"牵头单位：{units[0]}", f"配合单位：{'、'.join(units[1:])}"]
            else:
                lines.append(f"{marker}{text}{_annotation(rng, units, style)}")
    return "\n".join(lines) + "\n", title


def level_counts(n_plans: int) -> dict[str, int]:
    """How many province, city and county plans ``n_plans`` holds beside the national one:
    the levels' shares (at least one each while there is room), summing to ``n_plans - 1``
    exactly; what rounding leaves over or short is taken from or given to the counties
    first (then the cities), so the loop that makes them always ends."""
    total = sum(s for _, s in SHARES)
    want = {level: max(1, round((n_plans - 1) * share / total)) for level, share in SHARES}
    room = max(0, n_plans - 1)
    for level in ("县", "市", "省"):  # too many: the most numerous level gives first
        want[level] -= min(want[level], max(0, sum(want.values()) - room))
    want["县"] += room - sum(want.values())  # too few (--plans 120 was one short)
    return want


def generate(n_plans: int, seed: int = 2021) -> list[tuple[str, str]]:
    """``n_plans`` (file name, text) pairs: see :func:`plans`."""
    return list(plans(n_plans, seed))


def plans(n_plans: int, seed: int = 2021) -> Iterator[tuple[str, str]]:
    """``n_plans`` (file name, text) pairs, one at a time: one national, then provinces,
    cities and counties, one of each level in turn until a level has its count (linear
    in ``n_plans``; only the titles of plans a later plan may cite are kept)."""
    if n_plans < 1:
        return
    rng = random.Random(seed)
    text, national = plan_text(rng, "国", "", 1, None)
    yield "000-national.txt", text
    made_total = 1
    want = level_counts(n_plans)
    made = dict.fromkeys(want, 0)
    parents: dict[str, list[str]] = {"省": [national], "市": [], "县": []}
    k = 1
    while made_total < n_plans:
        for level, _ in SHARES:
            if made[level] >= want[level]:
                continue
            n = made[level]
            # past the 31 real provinces (30,000 plans hold 290) a number keeps titles apart, written
            # in characters as a place name is (a digit in a 文号's issuer is no real 文号)
            place = (PROVINCES[n % len(PROVINCES)] + (_counted(n // len(PROVINCES)) if n >= len(PROVINCES) else "")
                     if level == "省" else "".join(rng.choice(PLACE_CHARS) for _ in range(2)) + _counted(n))
            up = {"省": "省", "市": "省", "县": "市"}[level]
            pool = parents[up] if level != "省" else [national]
            parent = pool[n % len(pool)] if pool else national
            text, title = plan_text(rng, level, place, k + 1, parent)
            if level != "县":  # nothing cites a county plan
                parents[level].append(title)
            yield f"{k:04d}-{level}-{place}.txt", text
            made[level] += 1
            made_total += 1
            k += 1


_COUNTERS = "甲乙丙丁戊己庚辛壬癸"


def _counted(n: int) -> str:
    """``n`` in the ten heavenly stems as digits (0 → 甲, 12 → 乙丙): unique, and a name."""
    digits = ""
    while True:
        n, d = divmod(n, 10)
        digits = _COUNTERS[d] + digits
        if not n:
            return digits


def write(n_plans: int, folder: str | Path, seed: int = 2021) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in plans(n_plans, seed):
        p = folder / name
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    print(len(write(args.plans, args.out, args.seed)), "plans →", args.out)
