"""How each resource a staging release writes is kept apart from other staging releases.

Every :class:`~taskgraph_staging.analysis.inventory.Resource` falls in one class:

* **isolated by namespace**: the name carries the release's namespace, as
  :mod:`taskgraph_staging.model.naming` writes it (naming is injective, so no other
  namespace can produce it);
* **isolated by instance**: the release's services name a dedicated instance of the
  service (a library slot), so nobody else writes there;
* **shared by nature**: on a shared instance the worker or the service fixes the
  name and no namespace can change it (push-to-releases, Bouncer's fixed aliases,
  Balrog rule ids, a Ship-it release name without the namespace...);
* **not isolated**: on a shared instance, a name naming would not give this
  release (a hand edit, a task the staging layer missed);
* **production**: what the production guard's rule calls production
  (:func:`taskgraph_staging.model.production.resource_reason`: a store, which has one
  instance; a production host or bucket; a production Balrog channel). The guard
  reports it;
* **message**: notifications deliver messages; nothing is stored, nothing overwritten.

Only *message* resources may be written by two staging releases at once without it
being a collision: a resource shared by nature that two releases write is a collision
like any other, and the audit names the dedicated service that removes it
(:data:`SHARED_REMEDIES`). Pure: names come from :mod:`naming`, nothing
is re-derived here.
"""

import dataclasses
import functools
from dataclasses import dataclass

from taskgraph_staging.model import naming
from taskgraph_staging.model.production import resource_reason
from taskgraph_staging.model.release import PRODUCT_DISPLAY_NAMES, SERVICE_FAMILIES
from taskgraph_staging.model.workers import MAVEN_PRODUCT_PATHS

NAMESPACE = "isolated by namespace"
INSTANCE = "isolated by instance"
SHARED = "shared by nature"
NOT_ISOLATED = "not isolated"
PRODUCTION = "production"
MESSAGE = "message"
#: Classes two graphs may both write without a collision: messages only. A name
#: shared by nature that two graphs write is one thing both overwrite.
NOT_EXCLUSIVE = frozenset({MESSAGE})
#: Order classes are shown in.
CLASSES = (NAMESPACE, INSTANCE, SHARED, MESSAGE, NOT_ISOLATED, PRODUCTION)

#: The ``Services`` field naming each instance family's instance, as the inventory reports it.
INSTANCE_FIELDS = {"archive": "archive_bucket", "balrog": "balrog_admin", "bouncer": "bouncer_admin", "shipit": "shipit"}

#: Why each shared-by-nature family cannot be namespaced on a shared instance.
SHARED_REASONS = {
    "push-to-releases": (
        "push-to-releases computes both paths itself (pub/<product>/candidates/... -> pub/<product>/releases/<version>/) "
        "and takes its bucket from the beetmover worker's configuration: on a shared bucket every release of this "
        "version writes this prefix; only a dedicated archive with its own beetmover pool isolates it"
    ),
    "bouncer-alias": (
        "bouncerscript accepts only its fixed global list of aliases: on a shared Bouncer every release of the "
        "product moves the same alias; a dedicated Bouncer isolates it"
    ),
    "balrog-rule-id": (
        "schedule's publish_rules are numeric ids of existing rules, not this namespace's rule: on a shared Balrog "
        "they name rules other releases publish too; provision the namespace's rule (services.rule_ids) or use a "
        "dedicated Balrog"
    ),
    "shipit-release": (
        "Ship-it names a release itself from POST /releases (<Product>-<version>-build<N>), so no namespace can be "
        "part of it: on a shared Ship-it every release of this version and build creates and marks the same release; "
        "a dedicated Ship-it isolates it"
    ),
    "apt-package": (
        "beetmoverscript imports into the apt repository its worker's configuration names for the product (one per "
        "product on the dev pool), and the package's name and version come from the .deb, not the task: every staging "
        "release of this version imports the same package; no namespace and no library slot reaches it"
    ),
    "yum-package": (
        "beetmoverscript imports into the yum repository its worker's configuration names for the product (one per "
        "product on the dev pool, mozilla-rpm), and the package's name and version come from the .rpm, not the task: every "
        "staging release of this version imports the same package; no namespace and no library slot reaches it"
    ),
    "amo-langpack": (
        "addonscript submits each langpack under the add-on id and version its manifest fixes "
        "(langpack-<locale>@firefox.mozilla.org, the release's version) to the one AMO staging server of its "
        "configuration: every staging release of this version submits the same add-on versions"
    ),
    "vcs-bump": (
        "a version bump writes the same files of a shared repository whatever the namespace: on Lando's staging "
        "repository of the train (staging-firefox-beta, one for everybody) every namespace's bump lands on the same "
        "version files, and the next bump starts from what the last one wrote; only the tags carry the namespace"
    ),
}


