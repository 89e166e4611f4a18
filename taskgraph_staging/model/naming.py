"""Every namespaced name a staging release writes.

Transforms, the production guard, the inventory, the isolation audit and the docs all
ask this module; nothing else builds a namespaced name. Every function is pure and
injective in (namespace, product, version, build number): namespaces never contain a
reserved segment (see :data:`taskgraph_staging.model.release.RESERVED_SEGMENTS`), so the
namespace part of every name below can be recovered from the name.
"""

import re
from typing import Optional

from .release import StagingRelease, is_reserved_segment

ARCHIVE_STAGING_DIR = "staging"
TAG_MARKER = "STAGING"


def ends_namespace(rest: str) -> bool:
    """Whether ``rest``, what follows a namespace inside a name this module wrote, cannot
    be more of a namespace: nothing, or ``-`` then a segment no namespace holds (a
    reserved word or ``esr<NN>``, or one with capitals, as Bouncer's ``-SSL`` and the
    locale suffixes of blobs). So ``alice-beta`` is namespace ``alice``'s and
    ``alice-b-beta`` is not, although both start with ``alice-``.
    """
    if not rest:
        return True
    if not rest.startswith("-"):
        return False
    segment = rest[1:].split("-", 1)[0]
    return bool(segment) and (is_reserved_segment(segment) or segment != segment.lower())


def carries_namespace(name: str, namespaced: str) -> bool:
    """Whether ``name`` is ``namespaced`` (a name ending in a namespace) or extends it
    with a production suffix, rather than with more namespace."""
    return name.startswith(namespaced) and ends_namespace(name[len(namespaced):])


def archive_root(rel: StagingRelease) -> str:
    """Key prefix of this release in its archive bucket ('' on a dedicated archive).

    On a dedicated archive instance the release owns the bucket and uses production's
    layout, so push-to-releases (which computes its own paths) finds its candidates.
    """
    if rel.services.is_dedicated("archive"):
        return ""
    return f"{ARCHIVE_STAGING_DIR}/{rel.namespace}/"


def candidates_dir(rel: StagingRelease) -> str:
    """Bucket key prefix of this build's candidates directory."""
    return archive_root(rel) + production_candidates_dir(rel.product, rel.version, rel.build_number)


def releases_dir(rel: StagingRelease) -> str:
    """Bucket key prefix push-to-releases writes for this release."""
    return archive_root(rel) + production_releases_dir(rel.product, rel.version)


def production_candidates_dir(product, version, build_number) -> str:
    """Where production (and push-to-releases on any bucket) keeps a build's candidates."""
    return f"pub/{product}/candidates/{version}-candidates/build{build_number}/"


def production_releases_dir(product, version) -> str:
    return f"pub/{product}/releases/{version}/"


def production_partner_releases_dir(product, version, partner) -> str:
    """Where push-to-releases copies a partner's repacks of a release: beetmoverscript's
    ``get_partner_releases_prefix``, ``pub/<product>/releases/partners/<partner>/<version>/``
    (the partner before the version, beside the release's own directory, not in it)."""
    return f"pub/{product}/releases/partners/{partner}/{version}/"


def production_partner_candidates_dir(product, version, build_number, partner, sub_config, partner_build_number) -> str:
    """Where a partner sub-config's repacks are uploaded (the real tree's partner beetmover path,
    ``partner-repacks/<partner>/<subpartner>/v<release_partner_build_number>/``)."""
    return f"{production_candidates_dir(product, version, build_number)}partner-repacks/{partner}/{sub_config}/v{partner_build_number}/"


def archive_url(rel: StagingRelease, key="") -> str:
    """Public URL of a key of this release's archive root."""
    return f"https://{rel.services.archive_domain}/{archive_root(rel)}{key}"


def archive_pub_prefix(rel: StagingRelease) -> str:
    """``--archive-prefix`` for update verify: the ``pub`` directory this release lives in."""
    return archive_url(rel, "pub")


def balrog_archive_domain(rel: StagingRelease) -> str:
    """``archive_domain`` for balrogscript: it puts the value in front of ``/pub/...`` as given."""
    root = archive_root(rel).rstrip("/")
    return f"{rel.services.archive_domain}/{root}" if root else rel.services.archive_domain


