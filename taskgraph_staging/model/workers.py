"""Fixed facts of the release workers that no namespace changes.

Read from mozilla-releng/scriptworker-scripts; the code is ours.

* The store workers (pushsnapscript, pushflatpakscript, pushmsixscript) treat the
  channel :data:`MOCK` as "check, do not upload".
* bouncerscript's validation rules, from ``bouncerscript/src/bouncerscript/constants.py``
  (``ALIASES_REGEXES``, ``PARTNER_ALIASES_REGEX``, ``PRODUCT_TO_DESTINATIONS_REGEXES``,
  ``PRODUCT_TO_PRODUCT_ENTRY``, ``BOUNCER_LOCATION_PLATFORMS``) and ``task.py``
  (``check_product_names_match_aliases``, ``check_path_matches_destination``).
* Where bouncerscript checks the aliases it has just updated: ``GO_BOUNCER_URL_TMPL`` of
  ``constants.py`` fixes one redirector per server scope, whatever Bouncer admin its
  pool's config names.
* The Artifact Registry repositories beetmoverscript imports Linux packages into: its
  ``docker.d/worker.yml`` fixes one per product and resource (``product_apt_repos`` for
  the ``.deb`` packages, ``product_yum_repos`` for the ``.rpm`` ones).
* The release workers whose code is not in shared/upstream (:data:`WORKERS_NOT_HERE`).
"""

import re
from dataclasses import dataclass

#: The store workers' channel that never reaches the store.
MOCK = "mock"

#: The redirector bouncerscript asks after updating aliases on ``bouncer:server:staging``
#: (``GO_BOUNCER_URL_TMPL``, then ``check_aliases_match``): the shared staging one, even
#: on a pool wired to a library slot's Bouncer. An alias it finds there as 404 is skipped.
BOUNCER_ALIAS_CHECK_REDIRECTOR = "https://dev.bouncer.nonprod.webservices.mozgcp.net"

# --- bouncerscript's validation rules -----------------------------------------

#: Product kind of a product name: the first pattern that matches wins (an RC
#: product also matches the plain firefox one).
PRODUCT_KINDS = (
    ("firefox-rc", r"^Firefox-.*build[0-9]+-.*$"),
    ("firefox", r"^Firefox-.*$"),
    ("devedition", r"^Devedition-.*$"),
    ("thunderbird", r"^Thunderbird-.*$"),
)
_PLATFORMS = r"linux-i686|linux-x86_64|linux-aarch64|mac|win32|win64(?:|-aarch64)"
_PLATFORMS_NO_ARM_LINUX = r"linux-i686|linux-x86_64|mac|win32|win64(?:|-aarch64)"
#: Location paths each product kind may point at (matched against the whole path).
LOCATION_PATTERNS = {
    "firefox-rc": rf"/firefox/candidates/.*?/build[0-9]+/(update/)?(?:{_PLATFORMS})/:lang/(?:firefox|Firefox).*\.(?:bz2|xz|dmg|exe|mar)",
    "firefox": (
        rf"/firefox/releases/.*?/(update/)?(?:{_PLATFORMS})/"
        r"(?:(?::lang|multi)/(?:firefox|Firefox).*\.(?:bz2|xz|dmg|exe|mar|msi|msix|pkg)|xpi/:lang.xpi)"
    ),
    "devedition": rf"/devedition/releases/.*?/(update/)?(?:{_PLATFORMS})/(?::lang|multi)/(?:firefox|Firefox).*\.(?:bz2|xz|dmg|exe|mar|msi|msix)",
    "thunderbird": (
        rf"/thunderbird/releases/.*?/(update/)?(?:{_PLATFORMS_NO_ARM_LINUX})/(?::lang|multi)/"
        r"(?:thunderbird|Thunderbird).*\.(?:bz2|xz|dmg|exe|mar|msi|msix)"
    ),
}
#: Bouncer platforms (``os``) a location may have.
LOCATION_PLATFORMS = frozenset(
    ["linux", "linux64", "osx", "win", "win64", "android-x86", "android", "win64-aarch64", "linux64-aarch64"]
)

_BETA = r"\d+\.0b\d+"
_RELEASE = r"\d+\.\d+(\.\d+)?"
_ESR = r"\d+\.\d+(\.\d+)?esr"


