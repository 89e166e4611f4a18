"""The staging choices of a push, validated, and the ``try_task_config.json`` they make.

Pure: no VCS, no network (a library reservation is resolved by the caller and passed
in as a ``staging`` block).
"""

from dataclasses import dataclass

from taskgraph_staging.model.choices import ReleaseChoices, release_parameters
from taskgraph_staging.model.errors import InvalidValue

#: ``--tasks`` choices and the target-tasks method each one runs on push.
TARGET_TASKS = {"staging": "staging_release_builds", "release-sim": "release_simulation"}
TRY_TASK_CONFIG = "try_task_config.json"


@dataclass(frozen=True)
class StagingChoices(ReleaseChoices):
    """What the release engineer asked for on the command line: the release, and
    which tasks run on push (``--tasks``)."""

    tasks: str = "staging"


def staging_parameters(choices, graph_config, user):
    """The release parameters of a push, checked as the decision task will check them.

    ``user`` (an email address or login) names the default namespace. Returns the
    parameters dict; raises :class:`InvalidValue` naming every option at fault.
    """
    problems = []
    if choices.tasks not in TARGET_TASKS:
        problems.append(f"--tasks: {choices.tasks!r} is not one of {', '.join(TARGET_TASKS)}")
    params = release_parameters(choices, graph_config, user, problems)
    if problems:
        raise InvalidValue(None, problems)
    return {"target_tasks_method": TARGET_TASKS[choices.tasks], "optimize_target_tasks": True, **params}


def try_task_config(parameters, extra=None):
    """``try_task_config.json`` (version 2) applying ``parameters`` on top of ``extra``."""
    merged = dict(extra or {})
    merged.update(parameters)
    return {"version": 2, "parameters": merged}
