"""The ``kepugraph`` command line: thin click commands over the Python API, one module per group.

Importing a command module registers its commands on :data:`main`.
"""

from kepugraph.cli import analysis, changes, corpus, followup, office, plan, sparql  # noqa: F401  (registers the commands)
from kepugraph.cli.main import main

__all__ = ["main"]
