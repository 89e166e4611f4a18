"""Which worker schema checks a scriptworker task, and checking it as the worker would.

Every scriptworker validates the task it claims against a JSON schema of its own
(``shared/scriptworker-schemas``, see its README) before doing anything. A task that
fails it fails on the worker, on Try as in production. :func:`schema_for` names the
schema a task definition meets, the way each worker picks it: by the scopes it is
given (``<prefix>:balrog:action:schedule``, ``<prefix>:bouncer:action:aliases``...)
and, for beetmover, by the payload shape. :func:`queue_task_definition` turns a
graph's task into what the worker downloads (task references resolved, top-level
``dependencies`` filled as the queue holds them) and :func:`validation_errors`
checks it with the worker's own validator settings.

A task of a worker whose code is not in shared/upstream
(:data:`~taskgraph_staging.model.workers.WORKERS_NOT_HERE`) that no schema of a worker
here covers (addonscript's) raises :class:`WorkerNotHere`: :func:`graph_conformance`
lists it apart, checked by nothing, rather than as a problem. A schema
scriptworker-schemas lacks is read from the worker's own source beside it
(``upstream/scriptworker-scripts/<worker>/src/<worker>/data/``).
"""

import base64
import copy
import hashlib
import json
import os

from taskgraph.util.parameterization import resolve_task_references

#: Worker implementations (the ``worker-implementation`` tag) that run on scriptworker.
SCRIPTWORKER_IMPLEMENTATIONS = frozenset(
    {
        "scriptworker",
        "beetmover",
        "beetmover-push-to-release",
        "beetmover-maven",
        "push-apk",
        "push-snap",
        "push-flatpak",
        "push-msix",
        "balrog",
        "bouncer",
        "treescript",
        "shipit",
    }
)
SCRIPTWORKER_PROVISIONER = "scriptworker"

#: Scope family (the word after the scope prefix) -> (worker, schema file) for the
#: families with a single schema.
SINGLE_SCHEMA_FAMILIES = {
    "signing": ("signingscript", "signing_task_schema.json"),
    "treescript": ("treescript", "treescript_task_schema.json"),
    "lando": ("landoscript", "landoscript_task_schema.json"),
    "googleplay": ("pushapkscript", "pushapk_task_schema.json"),
    "snapcraft": ("pushsnapscript", "push_snap_task_schema.json"),
    "flathub": ("pushflatpakscript", "push_flatpak_task_schema.json"),
    "microsoftstore": ("pushmsixscript", "push_msix_task_schema.json"),
}
#: Action-scoped families: scope family -> (worker, {action: schema file}).
ACTION_SCHEMAS = {
    "balrog": (
        "balrogscript",
        {
            "submit-locale": "balrog_submit-locale_schema.json",
            "v2-submit-locale": "balrog_submit-locale_schema.json",
            "submit-toplevel": "balrog_submit-toplevel_schema.json",
            "v2-submit-toplevel": "balrog_submit-toplevel_schema.json",
            "schedule": "balrog_schedule_schema.json",
            "set-readonly": "balrog_set-readonly_schema.json",
        },
    ),
    "bouncer": (
        "bouncerscript",
        {
            "submission": "bouncer_submission_task_schema.json",
            "aliases": "bouncer_aliases_task_schema.json",
            "locations": "bouncer_locations_task_schema.json",
        },
    ),
    "ship-it": ("shipitscript", {"mark-as-shipped": "mark_as_shipped_task_schema.json"}),
}
PUSH_TO_RELEASES = "push-to-releases"
IMPORT_TO_ARTIFACT_REGISTRY = "import-from-gcs-to-artifact-registry"
PUSH_TO_MAVEN = "push-to-maven"
#: Where a worker's own schemas are, from the schemas folder (shared/scriptworker-schemas).
UPSTREAM_DATA_DIR = os.path.join(os.pardir, "upstream", "scriptworker-scripts", "{worker}", "src", "{worker}", "data")


class NoSchema(LookupError):
    """A scriptworker task no known worker schema covers."""


class WorkerNotHere(NoSchema):
    """A task of a worker whose code (and schema) is not in shared/upstream."""

    def __init__(self, worker, message):
        super().__init__(message)
        self.worker = worker


def is_scriptworker(task_def):
    """Whether a task definition runs on a scriptworker."""
    implementation = task_def.get("tags", {}).get("worker-implementation", "")
    return (
        task_def.get("provisionerId", "").startswith(SCRIPTWORKER_PROVISIONER)
        or implementation.startswith(SCRIPTWORKER_PROVISIONER)
        or implementation in SCRIPTWORKER_IMPLEMENTATIONS
    )


def _scope_words(task_def, scope_prefix):
    """``{family: [rest, ...]}`` of the scopes under the scope prefix."""
    words = {}
    prefix = f"{scope_prefix}:"
    for scope in task_def.get("scopes", []):
        if scope.startswith(prefix):
            family, _, rest = scope[len(prefix):].partition(":")
            words.setdefault(family, []).append(rest)
    return words


def _actions(rests):
    return sorted({rest.split(":", 1)[1] for rest in rests if rest.startswith("action:")})


