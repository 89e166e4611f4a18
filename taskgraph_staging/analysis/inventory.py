"""What a finished task writes outside Taskcluster, read from its task definition.

Workers decide where to write from two things in the task: its scopes name the
instance (``beetmover:bucket:dep`` is the staging bucket, ``balrog:server:beta`` the
production Balrog), its payload names what it writes there (archive keys, blobs,
channels, tags...). :func:`inventory` reads both, the way each worker does, and lists
:class:`Resource` tuples. Pure: no I/O, nothing resolved against a network.

The plan summary prints these, the production guard checks them against
:mod:`taskgraph_staging.model.production`, and the isolation audit compares them between
namespaces.
"""

import functools
from dataclasses import dataclass

from taskgraph_staging.model import naming
from taskgraph_staging.model.release import DEFAULT_SERVICES, Services, display_name
from taskgraph_staging.model.families import DEFAULT_KIND_FAMILIES, families_of
from taskgraph_staging.model.workers import AMO_SERVERS, ARTIFACT_REGISTRIES, MAVEN_BUCKETS, MOCK, is_maven_bucket

DEFAULT_SCOPE_PREFIX = "project:releng"


@dataclass(frozen=True, order=True)
class Resource:
    """One thing a task writes: on which service and instance, what kind, which name."""

    service: str
    instance: str
    kind: str
    name: str
    label: str
    #: What the name alone does not say (e.g. a path the worker computes, not isolated).
    note: str = ""

    def as_dict(self):
        """The fields by name, as :func:`dataclasses.asdict` gives them (without its deep copies)."""
        return {"service": self.service, "instance": self.instance, "kind": self.kind, "name": self.name,
                "label": self.label, "note": self.note}


#: Instances production writes to, by service and the server/bucket word of the scope.
PRODUCTION_INSTANCES = {
    "archive": {
        "release": "net-mozaws-prod-delivery-firefox",
        "nightly": "net-mozaws-prod-delivery-firefox",
        "partner": "net-mozaws-prod-delivery-contrib",
    },
    "balrog": {"*": "https://admin.balrog.prod.webservices.mozgcp.net/api"},
    "bouncer": {"*": "https://admin.prod.bouncer.prod.webservices.mozgcp.net/api"},
    "shipit": {"*": "https://shipit-api.mozilla-releng.net"},
}
#: Scope words that select the staging instance, and the ``Services`` field naming it.
STAGING_INSTANCES = {
    "archive": ({"dep"}, "archive_bucket"),
    "balrog": ({"dep", "stage", "staging"}, "balrog_admin"),
    "bouncer": ({"staging", "dep"}, "bouncer_admin"),
    "shipit": ({"staging", "dep"}, "shipit"),
}
#: Store instances (every write there is a write to the real store).
STORE_INSTANCES = {
    "googleplay": "play.google.com",
    "snapstore": "snapcraft.io",
    "flathub": "flathub.org",
    "msstore": "microsoft-store",
}
#: Channels with which a store worker writes nothing (a dry run).
MOCK_CHANNELS = frozenset({MOCK})


def instance_for(service, word, services):
    """The instance a ``<service>:server:<word>`` (or ``bucket:<word>``) scope selects."""
    staging_words, field = STAGING_INSTANCES[service]
    if word in staging_words:
        return getattr(services, field)
    production = PRODUCTION_INSTANCES[service]
    if word in production or "*" in production:
        return production.get(word, production.get("*"))
    return f"{service} {word!r} (not a known instance)"


def scope_strings(task_def):
    """The task's scopes as strings (a scope may be a ``{"task-reference": ...}``)."""
    out = []
    for scope in task_def.get("scopes", []):
        if isinstance(scope, dict):
            scope = scope.get("task-reference", scope.get("artifact-reference", ""))
        out.append(scope)
    return out


def _scope_words(task_def, scope_prefix, *words):
    """The rest of each scope ``<prefix>:<words...>:<rest>``."""
    head = ":".join((scope_prefix,) + words) + ":"
    return [s[len(head):] for s in scope_strings(task_def) if s.startswith(head)]


def _first(values, default=None):
    return values[0] if values else default


def _res(service, instance, kind, name, label, note=""):
    return Resource(service, str(instance), kind, str(name), label, note)


# --- archive (beetmover) ---------------------------------------------------------


def _key_prefix(destination):
    return destination.rsplit("/", 1)[0] + "/" if "/" in destination else destination


