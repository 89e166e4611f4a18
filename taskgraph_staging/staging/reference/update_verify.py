"""The reference kinds' update verify tasks, shaped as Firefox's tree generates them.

Three transform sequences, one per kind, each run after :mod:`.fanout`:

* ``config_transforms``: ``update-verify-config-creator.py`` through mach, its arguments
  taken from the task's ``extra`` (already resolved by the fan-out, ``by-release-level``
  included) and the release parameters; ``extra`` keeps only ``channel``, which the chunks
  read.
* ``chunk_transforms``: one task per chunk running ``chunked-verify.sh``, fetching its
  platform's ``update-verify.cfg`` and taking ``CHANNEL`` from the config task's ``extra``.
* ``final_transforms``: ``final-verification.sh`` over the product's configs.

Production form only: the staging layer derives the Try form from the finished tasks.
"""

import copy
import json
import shlex
from urllib.parse import urlsplit

from typing import Optional

from taskgraph.transforms.base import TransformSequence
from taskgraph.util.schema import Schema

from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.parameters import partials

CONFIG_SCRIPT = "testing/mozharness/scripts/release/update-verify-config-creator.py"
CHUNK_SCRIPT = "tools/update-verify/scripts/chunked-verify.sh"
FINAL_SCRIPT = "tools/update-verify/release/final-verification.sh"
CONFIG_ARTIFACT = "public/build/update-verify.cfg"
#: run-task's checkout of the reference repository, for the kind that writes its command itself.
CHECKOUT_NAME = "staging_reference"
CHECKOUT = "/builds/worker/checkouts/src"
#: The config kind's dependency name in the chunk and final verify kinds.
CONFIG_DEPENDENCY = "release-update-verify-config"

#: Which previous versions a config includes, by ``extra.include-version``.
INCLUDE_VERSIONS = {
    "beta": r"^(\d+\.\d+(b\d+)?)$",
    "nonbeta": r"^\d+\.\d+(\.\d+)?$",
    "esr": r"^\d+\.\d+(\.\d+)?esr$",
    # The previous ESRs, whose users the "next" channels update to this one. The real
    # tree keeps one such entry, named for its newest ESR (esr140-next: 52 to 128); the
    # reference's ESR is 115, so its entry lists the ESRs before 115.
    "esr115-next": r"^(52|60|68|78|91|102)+\.\d+(\.\d+)?esr$",
}
#: Previous versions built with another MAR channel id, by ``extra.mar-channel-id-override``.
MAR_CHANNEL_ID_OVERRIDES = {
    "beta": r"^\d+\.\d+(\.\d+)?$,firefox-mozilla-beta,firefox-mozilla-release",
}
#: ``extra`` values passed as ``--<name> <value>`` when set, in this order (the endpoints last).
OPTIONAL_ARGS = (
    "updater-platform", "channel", "include-version", "mar-channel-id-override", "last-watershed",
    "archive-prefix", "aus-server", "previous-archive-prefix", "override-certs",
)
#: ``extra`` values the config command consumes (``channel`` stays for the chunks).
CONSUMED_EXTRA = ("product", "app-name", "branch-prefix", "platform", "last-linux-bz2-version") + tuple(
    a for a in OPTIONAL_ARGS if a != "channel"
)



class ConfigExtraSchema(Schema, kw_only=True):
    # The creator's --product (the application the builds are of).
    product: str
    # --app-name: the application's directory (browser, mail).
    app_name: str
    # --branch-prefix: the prefix of the release branches (mozilla, comm).
    branch_prefix: str
    # --platform: the update platform of the builds (linux-x86_64, mac, win64...).
    platform: str
    # --updater-platform: where the updater that applies the updates runs.
    updater_platform: Optional[str] = None
    # --last-linux-bz2-version: the last version with bz2-compressed Linux MARs.
    last_linux_bz2_version: Optional[str] = None
    # --channel: the <channel>-localtest channel the config asks; the chunks read it here.
    channel: str
    # --include-version: which previous versions to test (a key of INCLUDE_VERSIONS).
    include_version: Optional[str] = None
    # --mar-channel-id-override: a key of MAR_CHANNEL_ID_OVERRIDES, or null.
    mar_channel_id_override: Optional[str] = None
    # --last-watershed: the oldest version updates are tested from.
    last_watershed: Optional[str] = None
    # Endpoints, each resolved (by-release-level in the real tree's form); null leaves the argument out.
    archive_prefix: Optional[str] = None
    previous_archive_prefix: Optional[str] = None
    aus_server: Optional[str] = None
    override_certs: Optional[str] = None


class ConfigTaskSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    # The creator's inputs, resolved by the fan-out.
    extra: ConfigExtraSchema


class ChunkExtraSchema(Schema, kw_only=True):
    # How many chunks the platform's update verify runs in.
    chunks: int


class ChunkTaskSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    extra: ChunkExtraSchema


config_transforms = TransformSequence()
config_transforms.add_validate(ConfigTaskSchema)
chunk_transforms = TransformSequence()
chunk_transforms.add_validate(ChunkTaskSchema)
final_transforms = TransformSequence()


