"""taskgraph-staging: run a project's real release graph as a staging release on Try.

Hosts adopt it with one call, ``register(graph_config)`` (see docs/adopting.rst).
"""

from importlib import import_module

_REGISTERED = False

#: Modules whose decorators fill taskgraph's registries.
REGISTERING_MODULES = (
    "transforms",
    "payloads",
    "target_tasks",
    "guard",
)


def register(graph_config):
    """Register payload builders, staging rewrites, the production guard,
    target-task methods and the release parameters with taskgraph."""
    global _REGISTERED
    import mozilla_taskgraph

    mozilla_taskgraph.register(graph_config)
    for module in REGISTERING_MODULES:
        import_module(f".{module}", package=__name__)
    if not _REGISTERED:
        from taskgraph.parameters import extend_parameters_schema

        from .parameters import ReleaseParametersSchema, parameter_defaults

        extend_parameters_schema(ReleaseParametersSchema, defaults_fn=parameter_defaults)
        _REGISTERED = True
    # The staging action is offered on try and staging projects only; a host turns it
    # off with config.yml's staging-release.actions: false.
    from .actions import register_actions

    register_actions(graph_config)