def balrog_channel(rel: StagingRelease, channel: str) -> str:
    """A Balrog channel of this namespace, e.g. ``alice-beta-localtest``."""
    return f"{rel.namespace}-{channel}"


def balrog_rule_alias(rel: StagingRelease, alias: str) -> str:
    """A Balrog rule alias of this namespace, e.g. ``alice-firefox-beta``."""
    return f"{rel.namespace}-{alias}"


def blob_suffix(rel: StagingRelease) -> str:
    """balrogscript's ``blob_suffix``: the release blob becomes ``<blob name><suffix>``."""
    return f"-{ARCHIVE_STAGING_DIR}-{rel.namespace}"


def production_release_name(display_product, version, build_number) -> str:
    """Production's name of a build, e.g. ``Firefox-121.0b3-build1``: balrogscript's
    release blob (before any ``blob_suffix``) and Ship-it's release."""
    return f"{display_product}-{version}-build{build_number}"


def blob_name(rel: StagingRelease) -> str:
    """The release blob name balrogscript builds from the payload."""
    return f"{production_release_name(rel.display_product, rel.version, rel.build_number)}{blob_suffix(rel)}"


def vcs_tag(rel: StagingRelease, tag: str) -> str:
    """A repository tag of this namespace, e.g. ``FIREFOX_121_0b3_BUILD1_STAGING_ALICE``."""
    return f"{tag}_{TAG_MARKER}_{str(rel.namespace).upper().replace('-', '_')}"


def production_tag_names(product, version, build_number, kinds=("buildN", "release")):
    """The tags production pushes for a release (treescript's naming), e.g.
    ``FIREFOX_121_0b3_BUILD1`` and ``FIREFOX_121_0b3_RELEASE``."""
    base = f"{product.upper()}_{version.replace('.', '_')}"
    tags = []
    if "buildN" in kinds:
        tags.append(f"{base}_BUILD{build_number}")
    if "release" in kinds:
        tags.append(f"{base}_RELEASE")
    return tags


def production_vcs_tags(rel: StagingRelease, kinds=("buildN", "release")):
    """The tags production would push for this release."""
    return production_tag_names(rel.product, rel.version, rel.build_number, kinds)


def shipit_release_name(rel: StagingRelease) -> str:
    """The name Ship-it gives this release, ``<Product>-<version>-build<N>``.

    Ship-it names a release itself from the fields of ``POST /releases`` (its product
    capitalised, version, build number): no namespace can be part of it. On a shared
    Ship-it every namespace releasing this version and build has this one release
    (shared by nature, see :mod:`taskgraph_staging.analysis.isolation`); a dedicated
    Ship-it (a library slot) isolates it."""
    return production_release_name(rel.product.capitalize(), rel.version, rel.build_number)


def notification_subject(rel: StagingRelease, phase: str) -> str:
    return (
        f"[staging {rel.namespace}] {rel.display_product} {rel.version} build{rel.build_number} "
        f"({rel.behavior}) {phase} phase"
    )


#: The shared staging Lando repositories (gecko's own Try form of tagging and
#: version bumps: lando-repo by-project try, by-release-type), by the Balrog channel
#: family of the behaviour; an ESR's is its major's (``staging-firefox-esr115``).
STAGING_LANDO_REPOS = {"beta": "staging-firefox-beta", "release": "staging-firefox-release"}


def staging_lando_repo(rel: StagingRelease) -> str:
    """``lando_repo`` of a staging release's tagging and version bump, as the real tree's
    Try form names it. One repository for every namespace releasing on that train (shared
    by nature, see :mod:`taskgraph_staging.analysis.isolation`); the tags on it are
    namespaced (:func:`vcs_tag`)."""
    if rel.behavior.channel == "esr":
        return f"staging-firefox-{rel.release_type}"
    return STAGING_LANDO_REPOS[rel.behavior.channel]


def balrog_release_rule_alias(rel: StagingRelease, channel: Optional[str] = None) -> str:
    """Alias of the rule a staging release's Balrog schedule publishes, e.g. ``alice-firefox-beta``
    or, for a Firefox ESR, ``alice-esr115``.

    It is the namespaced form of :func:`production_release_rule_alias` (``channel`` as
    there); the services' ``rule_ids`` map it to the rule's numeric id on the instance.
    """
    return balrog_rule_alias(rel, production_release_rule_alias(rel, channel))


