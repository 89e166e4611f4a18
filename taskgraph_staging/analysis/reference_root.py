"""Where the bundled reference root is: this repository's own config.yml and kinds.

Apart from :mod:`taskgraph_staging.analysis.graphs` so that naming it (the audit's
default ``--root``) does not import taskgraph's generator.
"""

import os

REFERENCE_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
