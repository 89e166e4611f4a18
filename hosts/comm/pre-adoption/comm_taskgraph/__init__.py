"""A Thunderbird-shaped host's taskgraph package (the second reference host).

It is written the way such a host writes its graph, without taskgraph-staging in mind:
its own parameters (the comm repository beside the platform one), loader and
transforms. The two lines marked "staging" are its whole adoption of the extension
(docs/adopting.rst); ``hosts/comm/pre-adoption`` holds the files without them.
"""

from typing import Optional

from taskgraph.parameters import extend_parameters_schema
from taskgraph.util.schema import Schema

#: The comm repository's parameters, beside taskgraph's head_*/base_* (the platform repository);
#: the decision task sets them on comm pushes.
CommParameters = Schema.from_dict(
    {
        "comm_base_repository": Optional[str],
        "comm_base_rev": Optional[str],
        "comm_head_repository": Optional[str],
        "comm_head_ref": Optional[str],
        "comm_head_rev": Optional[str],
    },
    name="CommParameters",
    forbid_unknown_fields=False,
    kw_only=True,
)

_EXTENDED = False


def register(graph_config):
    """The host's one entry point: its parameters and the modules that register."""
    global _EXTENDED
    if not _EXTENDED:
        extend_parameters_schema(CommParameters)
        _EXTENDED = True
