"""What counts as production: scopes, endpoints, buckets, Balrog channels, worker pools.

The scope list is scriptworker's chain-of-trust table ``cot_restricted_scopes``
(every scope that only production trees may use), kept as a data file and pinned to
the ``scriptworker`` package by ``tests/test_production.py``.
"""

import functools
import json
import os
import re
from urllib.parse import urlsplit

from .workers import ARTIFACT_REGISTRIES, ARTIFACT_REGISTRY_RESOURCES, MAC_SIGNING_POOL_WORD, MAVEN_BUCKETS, MAVEN_STAGING_BUCKETS

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
    "addons.mozilla.org": "the production addons.mozilla.org (AMO)",
}
#: Production's Artifact Registry repositories by inventory service (``apt``, ``yum``):
#: beetmoverscript's ``product_apt_repos`` and ``product_yum_repos`` off the dev pool.
PRODUCTION_ARTIFACT_REGISTRY_REPOSITORIES = {
    registry.service: frozenset(
        repo for word, repos in registry.repositories().items() if word != "dep" for repo in repos.values()
    )
    for registry in ARTIFACT_REGISTRIES.values()
}
#: Production archive buckets.
PRODUCTION_BUCKETS = {
    "net-mozaws-prod-delivery-firefox": "the production release bucket",
    "net-mozaws-prod-delivery-archive": "the production archive bucket",
    "net-mozaws-prod-delivery-contrib": "the production partner bucket",
    # maven.mozilla.org's buckets (beetmoverscript's maven-production and maven-nightly-production).
    **{MAVEN_BUCKETS[word]: "a production maven bucket (maven.mozilla.org)" for word in MAVEN_STAGING_BUCKETS},
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


#: The words that mark a macOS signing pool as a dep one (iscript on Apple hardware is
#: named apart from the level scheme: the real tree's ``mac-signing`` alias is
#: ``gecko-signing-mac14m2`` in production and ``dep-gecko-signing-mac14m2`` below it;
#: older pools are ``signing-mac-v1`` and ``depsigning-mac-v1``, ``tb-depsigning-mac-v1``).
DEP_MAC_WORDS = ("dep", "depsigning")


def mac_signing_pool_reason(name):
    """Why a worker type named ``name`` is a production macOS signing pool, or None: a
    ``signing-mac`` pool that no dep word or staging level marks (when in doubt, production)."""
    name = name.lower()
    if MAC_SIGNING_POOL_WORD not in name:
        return None
    words = name.split("-")
    if any(word in DEP_MAC_WORDS for word in words) or _level_of(name)[1] in ("1", "t"):
        return None
    return "it is a macOS signing pool (iscript) outside the dep ones: it signs with the release certificates"


def dep_mac_signing_pool(name):
    """The dep pool of a production macOS signing pool ``name`` (``gecko-signing-mac14m2``
    -> ``dep-gecko-signing-mac14m2``, ``signing-mac-v1`` -> ``depsigning-mac-v1``)."""
    return f"dep{name}" if name.startswith("signing-mac") else f"dep-{name}"


def production_pool_reason(worker_type, trust_domain):
    """Why a ``provisioner/workerType`` is a production (level 3) pool, or None."""
    provisioner, _, name = worker_type.rpartition("/")
    mac = mac_signing_pool_reason(name)
    if mac:
        return mac
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
    bucket = resource.instance if resource.service in ("archive", "maven") else None
    reason = production_host_reason(_host(resource.instance), bucket=bucket)
    if reason:
        return f"{resource.service} instance {resource.instance}", reason
    if resource.instance in PRODUCTION_ARTIFACT_REGISTRY_REPOSITORIES.get(resource.service, ()):
        return (
            f"{resource.service} repository {resource.instance}",
            f"it is production's {resource.service} repository (packages.mozilla.org)",
        )
    if resource.service == "balrog" and resource.kind == "channel":
        reason = production_channel_reason(resource.name)
        if reason:
            return f"Balrog channel {resource.name}", reason
    return None


# --- values as their consumers read them -----------------------------------------------

#: Scope words after which a cot_restricted_scopes entry names its production resource
#: (``signing``, ``balrog`` ...); the part from there on is the same in every trust domain.
SCOPE_FAMILIES = (
    "signing", "balrog", "beetmover", "bouncer", "flathub", "googleplay", "lando",
    "microsoftstore", "ship-it", "treescript", "addons.mozilla.org", "github", "dockerhub", "pypi",
)
#: Store scopes whose last word, unless it is one of these, names a production channel.
STORE_SCOPE_FAMILIES = ("snapcraft", "flathub", "microsoftstore")
STAGING_SCOPE_WORDS = frozenset({"mock", "dep", "staging", "stage", "dep-signing"})
#: Projects (repositories) whose pushes only staging may make; anything else is production.
TRY_PROJECTS = frozenset({"try", "try-comm-central"})
#: Production repositories by their last path segment (hg.mozilla.org, lando names, GitHub).
PRODUCTION_REPOSITORY = re.compile(
    r"(mozilla|comm)-(central|beta|release|esr\d+)|autoland|beta|release|nightly|esr\d+|firefox|"
    r"firefox-android|firefox-ios|mozilla-unified",
)
PRODUCTION_CHANNEL = re.compile(r"(beta|release|esr\d*|aurora|nightly)(-localtest|-cdntest)?")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _memoised_for_names(func):
    """``func`` (pure, of a name and hashable options) remembering its answers for string
    names: a graph asks about the same few scopes, pools and routes thousands of times.
    Anything else is passed through uncached (it is unclassable anyway)."""
    cached = functools.lru_cache(maxsize=4096)(func)

    @functools.wraps(func)
    def reason(value, *args, **kwargs):
        if isinstance(value, str):
            return cached(value, *args, **kwargs)
        return func(value, *args, **kwargs)

    reason.cache_clear = cached.cache_clear
    return reason


def unclassable_reason(value):
    """Why a value no consumer would read as written cannot be classed, or None."""
    if not isinstance(value, str):
        return f"it is a {type(value).__name__}, not a name"
    if CONTROL.search(value):
        return "it holds a control character (a consumer may strip it and read a production name)"
    if value != value.strip():
        return "it has leading or trailing whitespace (a consumer may strip it)"
    return None


@functools.cache
def _restricted_tails():
    """The cot_restricted_scopes entries from their family word on (``balrog:server:beta``)."""
    tails = set()
    for scope in cot_restricted_scopes():
        words = scope.split(":")
        for i, word in enumerate(words):
            if word in SCOPE_FAMILIES:
                tails.add(":".join(words[i:]))
                break
    return frozenset(tails)


def _tail_matches(tail, pattern):
    if pattern.endswith("*"):
        return tail.startswith(pattern[:-1]) or pattern[:-1].startswith(tail.rstrip("*"))
    return tail == pattern or (tail.endswith("*") and pattern.startswith(tail[:-1]))


@_memoised_for_names
def scope_reason(scope):
    """Why a scope is production: the table (its wildcards expanded as scriptworker matches
    them), the same restricted scope under another trust domain's prefix, a level-3 secret,
    a production repository's role, or a production store channel. None when staging."""
    reason = unclassable_reason(scope)
    if reason:
        return reason
    reason = production_scope_reason(scope)
    if reason:
        return reason
    for entry, trees in cot_restricted_scopes().items():
        if entry.endswith("*") and scope.startswith(entry[:-1]):
            return f"scriptworker's cot_restricted_scopes restricts {entry} to {trees}"
    words = scope.split(":")
    for i, word in enumerate(words):
        if word in SCOPE_FAMILIES:
            tail = ":".join(words[i:])
            if any(_tail_matches(tail, t) for t in _restricted_tails()):
                return f"{tail} is production-only in every trust domain (scriptworker's cot_restricted_scopes)"
            break
    if "production" in words or any(w.endswith("-production") for w in words):
        return "it names a production server"
    if words[0] == "secrets" and any(f"level-{PRODUCTION_LEVEL}" in w for w in words):
        return f"it reads level-{PRODUCTION_LEVEL} secrets"
    if scope.startswith("assume:repo:") or scope.startswith("assume:project:"):
        repo = scope.split(":", 2)[2].rstrip("*").rstrip(":").rstrip("/")
        if repo and not repository_is_staging(repo):
            return "it assumes a production repository's role"
    if words[0] == "queue" and len(words) >= 4 and words[1] == "create-task":
        return pool_reason(words[-1].lower())
    if words[0] == "queue" and words[1:2] == ["route"]:
        return route_reason(":".join(words[2:]))
    for word in words[:-1]:
        if word in ARTIFACT_REGISTRY_RESOURCES and words[-1] not in STAGING_SCOPE_WORDS:
            return f"it imports into production's Artifact Registry repository ({word} {words[-1]})"
    for i, word in enumerate(words):
        if word in STORE_SCOPE_FAMILIES and i < len(words) - 1:
            channel = store_scope_channel(words[i + 1:])
            if channel not in STAGING_SCOPE_WORDS:
                return f"it publishes to the {word} channel {channel}"
    return None


def store_scope_channel(rest):
    """The channel of a store scope's words after its family (``firefox:beta``,
    ``firefox:stable:org.mozilla.firefox``): the last word, or the one before an app id
    (a dotted name), as pushflatpakscript reads ``<prefix><channel>:<app id>``."""
    return rest[-2] if len(rest) > 1 and "." in rest[-1] else rest[-1]


def repository_is_staging(repo):
    """True for a try repository or a user repository; False for every other repository."""
    path = urlsplit(repo).path if "://" in repo else repo.split("/", 1)[-1] if "/" in repo else repo
    segments = [s for s in path.strip("/").split("/") if s]
    if not segments:
        return False
    return segments[-1] in TRY_PROJECTS or segments[0] == "users"


#: Lando's staging repositories (``staging-firefox-beta``, ``staging-firefox-esr115``):
#: the real tree's Try form lands on them; every other Lando repository is a real tree's.
STAGING_LANDO_REPO = re.compile(r"staging-[a-z0-9][a-z0-9-]*")


@_memoised_for_names
def lando_repo_reason(repo):
    """Why landing on the Lando repository ``repo`` (its short name) is production, or None."""
    reason = unclassable_reason(repo)
    if reason:
        return reason
    if not STAGING_LANDO_REPO.fullmatch(repo):
        return "it is not one of Lando's staging repositories (staging-*)"
    return None


@_memoised_for_names
def pool_reason(pool):
    """Why a ``provisioner/workerType`` (or task queue) is production, case as Taskcluster
    folds it: any trust domain's level-3 pool or provisioner."""
    reason = unclassable_reason(pool)
    if reason:
        return reason
    provisioner, _, name = pool.lower().rpartition("/")
    mac = mac_signing_pool_reason(name)
    if mac:
        return mac
    domain, level = _level_of(name)
    if level == PRODUCTION_LEVEL:
        return f"it is a level-{PRODUCTION_LEVEL} ({domain}-{PRODUCTION_LEVEL}-*) pool"
    if _level_of(provisioner)[1] == PRODUCTION_LEVEL:
        return f"provisioner {provisioner} holds the level-{PRODUCTION_LEVEL} pools"
    return None


#: The level words of pool names (``gecko-3-signing``, ``comm-t-signing``, ``gecko-1``).
LEVEL_WORDS = ("1", "2", "3", "t")


def _level_of(name):
    """``(trust domain, level)`` of a pool or provisioner name: its first level word, or
    ``(None, None)``. ``gecko-1-balrog-race-3`` is level 1."""
    words = name.split("-")
    for i, word in enumerate(words[1:], start=1):
        if word in LEVEL_WORDS:
            return "-".join(words[:i]), word
    return None, None


@_memoised_for_names
def route_reason(route, owner_email=None):
    """Why a route reaches production (a release list, a shared room, pulse, a production
    index or Treeherder project), or None for the staging forms; unknown routes are refused."""
    reason = unclassable_reason(route)
    if reason:
        return reason
    head, _, rest = route.partition(".")
    if route == "checks":
        return None
    if head == "notify":
        kind, _, target = rest.partition(".")
        target = target.rsplit(".on-", 1)[0]
        if kind == "email" and owner_email and target.lower() == owner_email.lower():
            return None
        return f"it notifies {kind} {target}, not the release's owner"
    if head == "index":
        words = rest.split(".")
        if len(words) >= 3 and words[1] == "v2" and words[2] in TRY_PROJECTS:
            return None
        return "it is an index route outside the try projects' namespace"
    if head == "tc-treeherder":
        words = rest.split(".")
        if len(words) >= 2 and words[1] in TRY_PROJECTS:
            return None
        return "it reports to a production Treeherder project"
    return "no staging form of this route is known (refused rather than passed)"


def host_reason(value):
    """Why a host or URL names production, normalised as HTTP clients read it."""
    reason = unclassable_reason(value)
    if reason:
        return reason
    host = urlsplit(value).hostname if "://" in value else value.split("/", 1)[0].split(":")[0]
    host = (host or "").lower().rstrip(".")
    return PRODUCTION_HOSTS.get(host)


def channel_reason(channel):
    """Why a Balrog channel is production, read case- and space-insensitively as Balrog does."""
    reason = unclassable_reason(channel)
    if reason:
        return reason
    if PRODUCTION_CHANNEL.fullmatch(channel.lower()):
        return "it is a production Balrog channel that shipped updaters ask for"
    return None


def destination_reason(path):
    """Why an archive destination leaves its namespace (``..`` or absolute), or None."""
    reason = unclassable_reason(path)
    if reason:
        return reason
    if path.startswith("/") or ".." in path.split("/") or "\\" in path:
        return "it climbs out of the staging namespace"
    return None


def repository_reason(repo):
    reason = unclassable_reason(repo)
    if reason:
        return reason
    if not repository_is_staging(repo):
        return "it is not a try or user repository"
    return None
