"""treescript payloads: tag, version_bump, push."""

from typing import Literal, Optional

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from taskgraph_staging.model import naming
from taskgraph_staging.model.parameters import product_family
from taskgraph_staging.model.versions import release_next_version
from .common import copy_optional, release_build_number, release_version, set_payload


class TreescriptSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["treescript"]
    # Tags to make: buildN (<PRODUCT>_<version>_BUILD<N>) and/or release (<PRODUCT>_<version>_RELEASE).
    tags: list[Literal["buildN", "release"]]
    # Whether to bump the version files to next_version.
    bump: bool
    # Version files to bump.
    bump_files: Optional[list[str]] = None
    # Repository the worker clones and (with push) pushes to.
    source_repo: str
    # Product the tags are named for (FIREFOX_...).
    product: str
    # Whether to push the result.
    push: bool = False
    dontbuild: Optional[bool] = None
    ignore_closed_tree: Optional[bool] = None
    # Run every action but never push.
    force_dry_run: Optional[bool] = None


@payload_builder("treescript", schema=TreescriptSchema)
def build_treescript_payload(config, task, task_def):
    worker = task["worker"]
    payload = {"actions": [], "source_repo": worker["source-repo"]}
    if worker["tags"]:
        payload["tag_info"] = {
            "tags": naming.production_tag_names(
                worker["product"], release_version(config), release_build_number(config), worker["tags"]
            ),
            "revision": config.params["head_rev"],
        }
        payload["actions"].append("tag")
    if worker["bump"]:
        payload["version_bump_info"] = {
            "next_version": release_next_version(config.params, product_family(worker["product"], config.graph_config)),
            "files": worker["bump-files"],
        }
        payload["actions"].append("version_bump")
    if worker.get("push"):
        payload["actions"].append("push")
    copy_optional(worker, payload, "dontbuild", "ignore-closed-tree")
    if worker.get("force-dry-run"):
        payload["dry_run"] = True
    set_payload(config, task_def, payload, *(f"treescript:action:{a}" for a in payload["actions"]))
