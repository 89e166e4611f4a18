"""Ship-it: the instance scope shipitscript checks.

mozilla-taskgraph's ``mark_as_shipped`` transforms name the server as
``ship-it:server:<production|staging>``; shipitscript picks its instance from
``<prefix>:ship-it:<production|staging>`` (the scope scriptworker's chain of trust
restricts to production branches). Run after ``mark_as_shipped``.
"""

from taskgraph.transforms.base import TransformSequence

transforms = TransformSequence()


@transforms.add
def use_instance_scope(config, tasks):
    for task in tasks:
        scopes = set()
        for scope in task.get("scopes", []):
            head, sep, server = scope.rpartition(":server:")
            scopes.add(f"{head}:{server}" if sep and head.endswith("ship-it") else scope)
        task["scopes"] = sorted(scopes)
        yield task
