"""Plan → RDF: stable IRIs, triples in the terms of ``ontology.ttl``, Turtle in and out,
the measure rows read back, and the SHACL shapes a plan graph must meet."""

from kepugraph.rdf.iris import measure_iri, plan_iri, slug, unit_iri
from kepugraph.rdf.namespace import ID, KP
from kepugraph.rdf.rows import MeasureRow, measure_rows
from kepugraph.rdf.triples import plan_to_graph
from kepugraph.rdf.turtle import load_graph, serialize

__all__ = ["plan_to_graph", "load_graph", "serialize", "MeasureRow", "measure_rows",
           "plan_iri", "measure_iri", "unit_iri", "slug", "KP", "ID"]
