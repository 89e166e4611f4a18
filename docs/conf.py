"""Sphinx configuration of the taskgraph-staging docs."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "taskgraph-staging"
author = "taskgraph-staging developers"
extensions = [
    "sphinx.ext.autodoc",
    "sphinxarg.ext",
    "taskgraph_staging.explain",  # the staging-task-types directive of task-types.rst
    "taskgraph_staging.docs_ext",  # generated phases, action form and error messages
]
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_member_order = "bysource"
nitpicky = False
