"""The IRIs of the named graphs a corpus store keeps beside its plans (both the store and its
queries need them)."""

from __future__ import annotations

from kepugraph.rdf.namespace import ID

#: The graph of what plans share: role and kind labels, body types.
VOCABULARY = str(ID["vocabulary"])


def links_graph(plan: str) -> str:
    """The named graph holding a plan's links to the plan it implements."""
    return f"{plan}/links"


#: A graph whose presence says the store's links were all written (see Corpus.link).
LINKS_DONE = str(ID["links-complete"])


#: The graph (and node) of the store's catalogue: every plan's title and what it cites (see links.py).
CATALOGUE = str(ID["catalogue"])