#: The dedicated service (a library slot's) that removes each shared-by-nature collision.
SHARED_REMEDIES = {
    "push-to-releases": "a dedicated archive (a library slot: its own bucket and beetmover pool)",
    "bouncer-alias": "a dedicated Bouncer (a library slot)",
    "balrog-rule-id": "a dedicated Balrog (a library slot), or this namespace's own rules in services.rule_ids",
    "shipit-release": "a dedicated Ship-it (a library slot)",
    "vcs-bump": "a Lando repository of its own (Lando's administrators make one; no library slot holds one)",
    "apt-package": "a beetmover pool whose configuration names an apt repository of its own (no library slot holds one)",
    "yum-package": "a beetmover pool whose configuration names a yum repository of its own (no library slot holds one)",
    "amo-langpack": "none here: AMO's staging server is one for everybody (no library slot holds an AMO)",
}


#: Why a location that climbs out of the mirror's directory is not this namespace's file.
DOT_SEGMENTS_REASON = (
    "the location climbs out of the mirror's pub directory with dot segments: go-bouncer redirects to its mirror "
    "base + the path verbatim, so only a client that removes dot segments reaches this namespace's file (curl, "
    "urllib3); python-requests, urllib.request and curl --path-as-is ask the archive for the path as written. No "
    "path bouncerscript accepts names a file outside the shared mirror's pub: a dedicated Bouncer (a library slot), "
    "whose mirror is the slot's archive, is needed"
)


@dataclass(frozen=True, order=True)
class Classification:
    category: str
    reason: str
    #: For a shared-by-nature resource, the dedicated service that isolates it.
    remedy: str = ""


def resource_key(resource):
    """What a resource names on its instance: ``(service, instance, kind, name)``.

    Two resources with one key are one thing on one instance. A Bouncer location is a
    row of one product, so its key names the product too.
    """
    name = resource.name
    if resource.service == "bouncer" and resource.kind == "location":
        product = location_product(resource)
        if product and product != name:
            name = f"{product} {name}"
    return (resource.service, resource.instance, resource.kind, name)


def location_product(resource):
    """The Bouncer product a location resource belongs to (from the inventory's note)."""
    note = resource.note or ""
    if note.startswith("locations of "):
        return resource.name
    return note.split(" ", 1)[0] if note else ""


def _variants(release):
    """The release as each shipping product (a graph may hold several products' tasks)."""
    products = dict.fromkeys([release.product, *PRODUCT_DISPLAY_NAMES])
    return [release if p == release.product else dataclasses.replace(release, product=p) for p in products]