def table_value(table, key, field, label):
    try:
        return table[key]
    except KeyError:
        raise ConfigError(
            f"extra.{field} is {key!r}; use one of {', '.join(sorted(table))}", where=f"task {label}"
        ) from None


def config_arguments(config, task):
    """The creator's arguments, as a list of words."""
    params = config.params
    extra = task["extra"]
    args = [
        "--product", extra["product"],
        "--stage-product", task["attributes"]["shipping_product"],
        "--app-name", extra["app-name"],
        "--branch-prefix", extra["branch-prefix"],
        "--platform", extra["platform"],
        "--to-version", params["version"],
        "--to-app-version", params.get("app_version") or params["version"],
        "--to-build-number", str(params["build_number"]),
        "--to-buildid", params["moz_build_date"],
        "--to-revision", params["head_rev"],
    ]
    if extra.get("last-linux-bz2-version"):
        args += ["--last-linux-bz2-version", extra["last-linux-bz2-version"]]
    args += ["--output-file", "update-verify.cfg", "--local-repo", "."]
    args += ["--repo-path", urlsplit(params["head_repository"]).path.strip("/")]
    for partial in partials(params, config.graph_config):
        args += ["--partial-version", partial.version]
    for name in OPTIONAL_ARGS:
        value = extra.get(name)
        if not value:
            continue
        if name == "include-version":
            value = table_value(INCLUDE_VERSIONS, value, name, task["label"])
        elif name == "mar-channel-id-override":
            value = table_value(MAR_CHANNEL_ID_OVERRIDES, value, name, task["label"])
        args += [f"--{name}", value]
    return args


@config_transforms.add
def add_config_command(config, tasks):
    for task in tasks:
        words = ["./mach", "python", CONFIG_SCRIPT] + config_arguments(config, task)
        task["run"] = {
            "using": "run-task",
            "checkout": True,
            "cwd": "{checkout}",
            "command": " ".join(shlex.quote(w) for w in words),
        }
        for name in CONSUMED_EXTRA:
            task["extra"].pop(name, None)
        yield task


def config_task(config, task):
    """The update verify config task a task depends on."""
    label = task.get("dependencies", {}).get(CONFIG_DEPENDENCY)
    if label not in config.kind_dependencies_tasks:
        raise ConfigError(
            f"depends on no {CONFIG_DEPENDENCY} task; add an upstream named {CONFIG_DEPENDENCY}",
            where=f"task {task['label']}",
        )
    return config.kind_dependencies_tasks[label]


def chunk_symbol(symbol, chunk):
    """The chunk's Treeherder symbol: the chunk number after the symbol, inside its group
    (``UV()`` -> ``UV(3)``, ``UV(UVS)`` -> ``UV(UVS3)``), as gecko's ``add_suffix``."""
    if "(" in symbol:
        group, inner = symbol.rstrip(")").split("(", 1)
        return f"{group}({inner}{chunk})"
    return f"{symbol}{chunk}"


@chunk_transforms.add
def add_chunks(config, tasks):
    for task in tasks:
        upstream = config_task(config, task)
        total = task["extra"].pop("chunks")
        task.setdefault("worker", {}).setdefault("env", {})["CHANNEL"] = upstream.task["extra"]["channel"]
        # The cfg comes through fetches, written as taskgraph's run transforms write them
        # (the kind cannot use those: they take release-update-verify-config-* labels for its own).
        env = task["worker"]["env"]
        env["MOZ_FETCHES"] = {"task-reference": json.dumps(
            [{"artifact": CONFIG_ARTIFACT, "extract": True, "task": f"<{CONFIG_DEPENDENCY}>"}], sort_keys=True
        )}
        env["MOZ_FETCHES_DIR"] = "fetches"
        for chunk in range(1, total + 1):
            chunked = copy.deepcopy(task)
            chunked["label"] = f"{task['label']}-{chunk}/{total}"
            chunked["attributes"]["update_verify_chunk"] = chunk
            chunked["treeherder"]["symbol"] = chunk_symbol(chunked["treeherder"]["symbol"], chunk)
            chunked["worker"]["command"] = [
                "/usr/local/bin/run-task", f"--{CHECKOUT_NAME}-checkout={CHECKOUT}", "--", "bash", "-cx",
                f"cd {CHECKOUT} && {CHUNK_SCRIPT} --total-chunks={total} --this-chunk={chunk}",
            ]
            yield chunked


@final_transforms.add
def add_final_command(config, tasks):
    for task in tasks:
        configs = [
            f"<{name}/{CONFIG_ARTIFACT}>" for name in sorted(task.get("dependencies", {})) if CONFIG_DEPENDENCY in name
        ]
        if not configs:
            raise ConfigError(f"depends on no {CONFIG_DEPENDENCY} task", where=f"task {task['label']}")
        task["run"] = {
            "using": "run-task",
            "checkout": True,
            "cwd": "{checkout}",
            "command": {"artifact-reference": " ".join([FINAL_SCRIPT] + configs)},
        }
        yield task
