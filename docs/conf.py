"""Sphinx configuration of the taskgraph-staging docs."""

import os
import sys

sys.path.insert(0, os.path.abspath(".."))

project = "taskgraph-staging"
author = "taskgraph-staging developers"
extensions = [
    "sphinx.ext.autodoc",
    "sphinxarg.ext",
    "taskgraph_staging.interfaces.docs_ext",  # generated phases, task types, action form and error messages
]
exclude_patterns = ["_build"]
html_theme = "alabaster"
autodoc_member_order = "bysource"
nitpicky = False