def _alias_family(prefix, product, version, formats):
    """Aliases ``<prefix>-latest``, ``-latest-ssl``, ``-<fmt>-latest-ssl``, ``-stub``."""
    suffixes = {"plain": ("latest", ""), "ssl": ("latest-ssl", "-SSL"), "stub": ("stub", "-stub")}
    table = {}
    for fmt in formats:
        alias_end, product_end = suffixes.get(fmt, (f"{fmt}-latest-ssl", f"-{fmt}-SSL"))
        table[f"{prefix}-{alias_end}"] = rf"^{product}-{version}{product_end}$"
    return table


_DESKTOP_FORMATS = ("plain", "ssl", "msi", "msix", "pkg", "langpack")
#: The fixed aliases bouncerscript knows, with the product pattern each may point at.
ALIAS_PATTERNS = {
    **_alias_family("thunderbird-beta", "Thunderbird", _BETA, ("plain", "ssl", "msi", "msix")),
    **_alias_family("thunderbird", "Thunderbird", _RELEASE, ("plain", "ssl", "msi", "msix")),
    **_alias_family("thunderbird-esr", "Thunderbird", _ESR, ("plain", "ssl", "msi", "msix")),
    **_alias_family("thunderbird-esr-next", "Thunderbird", _ESR, ("plain", "ssl", "msi", "msix")),
    **_alias_family("firefox-devedition", "Devedition", _BETA, ("stub", "plain", "ssl", "msi", "msix")),
    **_alias_family("firefox-beta", "Firefox", _BETA, ("stub",) + _DESKTOP_FORMATS),
    **_alias_family("firefox", "Firefox", _RELEASE, ("stub",) + _DESKTOP_FORMATS),
    **_alias_family("firefox-esr", "Firefox", _ESR, _DESKTOP_FORMATS),
    **_alias_family("firefox-esr-next", "Firefox", _ESR, _DESKTOP_FORMATS),
    **_alias_family("firefox-esr115", "Firefox", r"115\.\d+(\.\d+)?esr", _DESKTOP_FORMATS),
}
#: Partner aliases: (alias pattern, product pattern); both groups must be equal.
PARTNER_ALIAS_PATTERNS = (
    (r"^partner-firefox-beta-(.*)-latest$", r"^Firefox-\d+\.0b\d+-(.*)$"),
    (r"^partner-firefox-beta-(.*)-stub$", r"^Firefox-\d+\.0b\d+-(.*)-stub$"),
    (r"^partner-firefox-release-(.*)-latest$", r"^Firefox-\d+\.\d+(?:\.\d+)?-(.*)$"),
    (r"^partner-firefox-release-(.*)-stub$", r"^Firefox-\d+\.\d+(?:\.\d+)?-(.*)-stub$"),
    (r"^partner-firefox-esr-(.*)-latest$", r"^Firefox-\d+\.\d+(?:\.\d+)?esr-(.*)$"),
    (r"^partner-firefox-esr-(.*)-stub$", r"^Firefox-\d+\.\d+(?:\.\d+)?esr-(.*)-stub$"),
)


def product_kind(product):
    """bouncerscript's product kind of a product name, or None if it has none."""
    for kind, pattern in PRODUCT_KINDS:
        if re.match(pattern, product):
            return kind
    return None


def location_problem(product, platform, path):
    """Why bouncerscript would refuse ``path`` as ``platform`` location of ``product``, or None."""
    kind = product_kind(product)
    if kind is None:
        return f"product {product!r} matches none of bouncerscript's product patterns"
    if platform not in LOCATION_PLATFORMS:
        return f"platform {platform!r} of {product!r} is not a Bouncer platform ({', '.join(sorted(LOCATION_PLATFORMS))})"
    if not re.fullmatch(LOCATION_PATTERNS[kind], path):
        return f"path {path!r} of {product!r} ({kind}) does not match bouncerscript's pattern {LOCATION_PATTERNS[kind]}"
    return None


