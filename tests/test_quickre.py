"""The parser's faster paths give what the plain ones give: quickre.prefiltered patterns (a
lookahead for the characters their matches open with) find exactly what the patterns find;
the recall net's lists and covered spans, and normalize's replacing, are those of a plain scan."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kepugraph.extraction import annotations, blocks, items, quickre, targets
from kepugraph.reading.source import BUNDLED_PLAN
from kepugraph.reading.textnorm import normalize

DATA = Path(__file__).parent / "data"
TEXTS = [normalize(p.read_text(encoding="utf-8")) for p in [BUNDLED_PLAN, *sorted((DATA / "dev").glob("*.txt"))]]
#: each prefiltered pattern under the name of the module that makes it (others import it)
_FOUND = {id(value): (f"{m.__name__.rsplit('.', 1)[1]}.{name}", value)
          for m in (targets, items, blocks, annotations) for name, value in vars(m).items()
          if isinstance(value, re.Pattern) and value.pattern.startswith("(?=[")}
PREFILTERED = dict(_FOUND.values())


def _original(p: re.Pattern) -> re.Pattern:
    inner = p.pattern[p.pattern.index("])(?:") + 5:-1]
    return re.compile(inner, p.flags)


def test_the_parsers_scanning_patterns_are_prefiltered():
    assert sorted(PREFILTERED) == [
        "annotations.FIELD_LABEL_RE", "annotations.LABEL_RE", "annotations.ROLE_WORDS_RE", "annotations._TIME_RE",
        "annotations._VERB_RE", "blocks._NAMED_ROLE_RE", "items._LOOSE", "targets._PERIOD_RE", "targets._TARGET_RE"]


@pytest.mark.parametrize("name", sorted(PREFILTERED))
def test_a_prefiltered_pattern_finds_what_the_pattern_finds(name):
    fast = PREFILTERED[name]
    slow = _original(fast)
    for text in TEXTS:
        assert [(m.span(), m.groups()) for m in fast.finditer(text)] == \
            [(m.span(), m.groups()) for m in slow.finditer(text)]
        for pos in range(0, len(text), 7):  # from inside the text, and within a window
            end = min(len(text), pos + 40)
            for a, b in ((fast.search(text, pos), slow.search(text, pos)),
                         (fast.match(text, pos, end), slow.match(text, pos, end))):
                assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups()))


def test_what_cannot_be_told_is_left_as_it_is():
    for pattern in (r"[^、]+、", r".牵头", r"(?i)abc", r"(?:牵头)?", r"(a)?\1b", r"\w*"):
        p = re.compile(pattern)
        assert quickre.prefiltered(p) is p
    assert quickre.prefiltered(re.compile(r"\d+人|不少于")).pattern == r"(?=[\d不])(?:\d+人|不少于)"


def test_the_recall_nets_lists_are_those_of_every_stretch_holding_a_comma():
    """recall._lists skips what cannot hold a list (no 、, no verb) and asks the first name
    first: it finds what _LIST_RE finds in every stretch between separators."""
    from kepugraph.extraction import recall

    runs = re.compile(r"[^\s,，。;；:：()“”《》]+")
    plain = re.compile(recall._LIST_RE.pattern[recall._LIST_RE.pattern.index("(?P<list>"):])
    found = 0
    for text in TEXTS:
        expected = [m.span() for run in runs.finditer(text) for m in plain.finditer(text, run.start(), run.end())]
        assert [m.span() for m in recall._lists(text)] == expected
        found += len(expected)
    assert found == 68  # in the sample and the dev excerpts


def test_the_recall_nets_covered_spans_answer_as_a_scan_of_them_would():
    from kepugraph.extraction.recall import _Spans

    spans = [(10, 20), (12, 14), (30, 31), (5, 8), (40, 40), (50, 45), (18, 35)]
    inside = [pos for pos in range(0, 60) if pos in _Spans(spans)]
    assert inside == [pos for pos in range(0, 60) if any(a <= pos < b for a, b in spans)]
    assert inside == [5, 6, 7, *range(10, 35)]
    assert 3 not in _Spans([])


def test_normalize_replaces_what_str_translate_would():
    import random

    from kepugraph.reading import textnorm

    for text in TEXTS + [p.read_text(encoding="utf-8") for p in sorted((DATA / "dev").glob("*.txt"))]:
        assert textnorm._translated(text) == text.translate(textnorm.TABLE)
    changed = sorted(map(chr, textnorm.TABLE))
    rng = random.Random(24)
    for _ in range(2000):  # any mix of the characters that change, the chain 薴 → 苧 → 苎 included
        text = "".join(rng.choice(changed + ["区", "科", "协", "a", " "]) for _ in range(rng.randint(0, 40)))
        assert textnorm._translated(text) == text.translate(textnorm.TABLE)
    assert textnorm.normalize("（責任單位：市科協）薴") == "(责任单位:市科协)苧"  # once, as translate
