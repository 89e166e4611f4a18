"""Try form of beetmover tasks (beetmoverscript).

* Every ``beetmover:bucket:<production bucket>`` scope becomes ``beetmover:bucket:dep``.
* Uploads with an ``artifactMap`` (push-to-candidates, checksums, partner repacks):
  every destination is re-rooted under :func:`naming.archive_root`, so what
  candidates writes is exactly where checksums, Balrog's fileUrls (through
  :func:`naming.balrog_archive_domain`) and update verify (through
  :func:`naming.archive_pub_prefix`) look for it. A push-to-candidates destination
  outside the release's candidates directory, or any key that could escape the
  archive root (``..``, a leading ``/``), is an inconsistent kind and fails generation.
* push-to-releases takes no paths: beetmoverscript copies
  ``pub/<product>/candidates/<version>-candidates/build<N>/`` to
  ``pub/<product>/releases/<version>/`` inside the bucket of its worker's
  configuration. Both prefixes come from its fixed ``PRODUCT_TO_PATH`` table
  (``pub/firefox/``) and the payload's ``version`` and ``build_number``; object keys
  are literal (no ``..``), so nothing in the payload can point it under
  ``staging/<namespace>/``: only the version string could make the prefix differ per
  namespace, and the release's candidates are not there. On the shared staging
  archive the namespace cannot reach it, so
  the task stays valid and says, in its description and ``extra.staging``, what it
  would copy and that it is not isolated. With a dedicated archive (and its
  beetmover pool) the release uses production's layout there and the task runs for
  real, isolated.
* import-from-gcs-to-artifact-registry (``beetmover-apt``, ``beetmover-rpm``): every
  ``beetmover:apt-repo:<word>`` and ``beetmover:yum-repo:<word>`` scope becomes
  ``...:dep``. Its ``gcs_sources`` are its upstream uploads' destinations, read from
  their (already re-rooted) ``artifactMap``: each must lie in this release's candidates
  directory, so the worker imports this release's ``.deb`` or ``.rpm`` packages from its
  bucket. The repository is the one its worker's configuration names for the product
  (:data:`~taskgraph_staging.model.workers.ARTIFACT_REGISTRIES`): on the dev pool one
  apt and one yum repository for every staging release, which no namespace can change,
  so the task says so.
* push-to-maven (``beetmover-components``): the maven bucket scopes take the dev pool's
  words (``maven-production`` -> ``maven-staging``, ``maven-nightly-production`` ->
  ``maven-nightly-staging``; the dev pool has no ``dep`` maven bucket). beetmoverscript
  refuses a destination outside its product's fixed path
  (:data:`~taskgraph_staging.model.workers.MAVEN_PRODUCT_PATHS`) or whose last folder is
  not the payload's version, so every destination gets the namespace right after that
  path (:func:`naming.maven_destination`). The keys are this release's own; the bucket is
  the one every staging release writes, and the files' own metadata (the ``.pom``
  gradle built) still names production's group, so the task says so.
* A library slot's beetmover pool (``services.pools.beetmover``) replaces the pool.
"""

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.workers import ARTIFACT_REGISTRIES, MAVEN_BUCKETS, MAVEN_PRODUCT_PATHS, is_maven_bucket, maven_staging_bucket
from .explain import explains
from .registry import rewriter
from .staging import apply_pool_override, explain, record, retarget_scopes, scopes_under, task_release

DEP_BUCKET = "dep"
PUSH_TO_CANDIDATES = "push-to-candidates"
PUSH_TO_RELEASES = "push-to-releases"
IMPORT_TO_ARTIFACT_REGISTRY = "import-from-gcs-to-artifact-registry"
PUSH_TO_MAVEN = "push-to-maven"


#: Path segments that could make a bucket key escape the release's archive root.
_ESCAPING = frozenset(("", ".", ".."))


