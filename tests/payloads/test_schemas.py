"""Every scriptworker payload of the production reference graph validates against its worker's schema."""

import json
import os

import jsonschema
import pytest

PRODUCTION = dict(
    version="121.0b3", app_version="121.0", next_version="121.0b4", build_number=1, release_type="beta",
    release_product="firefox", partial_updates={"120.0b9": {"buildNumber": 1}},
)

#: kind -> worker schema file
SCHEMAS = {
    "build-signing": "signingscript/signing_task_schema.json",
    "repackage-signing": "signingscript/signing_task_schema.json",
    "partials-signing": "signingscript/signing_task_schema.json",
    "beetmover-repackage": "beetmoverscript/artifactMap_beetmover_task_schema.json",
    "beetmover-checksums": "beetmoverscript/artifactMap_beetmover_task_schema.json",
    "release-generate-checksums-beetmover": "beetmoverscript/artifactMap_beetmover_task_schema.json",
    "release-partner-repack-beetmover": "beetmoverscript/artifactMap_beetmover_task_schema.json",
    "balrog": "balrogscript/balrog_submit-locale_schema.json",
    "release-balrog-submit-toplevel": "balrogscript/balrog_submit-toplevel_schema.json",
    "release-balrog-scheduling": "balrogscript/balrog_schedule_schema.json",
    "release-bouncer-sub": "bouncerscript/bouncer_submission_task_schema.json",
    "release-bouncer-aliases": "bouncerscript/bouncer_aliases_task_schema.json",
    "release-early-tagging": "treescript/treescript_task_schema.json",
    "release-version-bump": "treescript/treescript_task_schema.json",
    "release-beetmover-push-to-release": "beetmoverscript/release_beetmover_task_schema.json",
    "release-mark-as-shipped": "shipitscript/mark_as_shipped_task_schema.json",
    "push-bundle": "pushapkscript/pushapk_task_schema.json",
    "beetmover-android-app": "beetmoverscript/artifactMap_beetmover_task_schema.json",
    "release-snap-push": "pushsnapscript/push_snap_task_schema.json",
}


def as_submitted(task):
    """The task definition as the worker receives it: references resolved, dependencies listed."""
    text = json.dumps(task.task)
    for name, label in task.dependencies.items():
        text = text.replace(f'{{"task-reference": "<{name}>"}}', json.dumps(f"taskid-of-{label}"))
    definition = json.loads(text)
    definition["dependencies"] = sorted({f"taskid-of-{label}" for label in task.dependencies.values()} | {"decision"})
    return definition


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_payloads_validate(graph, schemas_dir, kind):
    with open(os.path.join(schemas_dir, SCHEMAS[kind])) as fh:
        schema = json.load(fh)
    full = graph(production=True, **PRODUCTION)
    tasks = [t for t in full.tasks.values() if t.kind == kind]
    assert tasks
    for task in tasks:
        definition = as_submitted(task)
        assert "task-reference" not in json.dumps(definition["payload"]), task.label
        jsonschema.validate(definition, schema)
