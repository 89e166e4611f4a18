"""balrogscript payloads: submit-locale, submit-toplevel, schedule, set-readonly."""

from typing import Literal, Optional

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from taskgraph_staging.model.parameters import partials, product_family
from taskgraph_staging.model.versions import release_app_version
from .common import UpstreamArtifact, copy_optional, release_build_number, release_version, set_payload

BALROG_ACTIONS = ("submit-locale", "v2-submit-locale", "submit-toplevel", "v2-submit-toplevel", "schedule", "set-readonly")


class BalrogPayloadSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["balrog"]
    # What balrogscript does (its payload's ``behavior``).
    balrog_action: Literal[BALROG_ACTIONS]
    # Balrog server the worker talks to: beta, release, esr (production), dep (staging).
    balrog_server: str
    # Product name in Balrog (Firefox, Devedition...).
    product: Optional[str] = None
    # submit-locale: the beetmover manifests to read.
    upstream_artifacts: Optional[list[UpstreamArtifact]] = None
    suffixes: Optional[list[str]] = None
    # submit-toplevel
    platforms: Optional[list[str]] = None
    channel_names: Optional[list[str]] = None
    rules_to_update: Optional[list[str]] = None
    archive_domain: Optional[str] = None
    download_domain: Optional[str] = None
    require_mirrors: bool = True
    complete_mar_filename_pattern: Optional[str] = None
    complete_mar_bouncer_product_pattern: Optional[str] = None
    # One updateLine list per blob balrogscript creates, by name suffix: "" (with
    # what's-new pages) and "-No-WNP" (reference.balrog_toplevel writes it).
    update_line: Optional[dict] = None
    # submit-toplevel, schedule, set-readonly: suffix of the release blob name.
    blob_suffix: Optional[str] = None
    # submit-toplevel, schedule: channels whose pin (<major>. and <major>.<minor>.) is
    # this release (balrogscript's /v2/releases/<blob>/pinnable).
    pin_channels: Optional[list[str]] = None
    # schedule
    publish_rules: Optional[list[int]] = None
    # When the schedule takes effect ("": now); the release_eta parameter unless given.
    release_eta: Optional[str] = None
    background_rate: Optional[int] = None
    force_fallback_mapping_update: Optional[bool] = None


@payload_builder("balrog", schema=BalrogPayloadSchema)
def build_balrog_payload(config, task, task_def):
    worker = task["worker"]
    action = worker["balrog-action"]
    payload = {"behavior": action}
    if action in ("submit-locale", "v2-submit-locale"):
        payload["upstreamArtifacts"] = worker["upstream-artifacts"]
        if worker.get("suffixes"):
            payload["suffixes"] = worker["suffixes"]
    else:
        payload.update(
            build_number=release_build_number(config),
            product=worker["product"],
            version=release_version(config),
        )
        copy_optional(worker, payload, "blob-suffix", "pin-channels")
    if action in ("submit-toplevel", "v2-submit-toplevel"):
        payload.update(
            app_version=release_app_version(config.params, product_family(config.params.get("release_product"), config.graph_config)),
            archive_domain=worker["archive-domain"],
            channel_names=worker["channel-names"],
            download_domain=worker["download-domain"],
            partial_versions=", ".join(
                f"{p.version}build{p.build_number}" for p in partials(config.params, config.graph_config)
            ),
            platforms=worker["platforms"],
            require_mirrors=worker.get("require-mirrors", True),
            rules_to_update=worker["rules-to-update"],
        )
        copy_optional(worker, payload, "complete-mar-filename-pattern", "complete-mar-bouncer-product-pattern", "update-line")
    elif action == "schedule":
        payload["publish_rules"] = worker["publish-rules"]
        # balrogscript reads payload["release_eta"] unconditionally (a KeyError without
        # it); an empty one means "schedule now" (it sends None), as gecko's default ""
        # (an RC's secondary schedule gives release-eta "": beta gets the RC now).
        payload["release_eta"] = worker.get("release-eta", config.params.get("release_eta")) or ""
        # As gecko's builder: only a rate and a forced fallback update that are set (a
        # rate of 0 or null leaves the rule's own; false is balrogscript's default).
        if worker.get("force-fallback-mapping-update"):
            payload["force_fallback_mapping_update"] = True
        if worker.get("background-rate"):
            payload["background_rate"] = worker["background-rate"]
    # The server scope alone, as gecko's add_balrog_scopes: balrogscript takes its action
    # from the payload's ``behavior``.
    set_payload(config, task_def, payload, f"balrog:server:{worker['balrog-server']}")
