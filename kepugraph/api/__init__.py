"""The Python API in a few calls: parse a plan, build its graph, load a graph, open a store.

>>> from kepugraph import api
>>> plan = api.parse()                       # the bundled reference plan
>>> len(plan.measures), plan.meta.doc_number
(31, '泰山政办字〔2022〕7号')
"""

from kepugraph.api.building import build, page
from kepugraph.api.followup import follow_up, import_progress, notice, progress_sheets, review
from kepugraph.api.plans import BuildResult, add_to_workspace, graph_name, load, open_store, parse, read_reviewed, rows
from kepugraph.api.source import Source

__all__ = ["parse", "read_reviewed", "BuildResult", "graph_name", "build", "page", "load", "rows", "add_to_workspace",
           "open_store", "Source", "review", "progress_sheets", "import_progress", "follow_up", "notice"]
