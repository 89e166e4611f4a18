"""Payload builders taskgraph and mozilla-taskgraph lack, production-shaped.

Worker field names mirror gecko_taskgraph's worker schemas. Each builder sets only the
task's payload, scopes (sorted, de-duplicated) and tags. Importing this package
registers every sibling module's builders.
"""

from taskgraph.util.python_path import import_sibling_modules

import_sibling_modules()
