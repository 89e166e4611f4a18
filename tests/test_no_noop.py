"""No release task of any behaviour's Try graph is a no-op (issue 3).

A task that always succeeds tells nobody anything: no built-in ``succeed`` worker,
no always-optimized task, no ``/bin/true``-style command, and a docker task whose
endpoints the staging layer set must actually read them.
"""

import re


from release_graphs import PHASES, behaviours, release_tasks, try_graph
from taskgraph_staging.staging.transforms import bouncer_check, checksums, partials, update_verify

NO_OP_WORKERS = {("built-in", "succeed"), ("built-in", "always-optimized")}
NO_OP_COMMAND = re.compile(r"^\s*(/bin/true|/usr/bin/true|true|:|exit 0|echo\b[^;&|]*)\s*$")
#: Environment variables each docker family's Try form sets, by kind.
ENDPOINTS = {
    "release-bouncer-check": bouncer_check.ENV,
    "release-generate-checksums": checksums.ENV,
    "partials": partials.ENV,
}
#: Arguments each docker family's Try form sets, by kind (the kinds that pass their inputs as arguments).
ARGUMENTS = {
    "release-update-verify-config": tuple(update_verify.CONFIG_ARGS),
}


def final_command(payload):
    command = payload.get("command") or []
    if isinstance(command, list) and command and all(isinstance(c, str) for c in command):
        if "--" in command:  # run-task ... -- bash -cx "<command>"
            command = command[command.index("--") + 1:]
        if command[:2] in (["bash", "-cx"], ["bash", "-c"], ["sh", "-c"]):
            return command[2]
        return " ".join(command)
    return str(command)


@behaviours
def test_every_phase_has_release_tasks(behavior, version, previous):
    phases = {t.attributes["shipping_phase"] for t in release_tasks(try_graph(behavior, version, previous))}
    assert phases == set(PHASES)


@behaviours
def test_no_release_task_is_a_no_op(behavior, version, previous):
    problems = []
    for task in release_tasks(try_graph(behavior, version, previous)):
        task_def = task.task
        if (task_def.get("provisionerId"), task_def.get("workerType")) in NO_OP_WORKERS:
            problems.append(f"{task.label}: runs on {task_def['provisionerId']}/{task_def['workerType']}")
        if task.optimization and "always" in task.optimization:
            problems.append(f"{task.label}: always optimized away")
        if "command" in task_def.get("payload", {}):
            command = final_command(task_def["payload"])
            if NO_OP_COMMAND.match(command):
                problems.append(f"{task.label}: command {command!r} does nothing")
    assert problems == []


@behaviours
def test_docker_release_tasks_read_the_endpoints_the_staging_layer_set(behavior, version, previous):
    problems = []
    tasks = release_tasks(try_graph(behavior, version, previous))
    # A kind renamed or gone would leave nothing to check here: every kind of ENDPOINTS is in the graph.
    assert set(ENDPOINTS) | set(ARGUMENTS) <= {task.kind for task in tasks}
    for task in tasks:
        names = ENDPOINTS.get(task.kind, ())
        command = final_command(task.task.get("payload", {}))
        for name in names:
            if not re.search(rf"\$\{{?{name}\b", command):
                problems.append(f"{task.label}: the command never reads ${name}")
        for name in ARGUMENTS.get(task.kind, ()):
            if not re.search(rf"(^|\s)--{name}[ =]\S", command):
                problems.append(f"{task.label}: the command never passes --{name}")
    assert problems == []
