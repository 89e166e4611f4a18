"""The per-kind adoption line: ``loader: taskgraph_staging.loader:loader``.

It loads the kind as taskgraph's default loader does (or as the loader named by the
kind's ``staging-inner-loader`` key) and appends the staging layer after the ``task``
transforms, so the staging layer sees finished task definitions: the same payloads,
scopes and worker pools the workers will see.
"""

from taskgraph.util.python_path import find_object

STAGING_TRANSFORMS = "taskgraph_staging.transforms.staging:transforms"
DEFAULT_INNER_LOADER = "taskgraph.loader.default:loader"


def loader(kind, path, config, params, loaded_tasks, write_artifacts):
    inner = find_object(config.pop("staging-inner-loader", DEFAULT_INNER_LOADER))
    tasks = inner(kind, path, config, params, loaded_tasks, write_artifacts)
    config.setdefault("transforms", []).append(STAGING_TRANSFORMS)
    return tasks