class Classifier:
    """Classifies the resources of one graph, given the staging release it belongs to.

    ``release`` is the graph's :class:`~taskgraph_staging.model.release.StagingRelease`, or
    None when the graph's parameters are unknown: then nothing can be shown to carry a
    namespace, and names that are not shared by nature are *not isolated*.
    """

    def __init__(self, release=None):
        self.release = release
        self.services = release.services if release else None
        self._cache = {}
        if release is None:
            return
        variants = _variants(release)
        self.archive_root = naming.archive_root(release)
        self.blob_names = tuple(naming.blob_name(v) for v in variants)
        #: Channels and rule aliases are ``<namespace>-<production name>`` (naming).
        self.namespace = str(release.namespace)
        self.tag_suffix = naming.vcs_tag(release, "")
        #: This namespace's group under each of beetmoverscript's maven product paths.
        self.maven_roots = tuple(naming.maven_destination(release, path, path) for path in sorted(set(MAVEN_PRODUCT_PATHS.values())))
        heads = []
        for v in variants:
            head = f"{v.display_product}-{v.version}"
            for production in (head, f"{head}build{v.build_number}"):
                staging = naming.bouncer_product(v, production)
                if staging and staging != production:
                    heads.append((production, staging))
        self.bouncer_products = tuple(staging for _, staging in heads)
        #: The namespace part naming puts after a product's version (``-staging-alice``).
        self.bouncer_tails = tuple(sorted({staging[len(production):] for production, staging in heads}))
        self.own_rule_ids = {
            rule_id: alias for alias, rule_id in self.services.rule_ids if naming.carries_namespace(alias, self.namespace)
        }

    # --- helpers ---------------------------------------------------------------

    def dedicated_instance(self, resource):
        """Whether the resource is on this release's dedicated instance of its service."""
        if self.services is None or resource.service not in SERVICE_FAMILIES:
            return False
        if not self.services.is_dedicated(resource.service):
            return False
        return resource.instance == getattr(self.services, INSTANCE_FIELDS[resource.service])

    def _namespaced_product(self, product):
        return any(naming.carries_namespace(product, staging) for staging in self.bouncer_products)

    def _namespaced_alias(self, alias):
        for tail in self.bouncer_tails:
            start = alias.find(tail)
            while start >= 0:
                if naming.ends_namespace(alias[start + len(tail):]):
                    return True
                start = alias.find(tail, start + 1)
        return False

    # --- classification ----------------------------------------------------------

    def classify(self, resource):
        """The :class:`Classification` of one resource of this graph."""
        key = (resource.service, resource.instance, resource.kind, resource.name, resource.note)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._classify(resource)
        return found

    def _classify(self, r):
        production = resource_reason(r)
        if production:
            what, why = production
            return Classification(PRODUCTION, f"{what} is production: {why}")
        if r.instance == "taskcluster-notify":
            return Classification(
                MESSAGE, "a notification is a message delivered, not a stored state: two releases overwrite nothing"
            )
        if self.dedicated_instance(r):
            return Classification(INSTANCE, f"the release's services name a dedicated {r.service} instance ({r.instance})")
        shared = self._shared_by_nature(r)
        if shared:
            return Classification(SHARED, SHARED_REASONS[shared], SHARED_REMEDIES[shared])
        if self.release is None:
            return Classification(NOT_ISOLATED, "the graph's parameters are unknown: its namespace cannot be checked")
        if r.service == "bouncer" and r.kind == "location" and naming.relies_on_dot_segments(r.name):
            return Classification(NOT_ISOLATED, DOT_SEGMENTS_REASON, "a dedicated Bouncer (a library slot) whose mirror is its archive")
        if self._carries_namespace(r):
            return Classification(NAMESPACE, f"the name carries namespace {self.release.namespace} (naming)")
        return Classification(
            NOT_ISOLATED,
            f"on a shared instance, and not a name naming gives namespace {self.release.namespace}",
        )

    def _shared_by_nature(self, r):
        """Which shared-by-nature family the resource belongs to, or None."""
        from taskgraph_staging.model.workers import ALIAS_PATTERNS

        if r.service == "archive" and r.note.startswith("push-to-releases"):
            return "push-to-releases"
        if r.service == "bouncer" and r.kind == "alias" and r.name in ALIAS_PATTERNS:
            return "bouncer-alias"
        if r.service == "balrog" and r.kind == "rule" and r.name.startswith("id "):
            own = self.release is not None and _rule_id(r.name) in self.own_rule_ids
            return None if own else "balrog-rule-id"
        if r.service == "shipit" and r.kind == "release":
            return "shipit-release"
        if r.service == "vcs" and r.kind == "bump":
            return "vcs-bump"
        if r.service == "apt" and r.kind == "package":
            return "apt-package"
        if r.service == "yum" and r.kind == "package":
            return "yum-package"
        if r.service == "amo" and r.kind == "langpack":
            return "amo-langpack"
        return None

    def _carries_namespace(self, r):
        service, kind, name = r.service, r.kind, r.name
        if service == "archive":
            return bool(self.archive_root) and name.startswith(self.archive_root)
        if service == "balrog":
            if kind == "blob":
                return any(naming.carries_namespace(name, b) for b in self.blob_names)
            if kind == "channel":
                return naming.carries_namespace(name, self.namespace)
            if kind == "rule":
                return naming.carries_namespace(name, self.namespace) or _rule_id(name) in self.own_rule_ids
        if service == "bouncer":
            if kind == "product":
                return self._namespaced_product(name)
            if kind == "location":
                return self._namespaced_product(location_product(r))
            if kind == "alias":
                return self._namespaced_alias(name)
        if service == "vcs" and kind == "tag":
            return name.endswith(self.tag_suffix)
        if service == "maven":
            return name.startswith(self.maven_roots)
        return False


