"""What counts as production: scopes, endpoints, buckets, Balrog channels, worker pools.

The scope list is scriptworker's chain-of-trust table ``cot_restricted_scopes``
(every scope that only production trees may use), kept as a data file and pinned to
the ``scriptworker`` package by ``tests/test_production.py``.
"""

import functools
import json
import os
from urllib.parse import urlsplit

DATA = os.path.join(os.path.dirname(__file__), "data", "cot_restricted_scopes.json")

#: Production hosts a staging release must never write to, with what they are.
PRODUCTION_HOSTS = {
    "aus5.mozilla.org": "the production Balrog update server",
    "aus-api.mozilla.org": "the production Balrog public API",
    "balrog.services.mozilla.com": "the production Balrog admin",
    "admin.balrog.prod.webservices.mozgcp.net": "the production Balrog admin",
    "archive.mozilla.org": "the production archive",
    "ftp.mozilla.org": "the production archive",
    "download.mozilla.org": "the production Bouncer redirector",
    "bounceradmin.mozilla.com": "the production Bouncer admin",
    "admin.prod.bouncer.prod.webservices.mozgcp.net": "the production Bouncer admin",
    "shipit-api.mozilla-releng.net": "the production Ship-it",
    "api.shipit.mozilla-releng.net": "the production Ship-it",
}
#: Production archive buckets.
PRODUCTION_BUCKETS = {
    "net-mozaws-prod-delivery-firefox": "the production release bucket",
    "net-mozaws-prod-delivery-archive": "the production archive bucket",
    "net-mozaws-prod-delivery-contrib": "the production partner bucket",
}
#: Production Balrog channels (the names a shipped updater asks for).
PRODUCTION_CHANNELS = frozenset(
    f"{base}{suffix}"
    for base in ("beta", "release", "esr", "aurora", "nightly")
    for suffix in ("", "-localtest", "-cdntest")
)
PRODUCTION_LEVEL = "3"


@functools.cache
def cot_restricted_scopes():
    """Every production-only scope of scriptworker's table, with the trees allowed it."""
    with open(DATA) as fh:
        table = json.load(fh)["by-cot-product"]
    scopes = {}
    for product, entries in sorted(table.items()):
        for scope, trees in entries.items():
            scopes.setdefault(scope, f"{product}: {trees}")
    return scopes


def production_scope_reason(scope):
    """Why ``scope`` is production-only, or None. Wildcard scopes count if they cover one."""
    table = cot_restricted_scopes()
    if scope in table:
        return f"scriptworker's cot_restricted_scopes restricts it to {table[scope]}"
    if scope.endswith("*"):
        prefix = scope[:-1]
        covered = sorted(s for s in table if s.startswith(prefix))
        if covered:
            return f"it covers production-only scope {covered[0]} (scriptworker's cot_restricted_scopes)"
    return None


def production_host_reason(host, bucket=None):
    """Why a host or bucket is production, or None."""
    if bucket and bucket in PRODUCTION_BUCKETS:
        return PRODUCTION_BUCKETS[bucket]
    if host:
        host = host.lower().split(":")[0]
        if host in PRODUCTION_HOSTS:
            return PRODUCTION_HOSTS[host]
    return None


def production_pool_reason(worker_type, trust_domain):
    """Why a ``provisioner/workerType`` is a production (level 3) pool, or None."""
    provisioner, _, name = worker_type.rpartition("/")
    if name.startswith(f"{trust_domain}-{PRODUCTION_LEVEL}-"):
        return f"it is a level-{PRODUCTION_LEVEL} ({trust_domain}-3-*) pool"
    if provisioner == f"{trust_domain}-{PRODUCTION_LEVEL}":
        return f"provisioner {provisioner} holds the level-{PRODUCTION_LEVEL} pools"
    return None


def production_channel_reason(channel):
    if channel in PRODUCTION_CHANNELS:
        return "it is a production Balrog channel that shipped updaters ask for"
    return None


#: Stores a release publishes to; each has only one, production, instance.
PRODUCTION_STORES = {
    "googleplay": "Google Play (staging uses commit: false)",
    "snapstore": "the Snap store (staging uses channel mock)",
    "flathub": "Flathub (staging uses channel mock)",
    "msstore": "the Microsoft Store (staging uses channel mock)",
}


def production_store_reason(service):
    """Why a write to this store service is a production write, or None."""
    if service in PRODUCTION_STORES:
        return f"it publishes to {PRODUCTION_STORES[service]}"
    return None


def _host(instance):
    if "://" in instance:
        return urlsplit(instance).hostname
    return instance.split("/", 1)[0]


def resource_reason(resource):
    """Why a :class:`~taskgraph_staging.analysis.inventory.Resource` is in production, as
    ``(what, reason)``, or None. The production guard and the isolation audit both ask this."""
    reason = production_store_reason(resource.service)
    if reason:
        return f"{resource.service} {resource.kind} {resource.name}", reason
    bucket = resource.instance if resource.service == "archive" else None
    reason = production_host_reason(_host(resource.instance), bucket=bucket)
    if reason:
        return f"{resource.service} instance {resource.instance}", reason
    if resource.service == "balrog" and resource.kind == "channel":
        reason = production_channel_reason(resource.name)
        if reason:
            return f"Balrog channel {resource.name}", reason
    return None
