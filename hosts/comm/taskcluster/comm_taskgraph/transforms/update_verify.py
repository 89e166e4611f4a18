"""Thunderbird's update verify tasks: the config creator through mach, and its chunks.

``release-update-verify-config`` tasks give the creator's inputs in ``extra`` (values may
be written ``by-release-level``, ``by-release-type`` and ``by-build-platform``, as comm-central writes them);
``release-update-verify`` tasks give ``extra.chunks`` and become one task per chunk that
fetches its platform's ``update-verify.cfg`` and takes ``CHANNEL`` from the config task.
"""

import copy
import json
import shlex

from taskgraph.transforms.base import TransformSequence
from taskgraph.util.keyed_by import evaluate_keyed_by

CREATOR = "testing/mozharness/scripts/release/update-verify-config-creator.py"
CHUNKED = "tools/update-verify/scripts/chunked-verify.sh"
CONFIG_KIND = "release-update-verify-config"
INCLUDE_VERSIONS = {"beta": r"^(\d+\.\d+(b\d+)?)$", "nonbeta": r"^\d+\.\d+(\.\d+)?$", "esr": r"^\d+\.\d+(\.\d+)?esr$"}
MAR_CHANNEL_IDS = {"beta": r"^\d+\.\d+(\.\d+)?$,thunderbird-comm-beta,thunderbird-comm-release"}
#: ``extra`` values passed as ``--<name> <value>`` when they resolve to something.
KEYED_ARGS = (
    "updater-platform", "channel", "archive-prefix", "previous-archive-prefix", "aus-server", "override-certs",
    "include-version", "mar-channel-id-override", "last-watershed",
)

config_transforms = TransformSequence()
chunk_transforms = TransformSequence()


def release_level(params):
    """comm's release projects are production; everything else (try-comm-central) is staging."""
    return "production" if params["project"].startswith("comm-") else "staging"


def resolved(value, name, keys):
    while isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith("by-"):
        value = evaluate_keyed_by(value, name, keys)
    return value


@config_transforms.add
def add_creator_command(config, tasks):
    params = config.params
    for task in tasks:
        keys = {"release-level": release_level(params), "release-type": params["release_type"],
                "build-platform": task["attributes"]["build_platform"]}
        extra = {k: resolved(v, f"{task['label']}.extra.{k}", keys) for k, v in task.pop("extra").items()}
        words = [
            "./mach", "python", CREATOR,
            "--product", extra["product"], "--stage-product", task["attributes"]["shipping_product"],
            "--app-name", extra["app-name"], "--branch-prefix", extra["branch-prefix"], "--platform", extra["platform"],
            "--to-version", params["version"], "--to-app-version", params.get("app_version") or params["version"],
            "--to-build-number", str(params["build_number"]), "--to-buildid", params.get("moz_build_date") or params["build_date"],
            "--to-revision", params["comm_head_rev"], "--output-file", "update-verify.cfg", "--local-repo", ".",
            "--repo-path", params["comm_head_repository"].split("://", 1)[-1].split("/", 1)[-1].strip("/"),
        ]
        for version in (params.get("partial_updates") or {}):
            words += ["--partial-version", version]
        for name in KEYED_ARGS:
            value = extra.get(name)
            if value:
                value = {"include-version": INCLUDE_VERSIONS, "mar-channel-id-override": MAR_CHANNEL_IDS}.get(name, {}).get(value, value)
                words += [f"--{name}", value]
        task["worker"]["command"] = ["bash", "-c", " ".join(shlex.quote(w) for w in words)]
        task["extra"] = {"channel": extra["channel"]}
        yield task


@chunk_transforms.add
def add_chunks(config, tasks):
    for task in tasks:
        (label,) = [d for d in task["dependencies"] if config.kind_dependencies_tasks[d].kind == CONFIG_KIND]
        total = task.pop("extra")["chunks"]
        env = task["worker"].setdefault("env", {})
        env["CHANNEL"] = config.kind_dependencies_tasks[label].task["extra"]["channel"]
        env["MOZ_FETCHES"] = {"task-reference": json.dumps(
            [{"artifact": "public/build/update-verify.cfg", "extract": True, "task": f"<{label}>"}], sort_keys=True)}
        env["MOZ_FETCHES_DIR"] = "fetches"
        for chunk in range(1, total + 1):
            chunked = copy.deepcopy(task)
            chunked["label"] = f"{task['label']}-{chunk}/{total}"
            chunked["treeherder"]["symbol"] = f"UV({chunk})"
            chunked["worker"]["command"] = ["bash", "-c", f"{CHUNKED} --total-chunks={total} --this-chunk={chunk}"]
            yield chunked