def _archive(task, ctx):
    task_def, label = task["task"], task["label"]
    payload = task_def.get("payload", {})
    bucket = _first(_scope_words(task_def, ctx.scope_prefix, "beetmover", "bucket"), "dep")
    prefixes = set()
    for entry in payload.get("artifactMap", []) or []:
        for path in (entry.get("paths") or {}).values():
            prefixes.update(_key_prefix(d) for d in path.get("destinations", []))
    if is_maven_bucket(bucket):
        # push-to-maven: the maven bucket its pool's configuration names for the word.
        return [_res("maven", MAVEN_BUCKETS[bucket], "prefix", p, label) for p in sorted(prefixes)]
    instance = instance_for("archive", bucket, ctx.services)
    actions = set(_scope_words(task_def, ctx.scope_prefix, "beetmover", "action"))
    for entry in payload.get("dataMap", []) or []:
        prefixes.update(_key_prefix(d) for d in entry.get("destinations", []))
    resources = [_res("archive", instance, "prefix", p, label) for p in sorted(prefixes)]
    if "push-to-releases" in actions or (not prefixes and {"product", "version", "build_number"} <= set(payload)):
        product, version = payload.get("product"), payload.get("version")
        source = naming.production_candidates_dir(product, version, payload.get("build_number"))
        shared = "dedicated" if ctx.services.is_dedicated("archive") and bucket == "dep" else "shared"
        note = (
            f"push-to-releases computes its paths itself: copies {source} to this prefix "
            f"at the bucket root ({shared} bucket"
            + (", not isolated between staging releases)" if shared == "shared" else ")")
        )
        resources.append(_res("archive", instance, "prefix", naming.production_releases_dir(product, version), label, note))
        for partner in payload.get("partners") or []:
            resources.append(
                _res("archive", instance, "prefix", naming.production_partner_releases_dir(product, version, partner), label, note)
            )
    for registry in ARTIFACT_REGISTRIES.values():
        for word in _scope_words(task_def, ctx.scope_prefix, "beetmover", registry.resource):
            product = payload.get("product", "?")
            repository = registry.repository(word, product)
            version = ctx.release[1] if ctx.release else "(the release's version)"
            for source in payload.get("gcs_sources") or []:
                # The package as the repository holds it: product, version, platform, directory
                # and file (the .deb or .rpm fixes its name and version; the namespace is only in
                # the source key).
                package = "/".join(source.split("/")[-3:])
                resources.append(
                    _res(registry.service, repository, "package", f"{product} {version} {package}", label, f"imported from {source}")
                )
    return resources


# --- addons.mozilla.org ------------------------------------------------------------


def _addons(task, ctx):
    task_def, label = task["task"], task["label"]
    server = _first(_scope_words(task_def, ctx.scope_prefix, "addons.mozilla.org", "server"), "staging")
    instance = AMO_SERVERS.get(server, f"AMO server {server!r} (not a known instance)")
    product = (task.get("attributes") or {}).get("shipping_product") or (ctx.release[0] if ctx.release else "firefox")
    version = ctx.release[1] if ctx.release else "(the release's version)"
    out = []
    for artifact in task_def.get("payload", {}).get("upstreamArtifacts", []) or []:
        for path in artifact.get("paths", []):
            parts = path.split("/")
            locale = parts[-2] if len(parts) > 3 else "en-US"
            out.append(_res("amo", instance, "langpack", f"{product} {locale} {version}", label, "add-on id and version from the langpack"))
    return out


# --- balrog ---------------------------------------------------------------------


def _blob_name(payload, ctx, suffix=None):
    """The release blob balrogscript names: ``<Product>-<version>-build<N><suffix>``.

    A submit-locale payload does not say its release (the worker reads it from the
    upstream manifest); the graph's release (``ctx.release``) does.
    """
    if suffix is None:
        suffix = payload.get("blob_suffix", "")
    product, version, build = payload.get("product"), payload.get("version"), payload.get("build_number")
    if not (product and version and build) and ctx.release:
        product, version, build = ctx.release
    if product and version and build:
        display = display_name(product.lower())
        return f"{naming.production_release_name(display, version, build)}{suffix}"
    return f"(the release blob){suffix}"