def reroot(rel, destination, label, root=None):
    """``destination`` under the release's archive root (``root``, when the caller has
    it already), refusing keys that could escape it."""
    segments = destination.split("/") if isinstance(destination, str) else [""]
    if not segments[0] or not _ESCAPING.isdisjoint(segments[:-1]) or segments[-1] in (".", ".."):
        raise ConfigError(
            f"artifactMap destination {destination!r} is not a plain relative bucket key; "
            "make the kind write keys like pub/<product>/candidates/...",
            where=f"task {label}",
        )
    return f"{naming.archive_root(rel) if root is None else root}{destination}"


def check_candidates_destination(rel, destination, label):
    """A push-to-candidates destination must land where this release's consumers look."""
    expected = naming.candidates_dir(rel)
    if not destination.startswith(expected):
        raise ConfigError(
            f"push-to-candidates destination {destination!r} is outside this release's candidates "
            f"directory {expected!r}, so the tasks that read it (checksums, Balrog, update verify, "
            "push-to-releases) would not find it; build the kind's destinations from the release "
            "parameters (version, build_number) and the task's shipping product",
            where=f"task {label}",
        )


def reroot_artifact_map(ctx, task, actions):
    rel = task_release(ctx, task)
    label = task["label"]
    root = naming.archive_root(rel)
    for entry in task["task"]["payload"]["artifactMap"]:
        for path_info in entry.get("paths", {}).values():
            rerooted = [reroot(rel, d, label, root) for d in path_info["destinations"]]
            if PUSH_TO_CANDIDATES in actions:
                for destination in rerooted:
                    check_candidates_destination(rel, destination, label)
            path_info["destinations"] = rerooted


def describe_push_to_releases(ctx, task):
    rel = task_release(ctx, task)
    services = ctx.release.services
    copies_from = naming.production_candidates_dir(rel.product, rel.version, rel.build_number)
    copies_to = naming.production_releases_dir(rel.product, rel.version)
    isolated = services.is_dedicated("archive")
    facts = {
        "bucket": services.archive_bucket,
        "copies_from": copies_from,
        "copies_to": copies_to,
        "release_candidates": naming.candidates_dir(rel),
        "isolated": isolated,
    }
    if isolated:
        facts["reason"] = "the archive is dedicated to this release, which uses production's layout on it"
        explain(
            task,
            f"push-to-releases runs for real on this release's dedicated archive {services.archive_bucket}: "
            f"it copies {copies_from} to {copies_to} there.",
        )
    else:
        facts["reason"] = (
            "beetmoverscript computes both paths itself inside its worker's bucket; "
            "the namespace cannot reach them on a shared archive"
        )
        explain(
            task,
            f"push-to-releases is NOT isolated on the shared staging archive. beetmoverscript ignores this "
            f"release's namespaced candidates ({naming.candidates_dir(rel)}): it would copy {copies_from} to "
            f"{copies_to} in the worker's bucket ({services.archive_bucket}), keys every staging release of "
            f"{rel.product} {rel.version} shares. Reserve a dedicated archive (staging.services.dedicated: "
            "[archive] with a beetmover pool) to run it isolated.",
        )
    record(task, PUSH_TO_RELEASES, facts)


def check_gcs_sources(ctx, task):
    """The bucket keys an Artifact Registry import reads must be where this release's
    uploads wrote them (the upstream uploads' re-rooted destinations)."""
    rel = task_release(ctx, task)
    for source in task["task"]["payload"]["gcs_sources"]:
        check_candidates_destination(rel, source, task["label"])


def describe_import(ctx, task, registry):
    rel = task_release(ctx, task)
    product = task["task"]["payload"]["product"]
    repository = registry.repository(DEP_BUCKET, product)
    sources = task["task"]["payload"]["gcs_sources"]
    record(task, IMPORT_TO_ARTIFACT_REGISTRY, {
        "repository": repository,
        "sources": len(sources),
        "isolated": False,
        "reason": f"beetmoverscript imports into the {registry.service} repository its worker's configuration names for "
        f"the product; the packages' names and versions come from the {registry.package} files",
    })
    explain(
        task,
        f"the {registry.service} import is NOT isolated: beetmoverscript imports this release's {len(sources)} "
        f"{registry.package} packages (under {naming.candidates_dir(rel)} in the worker's bucket) into the "
        f"{registry.service} repository its configuration names for {product} ({repository}), one repository every "
        f"staging release imports into, and the packages' names and versions come from the {registry.package} files, "
        "not from the namespace.",
    )


