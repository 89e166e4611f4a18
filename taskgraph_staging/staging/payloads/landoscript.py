"""landoscript payloads: tag and version_bump on a Lando repository.

The worker fields are those of gecko_taskgraph's ``scriptworker-lando`` builder
(``lando-repo``, ``actions: [{tag: {types, hg-repo-url}}, {version-bump: {bump-files}}]``);
mozilla-taskgraph registers a builder under that name, but it reads the task's
``shipping-product``, which taskgraph's task schema does not carry, so this one takes
the product as a field. Scopes as the real tree gives them: ``lando:repo:<repo>`` and
``lando:action:<action>`` per action.
"""

from typing import Literal, Optional

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from taskgraph_staging.model import naming
from taskgraph_staging.model.parameters import product_family
from taskgraph_staging.model.versions import release_next_version
from .common import copy_optional, release_build_number, release_version, set_payload


class TagAction(Schema):
    # Tags to make: buildN (<PRODUCT>_<version>_BUILD<N>) and/or release (<PRODUCT>_<version>_RELEASE).
    types: list[Literal["buildN", "release"]]
    # Mercurial repository landoscript maps the revision's hg id to git through (json-rev); omitted on git.
    hg_repo_url: Optional[str] = None


class VersionBumpAction(Schema):
    # Version files (repository paths on landoscript's allowlist) bumped to next_version.
    bump_files: list[str]


class LandoAction(Schema):
    tag: Optional[TagAction] = None
    version_bump: Optional[VersionBumpAction] = None


class LandoscriptSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["landoscript"]
    # Lando's short name of the repository the actions land on (firefox-beta, ...).
    lando_repo: str
    # Product the tags are named for (FIREFOX_...).
    product: str
    # The actions, in order.
    actions: list[LandoAction]
    dontbuild: Optional[bool] = None
    ignore_closed_tree: Optional[bool] = None
    # Prepare every action but submit nothing to Lando.
    force_dry_run: Optional[bool] = None


@payload_builder("landoscript", schema=LandoscriptSchema)
def build_landoscript_payload(config, task, task_def):
    worker = task["worker"]
    payload = {"actions": [], "lando_repo": worker["lando-repo"]}
    for action in worker["actions"]:
        if tag := action.get("tag"):
            payload["tag_info"] = {
                "tags": naming.production_tag_names(
                    worker["product"], release_version(config), release_build_number(config), tag["types"]
                ),
                "revision": config.params["head_rev"],
            }
            if tag.get("hg-repo-url"):
                payload["tag_info"]["hg_repo_url"] = tag["hg-repo-url"]
            payload["actions"].append("tag")
        if bump := action.get("version-bump"):
            payload["version_bump_info"] = {
                "next_version": release_next_version(config.params, product_family(worker["product"], config.graph_config)),
                "files": bump["bump-files"],
            }
            payload["actions"].append("version_bump")
    copy_optional(worker, payload, "dontbuild", "ignore-closed-tree")
    if worker.get("force-dry-run"):
        payload["dry_run"] = True
    set_payload(
        config, task_def, payload, f"lando:repo:{payload['lando_repo']}", *(f"lando:action:{a}" for a in payload["actions"])
    )