def schema_for(task_def, scope_prefix):
    """The worker schema (``<worker>/<file>``, relative to scriptworker-schemas) that
    checks ``task_def``. Raises :class:`NoSchema` when none does."""
    words = _scope_words(task_def, scope_prefix)
    found = set()
    for family, (worker, filename) in SINGLE_SCHEMA_FAMILIES.items():
        if family in words:
            found.add(f"{worker}/{filename}")
    if "beetmover" in words:
        if PUSH_TO_RELEASES in _actions(words["beetmover"]):
            filename = "release_beetmover_task_schema.json"
        elif IMPORT_TO_ARTIFACT_REGISTRY in _actions(words["beetmover"]):
            filename = "import_from_gcs_to_artifact_registry_task_schema.json"
        elif PUSH_TO_MAVEN in _actions(words["beetmover"]):
            # beetmoverscript's maven_schema_file for its maven actions (task.py get_schema_key_by_action)
            filename = "maven_beetmover_task_schema.json"
        elif "artifactMap" in task_def.get("payload", {}):
            filename = "artifactMap_beetmover_task_schema.json"
        else:
            filename = "beetmover_task_schema.json"
        found.add(f"beetmoverscript/{filename}")
    for family, (worker, by_action) in ACTION_SCHEMAS.items():
        if family not in words:
            continue
        actions = _actions(words[family])
        if not actions and family == "balrog" and task_def.get("payload", {}).get("behavior"):
            actions = [task_def["payload"]["behavior"]]
        for action in actions:
            if action not in by_action:
                raise NoSchema(f"no {worker} schema for action {action!r}")
            found.add(f"{worker}/{by_action[action]}")
    if not found:
        from taskgraph_staging.model.workers import WORKERS_NOT_HERE, worker_not_here

        worker = worker_not_here(task_def, scope_prefix)
        if worker:
            raise WorkerNotHere(worker, f"{worker} ({WORKERS_NOT_HERE[worker]}): its code is not in shared/upstream, nor any schema of it")
    if len(found) != 1:
        raise NoSchema(
            f"scopes {sorted(task_def.get('scopes', []))} name {len(found)} worker schemas "
            f"({', '.join(sorted(found)) or 'none'}); a scriptworker task meets exactly one"
        )
    return found.pop()


def fake_task_id(label):
    """A stable task id for a label, shaped as the queue's are: a "nice" slugid (a UUID
    v4 in 22 url-safe characters, first bit clear so it never starts with ``-``).
    Workers check the shape (beetmoverscript's ``validated_task_id``)."""
    digest = bytearray(hashlib.sha256(label.encode()).digest()[:16])
    digest[0] &= 0x7F
    digest[6] = (digest[6] & 0x0F) | 0x40  # version 4
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    return base64.urlsafe_b64encode(bytes(digest)).decode().rstrip("=")


DECISION_TASK_ID = fake_task_id("<decision>")


def queue_task_definition(task):
    """The definition the worker receives for a graph task: references resolved, and
    ``dependencies`` holding its dependencies' task ids (the decision task's alone when
    it has none in the graph), as taskgraph submits it to the queue."""
    dependencies = {name: fake_task_id(label) for name, label in task.dependencies.items()}
    task_def = resolve_task_references(
        task.label, copy.deepcopy(task.task), fake_task_id(task.label), DECISION_TASK_ID, dependencies
    )
    task_def["dependencies"] = sorted(set(dependencies.values())) or [DECISION_TASK_ID]
    return task_def


def load_schema(schemas_dir, relative):
    """A worker schema from the schemas folder, else from the worker's own source beside it."""
    path = os.path.join(schemas_dir, relative)
    if not os.path.exists(path):
        worker, filename = relative.split("/", 1)
        path = os.path.normpath(os.path.join(schemas_dir, UPSTREAM_DATA_DIR.format(worker=worker), filename))
    with open(path) as fh:
        return json.load(fh)


def validation_errors(task_def, schema):
    """Every violation of ``schema`` by ``task_def``, validated as scriptworker does
    (the schema's own draft, with its format checker)."""
    import jsonschema  # a test dependency; the staging layer never imports this module

    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '<task>'}: {error.message}"
        for error in sorted(validator.iter_errors(task_def), key=lambda e: list(map(str, e.absolute_path)))
    ]


def graph_conformance(graph, scope_prefix, schemas_dir):
    """``(checked, problems)`` for every scriptworker task of a task graph: ``checked``
    maps each schema to the labels it validated (and ``<worker>: not here`` to the labels
    of a worker whose code and schema are not in shared/upstream), ``problems`` lists one
    line per task that has no schema or does not meet its schema."""
    checked, problems, cache = {}, [], {}
    for label, task in sorted(graph.tasks.items()):
        if not is_scriptworker(task.task):
            continue
        try:
            relative = schema_for(task.task, scope_prefix)
        except WorkerNotHere as e:
            checked.setdefault(f"{e.worker}: not here", []).append(label)
            continue
        except NoSchema as e:
            problems.append(f"{label}: {e}")
            continue
        if relative not in cache:
            cache[relative] = load_schema(schemas_dir, relative)
        for error in validation_errors(queue_task_definition(task), cache[relative]):
            problems.append(f"{label} ({relative}): {error}")
        checked.setdefault(relative, []).append(label)
    return checked, problems
