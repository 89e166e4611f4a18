"""taskgraph-staging: run a project's real release graph as a staging release on Try.

This module is the adoption surface, the names a host's config.yml and kinds spell
(see docs/adopting.rst): ``taskgraph_staging:register``,
``taskgraph_staging:decision_parameters`` and ``taskgraph_staging:loader``. Everything
else lives in the layer packages ``model``, ``staging``, ``analysis`` and
``interfaces`` (docs/architecture.rst).
"""

from importlib import import_module

_REGISTERED = False

#: Modules whose decorators fill taskgraph's registries.
REGISTERING_MODULES = (
    "staging.transforms",
    "staging.payloads",
    "staging.target_tasks",
    "analysis.guard",
)
#: Public name -> (module, attribute) it stands for, imported on first use.
_ADOPTION_NAMES = {
    "loader": ("staging.loader", "loader"),
    "decision_parameters": ("model.parameters", "decision_parameters"),
}


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

        from .model.parameters import ReleaseParametersSchema, parameter_defaults

        extend_parameters_schema(ReleaseParametersSchema, defaults_fn=parameter_defaults)
        _REGISTERED = True
    # The staging action is offered on try and staging projects only; a host turns it
    # off with config.yml's staging-release.actions: false.
    from .interfaces.actions import register_actions

    register_actions(graph_config)


def __getattr__(name):
    """``loader`` (the per-kind adoption line) and ``decision_parameters`` (the
    config.yml hook), from the layer that holds them."""
    if name not in _ADOPTION_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _ADOPTION_NAMES[name]
    return getattr(import_module(f".{module}", package=__name__), attribute)
