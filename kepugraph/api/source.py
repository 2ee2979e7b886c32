"""Where a command reads from: a graph, a store, the workspace or the sample."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph
from rdflib.namespace import DCTERMS, RDF

from kepugraph.analysis import unit_kinds
from kepugraph.api.plans import load
from kepugraph.errors import KepugraphError
from kepugraph.outputs.scope import PlanInfo, Scope
from kepugraph.rdf.namespace import KP
from kepugraph.rdf.rows import MeasureRow, measure_rows, rdflib_select
from kepugraph.store import Corpus, existing_store_dir
from kepugraph.store import totals as corpus_totals
from kepugraph.store.workspace import workspace_built, workspace_spec


class Source:
    """Where a command reads from: a Turtle graph, a store, the workspace, or the sample.

    With neither a graph nor a store, the workspace (``graph/store``, or ``$KEPUGRAPH_STORE``)
    answers when a plan has been built into it; else the bundled plan answers as the sample
    (:attr:`sample`), and every output says so.

    Args:
        graph_path: a Turtle graph file.
        store: ``oxigraph:DIR`` — a corpus store or a workspace.
        plan: with a store or the workspace, one plan only (id, 文号, title or file name).
        workspace: look in the workspace when no graph or store is given.
    """

    def __init__(self, graph_path: str | Path | None = None, store: str | None = None, plan: str | None = None,
                 workspace: bool = True):
        self.graph_path, self.plan = graph_path, plan
        self.corpus = None
        self.sample = False
        self.where = str(graph_path or "")
        self._graph: Graph | None = None
        self._rows: list[MeasureRow] | None = None
        self._totals: dict | None = None
        self._plan_rows: list[dict[str, str]] | None = None
        self._scope: Scope | None = None
        if graph_path:
            if plan:
                raise KepugraphError("--plan picks a plan of the workspace or a store, not of a --graph file",
                                     remedy="plan")
            return
        if store and store != "memory":
            self.corpus, self.where = Corpus(existing_store_dir(store)), store
        elif workspace and store != "memory" and workspace_built(workspace_spec()):
            self.where = workspace_spec()
            self.corpus = Corpus(existing_store_dir(self.where))
            if not self.corpus.plans():  # every plan removed: as if nothing were built
                self.corpus.close()
                self.corpus = None
        if self.corpus is None:
            if plan:
                raise KepugraphError(f"--plan {plan}: no plan has been built yet (the workspace "
                                     f"{workspace_spec()} is empty); build one with 'kepugraph build FILE'")
            self.sample = workspace
        elif plan:
            self.plan = self.corpus.resolve_plan(plan)

    @classmethod
    def of(cls, graph: Graph) -> "Source":
        """A source over a graph already in memory."""
        source = cls(workspace=False)
        source._graph = graph
        return source

    def close(self) -> None:
        if self.corpus is not None:
            self.corpus.close()

    def __enter__(self) -> "Source":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def rows(self) -> list[MeasureRow]:
        if self._rows is None:
            self._rows = self.corpus.rows(self.plan) if self.corpus else measure_rows(self.graph())
        return self._rows

    def _plans(self) -> list[dict[str, str]]:
        """The corpus's plans (:meth:`Corpus.plans`), listed once."""
        if self._plan_rows is None:
            self._plan_rows = self.corpus.plans()
        return self._plan_rows

    def totals(self) -> dict | None:
        """The corpus totals (see :mod:`kepugraph.store.totals`) when they answer for every plan
        of this source: a corpus store without --plan whose totals cover the plans it holds."""
        if self.corpus is None or self.plan:
            return None
        if self._totals is None:
            self._totals = corpus_totals.usable(self.corpus.store) or {}
            if self._totals and self._plan_rows is None:  # the plans listed with the totals
                self._plan_rows = corpus_totals.plan_list(self._totals)
        return self._totals or None

    def rows_naming(self, unit: str, texts: bool = True) -> list[MeasureRow]:
        """The measures naming ``unit`` (a name of the rows), reading only the plans that name it
        when the source is a corpus store whose totals answer (``texts`` False: there, rows for a
        task list, without texts; see :func:`kepugraph.store.totals.rows_naming`)."""
        if self._rows is None and self.totals() is not None:
            return corpus_totals.rows_naming(self.corpus.store, unit, texts)
        return [r for r in self.rows() if any(n == unit for n, _ in r.units)]

    def graph(self) -> Graph:
        """The rdflib graph (for a store: the selected plan, or every plan copied out)."""
        if self._graph is None:
            self._graph = self.corpus.graph(self.plan) if self.corpus else load(self.graph_path)
        return self._graph

    def scope(self) -> Scope:
        """The plans the answers are for (named in every output)."""
        if self._scope is None:
            if self.corpus:
                infos = [PlanInfo(r["plan"], r["title"], r.get("doc_number", ""), r.get("file", ""))
                         for r in self._plans()]
                plans = [p for p in infos if not self.plan or p.iri == self.plan]
            else:
                g = self.graph()
                plans = [PlanInfo(str(p), str(g.value(p, DCTERMS.title) or ""), str(g.value(p, KP.docNumber) or ""),
                                  str(g.value(p, KP.sourceFile) or "")) for p in sorted(g.subjects(RDF.type, KP.Plan))]
                if not plans and self.graph_path:  # a graph with no kp:Plan: named by its file
                    plans = [PlanInfo("", "", file=Path(self.graph_path).name)]
            self._scope = Scope(plans, sample=self.sample)
        return self._scope

    def kinds(self) -> dict[str, str]:
        if self.corpus:  # from the names of the rows read already (see Corpus.kinds)
            return self.corpus.kinds(n for r in self.rows() for n, _ in r.units)
        return unit_kinds(self.graph())

    def aliases(self) -> dict[str, str]:
        """Other spellings of units filed under one name (skos:altLabel → skos:prefLabel)."""
        if self.corpus:
            return self.corpus.aliases()
        query = """PREFIX kp: <https://w3id.org/kepugraph#>
            PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
            SELECT DISTINCT ?alias ?label WHERE { ?u a kp:Unit ; skos:prefLabel ?label ; skos:altLabel ?alias }"""
        found = rdflib_select(self.graph())(query)
        return {r["alias"]: r["label"] for r in found}

    def meta(self) -> dict[str, str]:
        """The plan's title, 文号 (doc_number) and date of issue, as far as the graph has them;
        for several plans, ``corpus`` names them; ``sample`` when the bundled plan answers."""
        scope = self.scope()
        if scope.several:
            return {"corpus": scope.line()}  # no one title, 文号 or date
        meta = {"title": self.title()}
        if self.sample:
            meta["sample"] = "示例方案"
        g = self.graph()
        plan = next(g.subjects(RDF.type, KP.Plan), None)
        for key, prop in (("doc_number", KP.docNumber), ("date", DCTERMS.issued)):
            value = g.value(plan, prop) if plan is not None else None
            if value is not None:
                meta[key] = str(value)
        return meta

    def title(self) -> str:
        scope = self.scope()
        if scope.several:
            return f"{len(scope.plans)} 份方案"
        return scope.plans[0].title if scope.plans else ""


# -- follow-up (督办) --