def version_shared_writes(release):
    """``[(key, remedy)]``: what every plan of ``release``'s product and version writes,
    shared by nature, on its instances, known without its graph.

    push-to-releases's prefix (``pub/<product>/releases/<version>/``) on a shared
    archive bucket and the Ship-it release (``<Product>-<version>-build<N>``) on a shared
    Ship-it; nothing on dedicated ones. The live check of a push, which has no graph,
    compares releases in flight by them.
    """
    services, found = release.services, []
    if not services.is_dedicated("archive"):
        key = ("archive", services.archive_bucket, "prefix", naming.production_releases_dir(release.product, release.version))
        found.append((key, SHARED_REMEDIES["push-to-releases"]))
    if not services.is_dedicated("shipit"):
        found.append((("shipit", services.shipit, "release", naming.shipit_release_name(release)), SHARED_REMEDIES["shipit-release"]))
    return found


def _rule_id(name):
    try:
        return int(name[3:]) if name.startswith("id ") else None
    except ValueError:
        return None


@functools.lru_cache(maxsize=64)
def classifier(release):
    """A (cached) :class:`Classifier` of a release (releases are frozen, hashable)."""
    return Classifier(release)


def classify(resource, release=None):
    """The :class:`Classification` of ``resource`` written by ``release``."""
    return classifier(release).classify(resource)


def classification_table(resources, release=None):
    """``[{service, kind, category, reason, count, names, tasks}]`` of a graph's resources, sorted:
    ``count`` writes (a task writing a name), of ``names`` distinct names, by ``tasks`` distinct tasks."""
    rows = {}
    for r in resources:
        c = classify(r, release)
        rows.setdefault((r.service, r.kind, c.category, c.reason), []).append(r)
    order = {c: i for i, c in enumerate(CLASSES)}
    return [
        {"service": s, "kind": k, "category": cat, "reason": reason, "count": len(found),
         "names": len({(r.instance, r.name) for r in found}), "tasks": len({r.label for r in found})}
        for (s, k, cat, reason), found in sorted(rows.items(), key=lambda item: (item[0][0], item[0][1], order[item[0][2]], item[0][3]))
    ]


def namespace_forms(release):
    """Every form in which :mod:`naming` writes ``release``'s namespace into a name."""
    return (
        naming.archive_root(release),
        naming.blob_suffix(release),
        naming.balrog_channel(release, ""),
        naming.vcs_tag(release, ""),
        naming.index_namespace(release) + ".",
    )


def renamespace_json(text, release, namespace):
    """A graph's JSON text as the same plan for ``namespace`` would write it.

    Replaces the namespace forms :mod:`naming` writes (:func:`namespace_forms`), then the
    bare namespace left in descriptions and ``extra`` (never an address's local part,
    ``alice@...``, which is the owner). The benchmark and the tests derive many
    namespaces' graphs from one generated plan this way; a test checks it gives exactly
    the graph a plan for the other namespace generates.
    """
    import re

    from taskgraph_staging.model.release import Namespace

    target = dataclasses.replace(release, namespace=Namespace.parse(namespace))
    pairs = sorted(zip(namespace_forms(release), namespace_forms(target)), key=lambda p: -len(p[0]))
    for old, new in pairs:
        if old:
            text = text.replace(old, new)
    bare = re.compile(rf"(?<![A-Za-z0-9_.-]){re.escape(str(release.namespace))}(?![A-Za-z0-9@-])")
    return bare.sub(namespace, text)
