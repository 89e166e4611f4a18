"""bouncerscript payloads: submission, aliases, locations."""

from typing import Literal

from taskgraph.transforms.task import payload_builder
from taskgraph.util.schema import Schema

from .common import release_version, set_payload


class BouncerSubmissionSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["bouncer-submission"]
    # Bouncer instance: production or staging.
    bouncer_server: str
    # Locales every product is submitted for.
    locales: list[str]
    # Bouncer product name -> {options: {add_locales, ssl_only}, paths_per_bouncer_platform: {os: path}}.
    entries: dict[str, dict]


@payload_builder("bouncer-submission", schema=BouncerSubmissionSchema)
def build_bouncer_submission_payload(config, task, task_def):
    worker = task["worker"]
    payload = {"locales": worker["locales"], "submission_entries": worker["entries"]}
    set_payload(config, task_def, payload, f"bouncer:server:{worker['bouncer-server']}", "bouncer:action:submission")


class BouncerAliasesSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["bouncer-aliases"]
    bouncer_server: str
    # Alias name -> bouncer product it points at.
    entries: dict[str, str]


@payload_builder("bouncer-aliases", schema=BouncerAliasesSchema)
def build_bouncer_aliases_payload(config, task, task_def):
    worker = task["worker"]
    set_payload(config, task_def, {"aliases_entries": worker["entries"]}, f"bouncer:server:{worker['bouncer-server']}", "bouncer:action:aliases")


class BouncerLocationsSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    implementation: Literal["bouncer-locations"]
    bouncer_server: str
    # Bouncer products whose locations follow the release (e.g. firefox-nightly-latest).
    bouncer_products: list[str]
    # Bouncer's product family of these products (firefox, firefox-rc, ...).
    product: str


@payload_builder("bouncer-locations", schema=BouncerLocationsSchema)
def build_bouncer_locations_payload(config, task, task_def):
    worker = task["worker"]
    payload = {
        "bouncer_products": worker["bouncer-products"],
        "version": release_version(config),
        "product": worker["product"],
    }
    set_payload(config, task_def, payload, f"bouncer:server:{worker['bouncer-server']}", "bouncer:action:locations")
