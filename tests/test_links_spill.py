"""The link stage of a build keeps its bulk out of memory: each plan's alignment texts and the
new links' N-Quads go to unnamed temporary files. What comes back is exactly what went in,
the links are those of a build that held everything in memory, and a build broken off
while linking leaves no file behind and is relinked whole by the next build."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

from kepugraph.store import links as links_module
from kepugraph.store.corpus import Corpus
from kepugraph.store.links import AlignTexts, Spill
from kepugraph.store.writer import Tallies

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import write  # noqa: E402

PLAN = "https://w3id.org/kepugraph/id/泰山政办字-2022-7号"


def test_alignment_texts_come_back_as_they_went_in():
    texts = AlignTexts()
    try:
        texts.put(PLAN, [(f"{PLAN}/measure/1", "加强科普基础设施建设"), (f"{PLAN}/measure/2", ""),
                         ("https://example.org/other/measure/3", "ABC科普2025")])
        texts.put("https://w3id.org/kepugraph/id/空", [])
        texts.put("https://w3id.org/kepugraph/id/甲", [("https://w3id.org/kepugraph/id/甲/measure/7", "甲乙")])
        assert texts[PLAN] == [(f"{PLAN}/measure/1", "加强科普基础设施建设"), (f"{PLAN}/measure/2", ""),
                               ("https://example.org/other/measure/3", "ABC科普2025")]
        assert texts["https://w3id.org/kepugraph/id/空"] == []
        assert texts["https://w3id.org/kepugraph/id/甲"] == [("https://w3id.org/kepugraph/id/甲/measure/7", "甲乙")]
        texts.put(PLAN, [(f"{PLAN}/measure/1", "新")])  # a plan parsed again: its later texts
        assert texts[PLAN] == [(f"{PLAN}/measure/1", "新")]
        assert PLAN in texts and "https://w3id.org/kepugraph/id/乙" not in texts
    finally:
        texts.close()


def test_a_spill_gives_back_each_piece_where_it_was_written():
    spill = Spill()
    try:
        first, second = spill.write("<a> <p> \"第1条\" <g> .\n".encode("utf-8")), spill.write(b"")
        third = spill.write("<b> <p> \"第2条\" <g> .\n".encode("utf-8"))
        assert (spill.read(third), spill.read(first), spill.read(second)) == (
            "<b> <p> \"第2条\" <g> .\n".encode("utf-8"), "<a> <p> \"第1条\" <g> .\n".encode("utf-8"), b"")
        assert spill.size == first[1] + third[1] == 48 and third[0] == 24
    finally:
        spill.close()


def test_tallies_come_back_as_they_went_in():
    tallies = Tallies()
    try:
        tallies.put(PLAN, {"units": {"区科协": [2, 1, 0, 1, {"3": 2}, 2, 0]}, "kind": {}, "stem": {}, "pairs": {}})
        tallies.put("https://w3id.org/kepugraph/id/空", None)  # a plan without a digest
        assert dict(tallies) == {PLAN: {"units": {"区科协": [2, 1, 0, 1, {"3": 2}, 2, 0]}, "kind": {}, "stem": {},
                                        "pairs": {}}, "https://w3id.org/kepugraph/id/空": None}
        assert list(tallies) == [PLAN, "https://w3id.org/kepugraph/id/空"] and len(tallies) == 2
    finally:
        tallies.close()


def _open_temporary_files() -> int:
    """How many unnamed (deleted) files in the temporary folder this process holds open."""
    folder = tempfile.gettempdir()
    count = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        count += os.path.dirname(target) == folder and target.endswith(" (deleted)")
    return count


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write(24, tmp_path_factory.mktemp("plans"))


@pytest.fixture(scope="module")
def cold(files, tmp_path_factory, link_quads) -> set[str]:
    """The links of a cold build, the link N-Quads loaded in one piece."""
    with Corpus(tmp_path_factory.mktemp("cold") / "store") as corpus:
        report = corpus.build(files, workers=1)
        assert (len(report.loaded), report.failed) == (24, [])
        found = link_quads(corpus)
    assert sum(1 for q in found if "#alignedWith>" in q) == 23 * 30  # every measure of the 23 plans citing one
    return found


def test_links_computed_by_two_workers_are_the_same(files, cold, tmp_path, link_quads):
    before = _open_temporary_files()
    with Corpus(tmp_path / "store") as corpus:
        report = corpus.build(files, workers=2)
        assert (len(report.loaded), report.failed) == (24, [])
        assert corpus.links_complete()
        assert link_quads(corpus) == cold
    assert _open_temporary_files() == before


class Stop(Exception):
    pass


def _stop_at_third_group(real):
    calls = []

    def align_group(task):
        calls.append(task)
        if len(calls) == 3:
            raise Stop
        return real(task)
    return align_group


def _stop(*args, **kwargs):
    raise Stop


@pytest.mark.parametrize("where", ["computing", "before writing", "writing"])
def test_a_build_broken_off_while_linking_leaves_no_file_and_is_relinked_next_time(files, cold, tmp_path,
                                                                                   monkeypatch, where, link_quads):
    before = _open_temporary_files()
    with Corpus(tmp_path / "store") as corpus:
        if where == "writing":  # links loaded from their temporary file: a build into a store holding plans
            corpus.build(files[:1], workers=1)
        with monkeypatch.context() as m:
            if where == "computing":
                m.setattr(links_module, "align_group", _stop_at_third_group(links_module.align_group))
            elif where == "before writing":  # every link computed, none written
                m.setattr(Corpus, "link", _stop)
            else:  # the links computed, the load of them broken off
                m.setattr(links_module, "load_spilled", _stop)
            with pytest.raises(Stop) as broken:
                corpus.build(files, workers=1)
        # closed by the build itself, not by the collector: its frames live on in the traceback
        assert broken.tb is not None and _open_temporary_files() == before
        assert not corpus.links_complete()
        assert link_quads(corpus) != cold
        again = corpus.build(files, workers=1)
        # a first build's links go into the load of its plans: broken off while computing them, no
        # plan counts as loaded and every one is parsed again; else the sources are unchanged, and
        # only the links are redone
        assert (len(again.loaded), len(again.skipped)) == ((24, 0) if where == "computing" else (0, 24))
        assert corpus.links_complete()
        assert link_quads(corpus) == cold
