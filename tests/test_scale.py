"""A corpus grown one plan at a time ends where a cold build of the same plans ends.

Adding, changing or removing one plan reads which plan cites which from the store's
catalogue instead of every plan's triples; these tests hold that shortcut to the full
computation, on plans of the bench's generator (national → province → city → county).
"""

import sys
from pathlib import Path

import pytest

from kepugraph.store.corpus import Corpus
from kepugraph.store.links import read_catalogue, scan_catalogue
from kepugraph.vocab import KINDS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from generate import write  # noqa: E402


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write(24, tmp_path_factory.mktemp("plans"))


@pytest.fixture(scope="module")
def cold(files, tmp_path_factory):
    with Corpus(tmp_path_factory.mktemp("cold") / "store") as corpus:
        report = corpus.build(files, workers=1)
        assert len(report.loaded) == 24 and not report.failed
        yield corpus


def test_the_catalogue_of_a_cold_build_is_what_the_plans_say(cold):
    catalogue = read_catalogue(cold.oxi)
    assert catalogue == scan_catalogue(cold.oxi)
    assert len(catalogue) == 24
    levels = sorted(len(cites) for _, cites in catalogue.values())
    assert levels == [0] + [1] * 23  # the national plan cites no plan; every other plan its parent
    assert sum(1 for g in cold.store.named_graphs() if g.value.endswith("/links")) == 23


def test_plans_added_one_by_one_link_as_a_cold_build(cold, files, tmp_path, link_quads):
    with Corpus(tmp_path / "store") as corpus:
        corpus.build(files[:6], workers=1)
        for f in files[6:]:  # counties and cities after their parents, then the rest
            report = corpus.build([f], workers=1)
            assert len(report.loaded) == 1
        assert link_quads(corpus) == link_quads(cold)
        assert read_catalogue(corpus.oxi) == scan_catalogue(corpus.oxi)


def test_a_parent_removed_and_added_again_relinks_its_children(cold, files, tmp_path, link_quads):
    with Corpus(tmp_path / "store") as corpus:
        corpus.build(files, workers=1)
        province = next(f for f in files if "-省-" in f.name)
        title = province.read_text(encoding="utf-8").splitlines()[6]
        iri = corpus.remove(title)
        catalogue = read_catalogue(corpus.oxi)
        assert iri not in catalogue and catalogue == scan_catalogue(corpus.oxi)
        # the cities citing it lost their links to it: none implements a plan of the corpus now
        implements = {r["a"] for r in corpus.oxi.select(
            f"SELECT ?a WHERE {{ ?a <https://w3id.org/kepugraph#implements> <{iri}> }}")}
        assert implements == set()
        report = corpus.build([province], workers=1)
        assert [p.iri for p in report.loaded] == [iri]
        assert link_quads(corpus) == link_quads(cold)


def test_a_changed_plan_keeps_the_catalogue_exact(files, tmp_path):
    with Corpus(tmp_path / "store") as corpus:
        corpus.build(files[:8], workers=1)
        changed = tmp_path / files[3].name
        text = files[3].read_text(encoding="utf-8")
        changed.write_text(text.replace("依据《", "依据《全民科学素质行动规划纲要实施方案（2021-2025年）》和《"),
                           encoding="utf-8")
        corpus.build([changed], workers=1)
        catalogue = read_catalogue(corpus.oxi)
        assert catalogue == scan_catalogue(corpus.oxi)
        assert sorted(len(c) for _, c in catalogue.values()) == [0] + [1] * 6 + [2]  # it cites two now


def test_kinds_from_the_names_are_the_kinds_stored(cold):
    # each unit's kp:kind was minted from its name; Corpus.kinds reads the name again
    stored = {r["label"]: r["kind"].rsplit("#", 1)[-1] for r in cold.oxi.select(
        """PREFIX kp: <https://w3id.org/kepugraph#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?label ?kind WHERE { ?u a kp:Unit ; skos:prefLabel ?label ; kp:kind ?kind }""")}
    names = [n for r in cold.rows() for n, _ in r.units]
    assert cold.kinds(names) == {n: KINDS[k] for n, k in stored.items()}
    assert len(stored) == 75 and cold.kinds(["县科协"]) == {"县科协": "群团组织"}


def test_a_build_on_two_workers_loads_what_one_worker_loads(cold, files, tmp_path, link_quads):
    # the workers are fed a few chunks ahead (bounded_map), results taken in order
    with Corpus(tmp_path / "store") as corpus:
        report = corpus.build(files, workers=2)
        assert [p.path for p in report.loaded] == [str(f) for f in files]
        assert len(corpus.store) == len(cold.store)
        assert link_quads(corpus) == link_quads(cold)