def retarget_maven_buckets(ctx, task_def):
    """Every maven bucket scope at the dev pool's maven bucket of the same kind."""
    for word in scopes_under(task_def, ctx.scope("beetmover:bucket:")):
        if is_maven_bucket(word):
            retarget_scopes(ctx, task_def, "beetmover:bucket:", maven_staging_bucket(word), only=lambda v, w=word: v == w)


def namespace_maven_destinations(ctx, task):
    """Every push-to-maven destination with this release's namespace after the product path."""
    rel = task_release(ctx, task)
    payload = task["task"]["payload"]
    app = payload.get("releaseProperties", {}).get("appName", "")
    product_path = MAVEN_PRODUCT_PATHS.get(app.lower())
    if product_path is None:
        raise ConfigError(
            f"push-to-maven releaseProperties.appName {app!r} is not one of beetmoverscript's maven products "
            f"({', '.join(sorted(MAVEN_PRODUCT_PATHS))}); set the kind's beetmover-application-name",
            where=f"task {task['label']}",
        )
    keys = []
    for entry in payload["artifactMap"]:
        for path_info in entry.get("paths", {}).values():
            namespaced = [naming.maven_destination(rel, product_path, d) for d in path_info["destinations"]]
            if None in namespaced:
                raise ConfigError(
                    f"push-to-maven destination outside {product_path!r}, which beetmoverscript refuses for {app}; "
                    "build the kind's maven-destination under that path",
                    where=f"task {task['label']}",
                )
            path_info["destinations"] = namespaced
            keys.extend(namespaced)
    return product_path, keys


def describe_maven(ctx, task, product_path, keys):
    rel = task_release(ctx, task)
    words = [w for w in scopes_under(task["task"], ctx.scope("beetmover:bucket:")) if is_maven_bucket(w)]
    bucket = MAVEN_BUCKETS.get(words[0], words[0]) if words else "(no maven bucket scope)"
    prefix = naming.maven_destination(rel, product_path, product_path)
    record(task, PUSH_TO_MAVEN, {
        "bucket": bucket,
        "prefix": prefix,
        "files": len(keys),
        "isolated": False,
        "reason": "the dev pool's maven bucket is one for every staging release; the .pom files gradle built "
        "name production's group, so only the keys carry the namespace",
    })
    explain(
        task,
        f"push-to-maven writes {len(keys)} files under {prefix} in the dev pool's maven bucket ({bucket}): keys of this "
        f"release's own, on the one staging maven bucket every release writes. beetmoverscript fixes the product path "
        f"({product_path}) and the version folder, so the namespace is a group under it; the .pom files "
        "gradle built still name production's group, so a build resolving this release's artifacts from staging maven "
        "reads coordinates that differ from the path it asked for.",
    )


