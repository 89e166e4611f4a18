"""One module per ``taskgraph-staging`` command (see :mod:`taskgraph_staging.interfaces.cli`)."""