def alias_problem(alias, product):
    """Why bouncerscript would refuse pointing ``alias`` at ``product``, or None."""
    if alias in ALIAS_PATTERNS:
        if re.match(ALIAS_PATTERNS[alias], product):
            return None
        return f"alias {alias!r} may not point at {product!r} (pattern {ALIAS_PATTERNS[alias]})"
    partner = [(a, p) for a, p in PARTNER_ALIAS_PATTERNS if re.match(a, alias)]
    if not partner:
        return f"alias {alias!r} is neither one of bouncerscript's aliases nor a partner alias"
    for alias_pattern, product_pattern in partner:
        product_match = re.match(product_pattern, product)
        if product_match and re.match(alias_pattern, alias).groups()[0] == product_match.groups()[0]:
            return None
    return f"partner alias {alias!r} does not name the partner part of {product!r}"


def partner_alias_family(product):
    """The partner-alias family (beta, release, esr) whose product pattern fits ``product``."""
    for alias_pattern, product_pattern in PARTNER_ALIAS_PATTERNS:
        if alias_pattern.endswith("-latest$") and re.match(product_pattern, product):
            return alias_pattern.split("-")[2]
    return None


# --- signingscript's dev (level-1) pool ---------------------------------------

#: The word every macOS signing pool's name holds (``gecko-signing-mac14m2``,
#: ``dep-gecko-signing-mac14m2``, ``depsigning-mac-v1``): those pools run iscript, on
#: Apple hardware, not signingscript.
MAC_SIGNING_POOL_WORD = "signing-mac"


def runs_on_iscript(task_def):
    """Whether the task runs on a macOS signing pool (iscript)."""
    return MAC_SIGNING_POOL_WORD in (task_def.get("workerType") or task_def.get("taskQueueId") or "")


#: Formats the dev pool's ``dep-signing`` cert offers for firefox and thunderbird
#: (signingscript ``docker.d/passwords.yml``, ``ENV == "dev"``): the production
#: Autograph entries (``gcp_prod_*``, signing with the dep keys) and the Autograph
#: stage ones (``stage_*``) that a task may opt into.
DEP_SIGNING_FORMATS = frozenset(
    f"{prefix}autograph_{name}"
    for prefix in ("gcp_prod_", "stage_")
    for name in ("authenticode_202412", "authenticode_202412_stub", "hash_only_mar384", "gpg", "widevine", "omnija", "langpack", "focus", "apk", "apk_mozillaonline")
) | {"stage_autograph_rpmsign", "autograph_rpmsign"}

#: Formats no signingscript pool offers, and why (signingscript has no code for them).
NO_SIGNINGSCRIPT_FORMAT = {
    "mac_single_file": (
        "an iscript format (macOS signing on Apple hardware); signingscript has no code or configuration for it at any level. "
        "The real tree signs a macOS build with iscript too, at every level (gecko_taskgraph transforms/signing.py: "
        "mac-behavior mac_sign_and_pkg, formats macapp and gcp_prod_autograph_widevine, on mac-depsigning below level 3), "
        "and the dev signingscript pool has no macapp format either; iscript needs macOS (codesign, keychains) and is not "
        "in shared/upstream, so no worker here can run any Try form of it"
    ),
}


# --- beetmoverscript's Artifact Registry repositories -------------------------


@dataclass(frozen=True)
class ArtifactRegistry:
    """One kind of Artifact Registry repository ``import-from-gcs-to-artifact-registry``
    imports Linux packages into, as beetmoverscript tells them apart: by the resource of
    the task's ``beetmover:<resource>:<word>`` scope (``script.py``, ``gcloud.py``)."""

    #: The scope's resource (``apt-repo``, ``yum-repo``).
    resource: str
    #: What the inventory calls the repository's service (``apt``, ``yum``).
    service: str
    #: The package files it imports (``.deb``, ``.rpm``).
    package: str
    #: ``docker.d/worker.yml``'s key of the repositories per product (``product_apt_repos``).
    config_key: str
    #: The repository's name in that configuration (``mozilla``, ``mozilla-rpm``).
    name: str

    def repositories(self):
        """Repository (``projects/<project>/locations/<location>/repositories/<name>``) by
        the scope's word, then product: the dev pool knows only ``dep``, one repository per
        product that every namespace's task imports into; production's pool knows
        ``nightly`` and ``release``."""
        projects = {"dep": "moz-fx-productdelivery-no-7d6a", "nightly": "moz-fx-productdelivery-pr-38b5",
                    "release": "moz-fx-productdelivery-pr-38b5"}
        return {
            word: {product: f"projects/{project}/locations/us/repositories/{self.name}" for product in ("firefox", "devedition")}
            for word, project in projects.items()
        }

    def repository(self, word, product):
        """The repository a ``beetmover:<resource>:<word>`` task of ``product`` imports into,
        as beetmoverscript's configuration names it, or a phrase saying none is configured."""
        return self.repositories().get(word, {}).get(product, f"{self.resource} {word!r} of {product} (not configured on any pool)")


