"""The staging layer: one Try rewrite per task family, applied by :mod:`.staging`."""

from taskgraph.util.python_path import import_sibling_modules

# Import every family module so its @rewriter decorators register.
import_sibling_modules()