def _balrog(task, ctx):
    task_def, label = task["task"], task["label"]
    payload = task_def.get("payload", {})
    server = _first(_scope_words(task_def, ctx.scope_prefix, "balrog", "server"), "dep")
    instance = instance_for("balrog", server, ctx.services)
    behavior = payload.get("behavior") or _first(_scope_words(task_def, ctx.scope_prefix, "balrog", "action"), "")
    out = []
    if "submit-locale" in behavior:
        suffixes = payload.get("suffixes") or [payload.get("blob_suffix", "")]
        for suffix in suffixes:
            out.append(_res("balrog", instance, "blob", _blob_name(payload, ctx, suffix), label, "locale data"))
    elif "submit-toplevel" in behavior or behavior == "set-readonly":
        out.append(_res("balrog", instance, "blob", _blob_name(payload, ctx), label))
    for channel in payload.get("channel_names", []) or []:
        out.append(_res("balrog", instance, "channel", channel, label))
    for channel in payload.get("pin_channels", []) or []:
        out.append(_res("balrog", instance, "channel", channel, label, "pinned"))
    for alias in payload.get("rules_to_update", []) or []:
        out.append(_res("balrog", instance, "rule", alias, label))
    for rule_id in payload.get("publish_rules", []) or []:
        out.append(_res("balrog", instance, "rule", f"id {rule_id}", label, f"scheduled change to {_blob_name(payload, ctx)}"))
    return out


# --- bouncer --------------------------------------------------------------------


def _bouncer(task, ctx):
    task_def, label = task["task"], task["label"]
    payload = task_def.get("payload", {})
    server = _first(_scope_words(task_def, ctx.scope_prefix, "bouncer", "server"), "staging")
    instance = instance_for("bouncer", server, ctx.services)
    out = []
    for product, entry in sorted((payload.get("submission_entries") or {}).items()):
        out.append(_res("bouncer", instance, "product", product, label))
        for platform, path in sorted(((entry or {}).get("paths_per_bouncer_platform") or {}).items()):
            out.append(_res("bouncer", instance, "location", path, label, f"{product} {platform}"))
    for alias, product in sorted((payload.get("aliases_entries") or {}).items()):
        out.append(_res("bouncer", instance, "alias", alias, label, f"-> {product}"))
    for product in payload.get("bouncer_products") or []:
        out.append(_res("bouncer", instance, "location", product, label, f"locations of {payload.get('product')} {payload.get('version')}"))
    return out


# --- ship-it --------------------------------------------------------------------


def _shipit(task, ctx):
    task_def, label = task["task"], task["label"]
    payload = task_def.get("payload", {})
    servers = _scope_words(task_def, ctx.scope_prefix, "ship-it", "server")
    # scriptworker's table spells the production scope without ``server:``.
    servers += [w for w in _scope_words(task_def, ctx.scope_prefix, "ship-it") if w in ("production", "staging")]
    instance = instance_for("shipit", _first(servers, "staging"), ctx.services)
    if "release_name" not in payload:
        return []
    return [_res("shipit", instance, "release", payload["release_name"], label)]


# --- vcs (treescript, landoscript) ----------------------------------------------


def _vcs_writes(task_def, instance, label):
    payload = task_def.get("payload", {})
    out = [_res("vcs", instance, "tag", t, label) for t in (payload.get("tag_info") or {}).get("tags", [])]
    bump = payload.get("version_bump_info") or {}
    for path in bump.get("files", []):
        out.append(_res("vcs", instance, "bump", path, label, f"-> {bump.get('next_version')}"))
    return out


def _treescript(task, ctx):
    task_def = task["task"]
    payload = task_def.get("payload", {})
    actions = set(payload.get("actions") or []) | set(_scope_words(task_def, ctx.scope_prefix, "treescript", "action"))
    # Without the push action, treescript's commits and tags never leave the worker.
    pushes = "push" in actions or payload.get("push")
    if not pushes or payload.get("dry_run"):
        return []
    return _vcs_writes(task_def, payload.get("source_repo", "(the task's repository)"), task["label"])


def _lando(task, ctx):
    task_def = task["task"]
    payload = task_def.get("payload", {})
    if payload.get("dry_run"):
        return []
    repo = payload.get("lando_repo") or _first(_scope_words(task_def, ctx.scope_prefix, "lando", "repo"), "?")
    return _vcs_writes(task_def, f"lando:{repo}", task["label"])


# --- stores ---------------------------------------------------------------------


def _pushapk(task, ctx):
    task_def = task["task"]
    payload = task_def.get("payload", {})
    if not payload.get("commit"):
        return []  # commit false: pushapkscript never contacts the store
    app = _first(_scope_words(task_def, ctx.scope_prefix, "googleplay", "product"), "?")
    track = payload.get("google_play_track") or payload.get("channel") or "?"
    instance = payload.get("target_store") or STORE_INSTANCES["googleplay"]
    return [_res("googleplay", instance, "track", f"{app}:{track}", task["label"])]


def _channel_store(service):
    def store(task, ctx):
        payload = task["task"].get("payload", {})
        channel = payload.get("channel")
        if not channel or channel in MOCK_CHANNELS:
            return []
        return [_res(service, STORE_INSTANCES[service], "channel", channel, task["label"])]

    store.__name__ = f"_{service}"
    return store