#: The Artifact Registry repositories by the resource of their beetmover scope.
ARTIFACT_REGISTRIES = {
    registry.resource: registry
    for registry in (
        ArtifactRegistry("apt-repo", "apt", ".deb", "product_apt_repos", "mozilla"),
        ArtifactRegistry("yum-repo", "yum", ".rpm", "product_yum_repos", "mozilla-rpm"),
    )
}
#: The Artifact Registry resource words of beetmover scopes (``beetmover:apt-repo:dep``).
ARTIFACT_REGISTRY_RESOURCES = tuple(ARTIFACT_REGISTRIES)


# --- beetmoverscript's maven uploads ----------------------------------------------

#: beetmoverscript's ``MAVEN_PRODUCT_TO_PATH`` (constants.py): every push-to-maven
#: destination of a product (``releaseProperties.appName``) must start with its path, and
#: its last folder must be the payload's ``version`` (``check_maven_artifact_map``).
MAVEN_PRODUCT_PATHS = {
    "components": "maven2/org/mozilla/components/",
    "nightly_components": "maven2/org/mozilla/components/",
    "geckoview": "maven2/org/mozilla/geckoview/",
}
#: The maven bucket word of the dev pool (``ENV == "dev"`` in docker.d/worker.yml) for each
#: production one: the dev pool knows ``maven-staging`` and ``maven-nightly-staging`` (no
#: ``dep`` maven bucket), both one bucket every staging release writes.
MAVEN_STAGING_BUCKETS = {
    "maven-production": "maven-staging",
    "maven-nightly-production": "maven-nightly-staging",
}
#: The S3 bucket each maven word names on its pool (geckoview and components share it).
MAVEN_BUCKETS = {
    "maven-staging": "maven-default-s3-upload-bucket-13gy5ufwa3qv",
    "maven-nightly-staging": "maven-nightly-stage-s3-upload-bucket",
    "maven-production": "maven-default-s3-upload-bucket-1705kkmo2aj3c",
    "maven-nightly-production": "maven-nightly-s3-upload-bucket-d4zm9oo354qe",
}


def maven_staging_bucket(word):
    """The dev pool's maven bucket word for a maven bucket scope's word (itself if staging already)."""
    return MAVEN_STAGING_BUCKETS.get(word, word)


def is_maven_bucket(word):
    return word in MAVEN_BUCKETS


# --- release workers whose code is not here -------------------------------------

#: Release workers that exist, whose code is not in shared/upstream: what each does.
#: Nothing here can run their tasks; their task family's explain row says so.
WORKERS_NOT_HERE = {
    "iscript": "macOS signing on Apple hardware",
    "addonscript": "langpack submission to addons.mozilla.org",
}
#: The AMO server each ``addons.mozilla.org:server:<server>`` scope makes addonscript
#: submit to (its configuration's ``amo_instances``, as addonscript's tests and pool
#: configuration name them: the staging server is addons.allizom.org, one for everybody).
AMO_SERVERS = {"production": "https://addons.mozilla.org", "staging": "https://addons.allizom.org"}
#: The scope family of addonscript's tasks (``<prefix>:addons.mozilla.org:server:<server>``).
ADDONS_SCOPE_FAMILY = "addons.mozilla.org"


def worker_not_here(task_def, scope_prefix):
    """The :data:`WORKERS_NOT_HERE` worker that runs ``task_def``, or None: iscript for a
    task on a macOS signing pool, addonscript for a task with an addons.mozilla.org scope."""
    if runs_on_iscript(task_def):
        return "iscript"
    head = f"{scope_prefix}:{ADDONS_SCOPE_FAMILY}:"
    if any(isinstance(s, str) and s.startswith(head) for s in task_def.get("scopes", [])):
        return "addonscript"
    return None