# --- Bouncer (appended for the bouncer, bouncer-check and final-verify rewrites) ---

#: Where a Bouncer location path is rooted: the mirror of a Bouncer instance serves
#: ``https://<archive domain>/pub`` + path, as production's mirrors do.
BOUNCER_MIRROR_DIR = "pub"


def bouncer_mirror_base(rel: StagingRelease) -> str:
    """The URL a Bouncer location path of this release's services is appended to."""
    return f"https://{rel.services.archive_domain}/{BOUNCER_MIRROR_DIR}"


def bouncer_product(rel: StagingRelease, production_product: str) -> str:
    """This release's name for a Bouncer product, e.g. ``Firefox-121.0b3-staging-alice-SSL``.

    Products are global names on a Bouncer instance: on a shared one the namespace goes
    right after the version part (``<Product>-<version>[build<N>]``), so the name keeps
    the shape bouncerscript classifies (``Firefox-...``, RC ones ``...build<N>-...``) and
    the suffix the aliases match. On a dedicated instance production's name is used.
    Returns None when the name does not start with this release's product and version.
    """
    if rel.services.is_dedicated("bouncer"):
        return production_product
    head = f"{rel.display_product}-{rel.version}"
    if not production_product.startswith(head):
        return None
    rest = production_product[len(head):]
    build = f"build{rel.build_number}"
    if rest.startswith(build):
        head, rest = head + build, rest[len(build):]
    if rest and not rest.startswith("-"):
        return None
    return f"{head}-{ARCHIVE_STAGING_DIR}-{rel.namespace}{rest}"


#: The head of balrogscript's complete MAR Bouncer product pattern: ``% (product, version)``.
BALROG_PRODUCT_HEAD = "%s-%s"


def complete_mar_bouncer_product_pattern(rel: StagingRelease, production_pattern: str) -> str:
    """The ``complete_mar_bouncer_product_pattern`` balrogscript fills with ``(product, version)``
    to name this release's complete MAR Bouncer product, e.g. ``%s-%s-staging-alice-complete``.

    The namespace goes where :func:`bouncer_product` puts it (after the version), so the
    name balrogscript builds is the product this release's Bouncer submission creates
    (Bouncer compares product names without case, as production's lower-case
    ``firefox-121.0b3-complete`` finds ``Firefox-121.0b3-Complete``). Kept on a dedicated
    Bouncer. Returns None when the pattern does not start with ``%s-%s``.
    """
    if rel.services.is_dedicated("bouncer"):
        return production_pattern
    if not production_pattern.startswith(BALROG_PRODUCT_HEAD):
        return None
    rest = production_pattern[len(BALROG_PRODUCT_HEAD):]
    return f"{BALROG_PRODUCT_HEAD}-{ARCHIVE_STAGING_DIR}-{rel.namespace}{rest}"


def balrog_partial_bouncer_product(product: str, version: str, previous_version: str) -> str:
    """The partial MAR Bouncer product balrogscript names in a blob's fileUrls.

    balrogscript derives it itself (``<product>-<version>-partial-<previous>``, no
    pattern in the payload), so no namespace can be put in it: on a shared Bouncer every
    namespace's blob names the same product.
    """
    return f"{product.lower()}-{version}-partial-{previous_version}"


#: A partner's location under the releases directory (bouncer_submission_partners'
#: ``/<product>/releases/partners/<partner>/<sub_config>/<version>/<platform>/:lang/<file>``).
_PARTNER_RELEASES_RE = re.compile(
    r"^/(?P<product>[^/]+)/releases/partners/(?P<partner>[^/.][^/]*)/(?P<sub_config>[^/.][^/]*)/(?P<version>[^/]+)/(?P<rest>.+)$")


