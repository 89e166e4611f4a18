"""The environment of docker/generic-worker release tasks, for the families that run
a script (update verify, final verify, bouncer check, checksums, partials, partners).

Those tasks take their endpoints from environment variables the production kind
sets; a rewrite checks the ones it relies on are there, so a kind that forgets one
fails at generation with the task and the variable named, not on the worker.
"""

from taskgraph_staging.model.errors import ConfigError


def task_env(task, family, required=()):
    """The task's ``payload.env``, after checking ``required`` names are set."""
    env = task["task"].setdefault("payload", {}).setdefault("env", {})
    missing = [name for name in required if name not in env]
    if missing:
        raise ConfigError(
            f"{family} task lacks environment variable(s) {', '.join(missing)}; "
            f"set them in the kind (production values) so the staging layer can derive the Try form",
            where=f"task {task['label']}",
        )
    return env


def split_list(value):
    """A comma- or space-separated list of an environment variable, and its separator."""
    sep = "," if "," in value else " "
    return [item for item in (part.strip() for part in value.split(sep)) if item], sep
