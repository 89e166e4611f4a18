"""The per-kind adoption line: ``loader: taskgraph_staging:loader``.

It loads the kind the way the kind already asked for and appends the staging layer
after the ``task`` transforms, so the staging layer sees finished task definitions:
the same payloads, scopes and worker pools the workers will see.

* A kind that lists ``taskgraph.transforms.task`` itself (it used taskgraph's
  ``transform`` loader) is loaded by that loader.
* A kind that does not (it used taskgraph's default loader) gets the default loader's
  ``run`` and ``task`` transforms, as before.
* A kind with a loader of its own keeps it under ``staging-inner-loader``.

Either way the kind's ``loader:`` line is the only line that changes.
"""

from taskgraph.loader.default import loader as default_loader
from taskgraph.loader.transform import loader as transform_loader
from taskgraph.util.python_path import find_object

STAGING_TRANSFORMS = "taskgraph_staging.staging.transforms.staging:transforms"
TASK_TRANSFORMS = ("taskgraph.transforms.task", "taskgraph.transforms.task:transforms")


def inner_loader(config):
    """The loader the kind would use without the staging layer."""
    if "staging-inner-loader" in config:
        return find_object(config.pop("staging-inner-loader"))
    if any(t in TASK_TRANSFORMS for t in config.get("transforms", ())):
        return transform_loader
    return default_loader


def loader(kind, path, config, params, loaded_tasks, write_artifacts):
    tasks = inner_loader(config)(kind, path, config, params, loaded_tasks, write_artifacts)
    config.setdefault("transforms", []).append(STAGING_TRANSFORMS)
    return tasks
