"""The comm loader: each task of a kind once per release platform of its product.

``platforms: true`` in a task (or the kind's ``task-defaults``) makes one copy per
platform that config.yml's ``release-platforms`` lists for the task's product, named
``<task>-<platform>`` with the attribute ``build_platform``. The kind's transforms
then run as under taskgraph's ``transform`` loader.
"""

import copy
import os

from taskgraph.config import load_graph_config
from taskgraph.loader.transform import loader as transform_loader
from taskgraph.util.templates import merge


def platform_tasks(name, task, platforms):
    if not task.pop("platforms", False):
        yield name, task
        return
    for platform in platforms:
        copied = copy.deepcopy(task)
        copied.setdefault("attributes", {})["build_platform"] = platform
        yield f"{name}-{platform}", copied


def loader(kind, path, config, params, loaded_tasks, write_artifacts):
    root = os.path.dirname(os.path.dirname(path))
    platforms = load_graph_config(root)["release-platforms"]
    defaults = config.pop("task-defaults", {})
    tasks = {}
    for name, task in config.get("tasks", {}).items():
        task = merge(defaults, task)
        product = task.get("shipping-product", name)
        tasks.update(platform_tasks(name, task, platforms[product]))
    config["tasks"] = tasks
    return transform_loader(kind, path, config, params, loaded_tasks, write_artifacts)
