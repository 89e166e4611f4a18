"""Actions of taskgraph-staging, offered in Treeherder through taskgraph's action registry.

Actions are opt-in for the host: ``register(graph_config)`` calls
:func:`register_actions`, which registers them only when config.yml's
``staging-release.actions`` is ``true`` or absent (see :mod:`.promotion` for where
they are shown).
"""


def register_actions(graph_config):
    """Register the staging release-promotion action, if the host config enables actions."""
    from .promotion import enable

    enable(graph_config)