def bouncer_location_path(rel: StagingRelease, production_path: str, partner_build_number: int = 1) -> str:
    """This release's Bouncer location path for a production one.

    On a dedicated archive the release uses production's layout: the path is kept, and
    the slot's Bouncer, whose mirror is the slot's archive (:func:`bouncer_mirror_base`),
    redirects to the file. On the shared archive the files live under
    :func:`archive_root`, outside the mirror's ``pub`` directory, and push-to-releases
    cannot be isolated there, so a ``/<product>/releases/<version>/...`` path is pointed
    at the same file in this release's candidates directory. The path keeps production's
    leading ``/<product>/releases/`` (or ``/candidates/``), which bouncerscript requires,
    and climbs out of ``pub`` with dot segments. go-bouncer redirects to its mirror base
    + the path verbatim: only a client that removes dot segments (RFC 3986, 5.2.4) when
    it follows the redirect reaches the file; many do not (python-requests,
    ``urllib.request``, ``curl --path-as-is``), so such a location is not isolated
    (:func:`relies_on_dot_segments`; the audit and the plan say a dedicated Bouncer is
    needed). A partner's location (``/<product>/releases/partners/<partner>/<sub_config>/<version>/...``,
    where push-to-releases copies the partner uploads) is pointed at the same file in its
    upload directory, ``partner-repacks/<partner>/<sub_config>/v<partner_build_number>/``
    of the candidates (:func:`production_partner_candidates_dir`). Returns None when the
    path is not under ``/<product>/releases/<version>/``, a partner's releases directory
    of this version, or this release's candidates.
    """
    if rel.services.is_dedicated("archive"):
        return production_path
    # Production's archive keys, as Bouncer paths under the mirror's pub directory.
    releases = production_releases_dir(rel.product, rel.version)[len(BOUNCER_MIRROR_DIR):]
    candidates = production_candidates_dir(rel.product, rel.version, rel.build_number)[len(BOUNCER_MIRROR_DIR):]
    partner = _PARTNER_RELEASES_RE.match(production_path)
    if partner and partner["product"] == rel.product and partner["version"] == rel.version:
        kept = f"/{rel.product}/releases/"
        climb = "../" * (kept.count("/") - 1 + BOUNCER_MIRROR_DIR.count("/") + 1)
        uploads = production_partner_candidates_dir(rel.product, rel.version, rel.build_number, partner["partner"],
                                                    partner["sub_config"], partner_build_number)
        return f"{kept}{climb}{archive_root(rel)}{uploads}{partner['rest']}"
    if production_path.startswith(releases):
        kept, rest = f"/{rel.product}/releases/", production_path[len(releases):]
    elif production_path.startswith(candidates):
        kept, rest = f"/{rel.product}/candidates/", production_path[len(candidates):]
    else:
        return None
    climb = "../" * (kept.count("/") - 1 + BOUNCER_MIRROR_DIR.count("/") + 1)
    return f"{kept}{climb}{candidates_dir(rel)}{rest}"


def relies_on_dot_segments(location_path: str) -> bool:
    """Whether a Bouncer location reaches its file only through a client that removes dot segments."""
    return any(segment in ("..", ".") for segment in location_path.split("/"))


def bouncer_alias_family(rel: StagingRelease) -> str:
    """The family of Bouncer aliases this release's behaviour updates: ``beta``, ``release``
    (also for an RC) or ``esr``, as production's aliases ``firefox-beta-latest``,
    ``firefox-latest`` and ``firefox-esr-latest`` are, and bouncerscript's partner aliases."""
    return rel.behavior.channel


def bouncer_alias(rel: StagingRelease, staging_product: str, alias_family: str, stub: bool) -> str:
    """A namespaced Bouncer alias of the shared instance for a staging product.

    bouncerscript accepts, besides its fixed production aliases, partner aliases
    ``partner-firefox-<beta|release|esr>-<name>-latest`` (or ``-stub``) whose ``<name>``
    equals what follows the version in the product name. The product names of
    :func:`bouncer_product` carry the namespace there, so this alias is this
    namespace's own and cannot overwrite another release's aliases.
    """
    head = f"{rel.display_product}-{rel.version}-"
    name = staging_product[len(head):]
    if stub:
        return f"partner-{rel.product}-{alias_family}-{name[: -len('-stub')]}-stub"
    return f"partner-{rel.product}-{alias_family}-{name}-latest"


#: The suffix of an ESR's "next" channels (``esr-next``, ``esr-localtest-next``,
#: ``esr-cdntest-next``): the previous ESR's users updating to this one.
NEXT_CHANNEL_SUFFIX = "-next"