# --- notifications ----------------------------------------------------------------


def _notify(task, ctx):
    out = []
    for route in task["task"].get("routes", []):
        if not route.startswith("notify."):
            continue
        rest = route[len("notify."):]
        kind, _, target = rest.partition(".")
        target = target.rsplit(".on-", 1)[0]
        service = "email" if kind == "email" else kind
        out.append(_res(service, "taskcluster-notify", "recipient", target, task["label"]))
    return out


#: Task family -> what tasks of that family write. Families absent here write nothing
#: outside Taskcluster (signing, verification tasks, ...).
WRITERS = {
    "beetmover": _archive,
    "balrog": _balrog,
    "bouncer": _bouncer,
    "shipit": _shipit,
    "treescript": _treescript,
    "lando": _lando,
    "pushapk": _pushapk,
    "pushsnap": _channel_store("snapstore"),
    "pushflatpak": _channel_store("flathub"),
    "pushmsix": _channel_store("msstore"),
    "addons": _addons,
    "notify": _notify,
}


@dataclass(frozen=True)
class InventoryContext:
    scope_prefix: str
    services: Services
    kind_families: dict
    #: ``(product, version, build_number)`` of the graph's release, if known.
    release: tuple = None


def as_task(task):
    """A finished task dict from a dict or a taskgraph ``Task``."""
    if isinstance(task, dict):
        return task
    return {"label": task.label, "task": task.task, "attributes": task.attributes}


def make_context(scope_prefix, services, kind_families, release=None):
    if services is None:
        services = _default_services()
    families = dict(DEFAULT_KIND_FAMILIES if kind_families is None else kind_families)
    return InventoryContext(scope_prefix, services, families, tuple(release) if release else None)


@functools.cache
def _default_services():
    return Services.from_dict(dict(DEFAULT_SERVICES))


def inventory(task, scope_prefix=DEFAULT_SCOPE_PREFIX, *, services=None, kind_families=None, release=None):
    """What ``task`` (a finished task dict or taskgraph ``Task``) writes, as resources.

    ``services`` names the staging instances the staging scopes select (default: the
    shared staging services); ``kind_families`` maps kind names to task families for
    tasks no scope identifies (default :data:`DEFAULT_KIND_FAMILIES`); ``release`` is
    the graph's ``(product, version, build_number)``, which names the release blob of
    tasks whose payload does not.
    """
    return inventory_in(as_task(task), make_context(scope_prefix, services, kind_families, release))


def inventory_in(task, ctx):
    resources = []
    for family in families_of(task, ctx.scope_prefix, ctx.kind_families):
        writer = WRITERS.get(family)
        if writer:
            resources.extend(writer(task, ctx))
    return resources


def graph_tasks(taskgraph):
    if hasattr(taskgraph, "tasks"):
        return taskgraph.tasks.values()
    if isinstance(taskgraph, dict):
        return taskgraph.values()
    return taskgraph


def graph_inventory(taskgraph, scope_prefix=DEFAULT_SCOPE_PREFIX, *, services=None, kind_families=None, release=None):
    """Every resource the tasks of ``taskgraph`` write, sorted and de-duplicated.

    ``taskgraph`` is a taskgraph ``TaskGraph``, a ``{label: task}`` dict or a list of tasks.
    """
    ctx = make_context(scope_prefix, services, kind_families, release)
    found = set()
    for task in graph_tasks(taskgraph):
        found.update(inventory_in(as_task(task), ctx))
    return sorted(found)


def inventory_options(graph_config, parameters):
    """The keyword arguments of :func:`inventory` for a graph: scope prefix, services,
    kind families and release."""
    from taskgraph_staging.model.parameters import is_staging, staging_config, staging_release

    scope_prefix = DEFAULT_SCOPE_PREFIX
    kind_families = dict(DEFAULT_KIND_FAMILIES)
    if graph_config is not None:
        try:
            scope_prefix = graph_config["scriptworker"]["scope-prefix"]
        except KeyError:
            pass
        kind_families.update(staging_config(graph_config).get("kind-families", {}))
    services = None
    if parameters is not None and is_staging(parameters, graph_config) and parameters.get("staging") is not None:
        services = staging_release(parameters, graph_config).services
    release = None
    if parameters is not None and parameters.get("version"):
        release = (parameters.get("release_product") or "firefox", parameters["version"], parameters.get("build_number") or 1)
    return {"scope_prefix": scope_prefix, "services": services, "kind_families": kind_families, "release": release}