explains(
    "beetmover",
    task_types="beetmover-repackage, beetmover-checksums, release-generate-checksums-beetmover, "
    "release-beetmover-push-to-release, release-partner-repack-beetmover, release-partner-attribution-beetmover, "
    "release-eme-free-repack-beetmover, release-eme-free-repack-beetmover-checksums, beetmover-apt, "
    "beetmover-repackage-rpm, beetmover-rpm, beetmover-android-app, beetmover-components",
    production="beetmoverscript uploads to the release bucket's candidates directory; push-to-releases copies candidates "
    "to releases; beetmover-apt (import-from-gcs-to-artifact-registry, beetmover:apt-repo:release) imports the .deb "
    "packages the uploads wrote (linux64 and linux64-aarch64, and linux64's langpack .debs) into production's apt repository; "
    "beetmover-repackage-rpm uploads each Linux platform's signed .rpm packages (linux64's with its langpack .rpms) to "
    "<platform>/rpm/ in candidates and beetmover-rpm (beetmover:yum-repo:release) imports them into production's yum "
    "repository; beetmover-components (push-to-maven, beetmover:bucket:maven-production) publishes each android-component's "
    ".aar, .pom, -sources.jar, their checksums and signatures to maven2/org/mozilla/components/<component>/<version>/",
    try_form="beetmover:bucket:dep; every artifactMap destination under staging/<namespace>/; push-to-releases keeps "
    "its payload and says what it would copy; beetmover-apt and beetmover-rpm ask for beetmover:apt-repo:dep and "
    "beetmover:yum-repo:dep; their gcs_sources are the uploads' destinations under staging/<namespace>/",
    verifies="the artifactMap is complete and every file lands in this release's candidates directory, where checksums, "
    "Balrog, update verify, Bouncer and the apt and yum imports look for it; the dev pool accepts the apt import of this "
    "release's .deb packages and the yum import of its .rpm packages; beetmoverscript's maven checks (product path, "
    "version folder and file names) accept every component's files and their signatures",
    cannot="push-to-releases on a shared bucket: the worker computes both paths itself (pub/<product>/candidates/"
    "<version>-candidates/build<N>/ from its fixed product table and the payload's version and build number; keys are "
    "literal, so no payload value reaches staging/<namespace>/) and takes the bucket from its own configuration, so only "
    "a dedicated archive (a library slot) isolates it; the apt and yum imports on any pool: the worker's configuration "
    "fixes one apt and one yum repository per product (the dev pool's "
    f"{ARTIFACT_REGISTRIES['apt-repo'].repository(DEP_BUCKET, 'firefox')} and "
    f"{ARTIFACT_REGISTRIES['yum-repo'].repository(DEP_BUCKET, 'firefox')}), which every staging release imports into, "
    "and the .deb and .rpm files fix the packages' names and versions, so they are not isolated (no library slot holds "
    "an apt or a yum repository); off Try (the worker acceptance suite) Google Artifact Registry is not served, so the "
    "imports end there, accepted; push-to-maven's isolation: beetmoverscript fixes the product path "
    "and the version folder, so the namespace is a maven group under org.mozilla.components on the dev pool's one staging "
    "maven bucket, and the .pom files gradle built still name production's group (a build resolving them from "
    "staging maven sees coordinates that differ from the path); no library slot holds a maven bucket",
)


@rewriter("beetmover", summary="dep bucket (maven: maven-staging); candidates re-rooted and maven keys namespaced; push-to-releases and push-to-maven explain what they cannot isolate")
def rewrite_beetmover(ctx, task):
    task_def = task["task"]
    services = ctx.release.services
    if services.is_dedicated("archive") and not services.pool("beetmover"):
        raise ConfigError(
            "services.dedicated lists archive but services.pools has no beetmover pool; beetmover "
            "writes to the bucket its worker is configured with, so a dedicated archive needs its own "
            "beetmover pool (services.pools.beetmover: provisioner/worker-type)",
            where="parameter staging.services",
        )
    actions = set(scopes_under(task_def, ctx.scope("beetmover:action:")))
    retarget_scopes(ctx, task_def, "beetmover:bucket:", DEP_BUCKET, only=lambda word: not is_maven_bucket(word))
    retarget_maven_buckets(ctx, task_def)
    if PUSH_TO_MAVEN in actions:
        describe_maven(ctx, task, *namespace_maven_destinations(ctx, task))
    elif "artifactMap" in task_def.get("payload", {}):
        reroot_artifact_map(ctx, task, actions)
    if PUSH_TO_RELEASES in actions:
        describe_push_to_releases(ctx, task)
    if IMPORT_TO_ARTIFACT_REGISTRY in actions:
        resources = {rest.split(":", 1)[0] for rest in scopes_under(task_def, ctx.scope("beetmover:"))}
        for resource in sorted(resources & set(ARTIFACT_REGISTRIES)):
            retarget_scopes(ctx, task_def, f"beetmover:{resource}:", DEP_BUCKET)
            check_gcs_sources(ctx, task)
            describe_import(ctx, task, ARTIFACT_REGISTRIES[resource])
    apply_pool_override(ctx, task, "beetmover")