def update_verify_channel(rel: StagingRelease, channel: str) -> str:
    """The namespace's ``-localtest`` Balrog channel update verify reads, e.g. ``alice-beta-localtest``.

    A "next" channel keeps its suffix last, as production names it: ``esr-next`` and
    ``esr-localtest-next`` both give ``alice-esr-localtest-next``.
    """
    base, next_suffix = channel, ""
    if base.endswith(NEXT_CHANNEL_SUFFIX):
        base, next_suffix = base[: -len(NEXT_CHANNEL_SUFFIX)], NEXT_CHANNEL_SUFFIX
    if not base.endswith("-localtest"):
        base = f"{base}-localtest"
    return balrog_channel(rel, base + next_suffix)


def balrog_seed_release(rel: StagingRelease) -> str:
    """The empty Balrog release a library slot's seeded rules map to, e.g. ``Firefox-staging-alice-seed``.

    Balrog refuses a rule without an existing release to map to; a staging release's
    schedule later points the rule at its own blob (:func:`blob_name`).
    """
    return f"{rel.display_product}-{ARCHIVE_STAGING_DIR}-{rel.namespace}-seed"


def production_release_rule_alias(rel: StagingRelease, channel: Optional[str] = None) -> str:
    """Alias of production's rule on the shipping channel, the one the schedule publishes.

    ``<product>-beta`` and ``<product>-release``; an ESR's release rule is per major
    version, ``esr<major>`` for Firefox (beside its ``firefox-esr<major>-localtest`` and
    ``-cdntest`` rules that the top-level submission updates); another product's
    keeps the product in front (``<product>-esr<major>``) so no two products share it.
    ``channel`` is the behaviour's shipping channel unless given: an RC's secondary
    schedule publishes the beta rule (:attr:`Behavior.secondary_channels`).
    """
    channel = channel or rel.behavior.channel
    if channel != "esr":
        return f"{rel.product}-{channel}"
    return rel.release_type if rel.product == "firefox" else f"{rel.product}-{rel.release_type}"


# --- maven (beetmoverscript push-to-maven) ---


def maven_destination(rel: StagingRelease, product_path: str, destination: str) -> str:
    """This release's key for a production maven destination, e.g.
    ``maven2/org/mozilla/components/staging/alice/support-base/121.0b3/support-base-121.0b3.aar``.

    beetmoverscript requires every key to start with its product's fixed path
    (``product_path``, :data:`~taskgraph_staging.model.workers.MAVEN_PRODUCT_PATHS`) and to
    end in ``<version>/<file with the version>``, so the namespace goes right after the
    product path (a group ``<production group>.staging.<namespace>``). Returns None when
    ``destination`` is not under ``product_path``.
    """
    if not destination.startswith(product_path):
        return None
    return f"{product_path}{ARCHIVE_STAGING_DIR}/{rel.namespace}/{destination[len(product_path):]}"


# --- Taskcluster index (the in-flight entry ``audit --live`` and ``push`` read) ---

#: Index directory of staging releases, under ``<trust-domain>.v2.<project>``.
INDEX_DIR = "staging-release"


def index_namespace(rel: StagingRelease) -> str:
    """The namespaced part of a staging release's index path: ``staging-release.<ns>``."""
    return f"{INDEX_DIR}.{rel.namespace}"


def index_leaf(product: str, version: str, build_number: int) -> str:
    """An index path's last segment: ``<product>-<version, dots as _>-build<N>``."""
    return f"{product}-{version.replace('.', '_')}-build{build_number}"


def index_path(rel: StagingRelease, trust_domain: str, project: str = "try") -> str:
    """Where a staging release is indexed while in flight, e.g.
    ``gecko.v2.try.staging-release.alice.firefox-121_0b3-build1``."""
    return f"{trust_domain}.v2.{project}.{index_namespace(rel)}.{index_leaf(rel.product, rel.version, rel.build_number)}"


def index_route(rel: StagingRelease, trust_domain: str, project: str = "try") -> str:
    """The route a staging release's first build task carries to be indexed at
    :func:`index_path`."""
    return f"index.{index_path(rel, trust_domain, project)}"
