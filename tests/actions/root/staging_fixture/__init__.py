"""Host-side code of the action tests' fixture project: target-task methods per phase
and a transform that shows the staging release each task was made for."""

from taskgraph.target_tasks import register_target_task
from taskgraph.transforms.base import TransformSequence

import taskgraph_staging
from taskgraph_staging.model.parameters import is_staging, staging_release

#: The phase each fixture method selects, as gecko's target-task methods do: only
#: that phase's tasks are targets; the earlier phases' tasks they depend on come in
#: as dependencies and are replaced by the previous graphs' tasks. Tasks with the
#: attribute ``rc: only`` run only in RC graphs, ``rc: never`` never in them.
METHOD_PHASES = {
    "promote": ("promote",),
    "push": ("push",),
    "ship": ("ship",),
    "ship_rc": ("ship",),
}


def _phase_method(product, phases, rc):
    skip = "never" if rc else "only"

    def method(full_task_graph, parameters, graph_config):
        return [
            label
            for label, task in full_task_graph.tasks.items()
            if task.attributes.get("shipping_product") == product
            and task.attributes.get("shipping_phase") in phases
            and task.attributes.get("rc") != skip
        ]

    return method


for _product in ("firefox", "fenix"):
    for _name, _phases in METHOD_PHASES.items():
        register_target_task(f"fixture_{_name}_{_product}")(_phase_method(_product, _phases, _name.endswith("_rc")))


@register_target_task("fixture_build")
def _build(full_task_graph, parameters, graph_config):
    return [label for label, task in full_task_graph.tasks.items() if task.attributes.get("shipping_phase") == "build"]


def register(graph_config):
    taskgraph_staging.register(graph_config)


transforms = TransformSequence()


@transforms.add
def describe_release(config, tasks):
    """Put the staging release in each task's environment, as a real task would use it."""
    release = staging_release(config.params, config.graph_config) if is_staging(config.params, config.graph_config) else None
    for task in tasks:
        env = task["worker"].setdefault("env", {})
        env["VERSION"] = config.params["version"]
        env["BUILD_NUMBER"] = str(config.params["build_number"])
        env["RELEASE_TYPE"] = config.params["release_type"]
        if config.params.get("next_version"):
            env["NEXT_VERSION"] = config.params["next_version"]
        if release:
            env["NAMESPACE"] = str(release.namespace)
            env["BEHAVIOR"] = str(release.behavior)
            env["PARTIALS"] = ",".join(str(p) for p in release.partials)
        yield task
