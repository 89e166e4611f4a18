"""Try form of partner repacks and attribution (``release_enable_partner_repack``,
``release_enable_partner_attribution``).

Repack tasks clone the partner manifests named by ``REPACK_MANIFESTS_URL``; on Try
that is the staging partner configuration (the same repository under the
staging automation account, as production's are under mozilla-partners). Their
uploads are beetmover tasks (dep bucket, namespaced destinations) and their signing
is dep signing: the beetmover and signing families.
"""

import re

from taskgraph_staging.model.errors import ConfigError
from .explain import explains
from .docker_env import task_env
from .registry import rewriter

#: GitHub accounts of production partner manifests -> the staging automation's.
PRODUCTION_PARTNER_ACCOUNTS = ("mozilla-partners",)
STAGING_PARTNER_ACCOUNT = "moz-releng-automation-stage"
MANIFESTS_ENV = "REPACK_MANIFESTS_URL"
_ACCOUNT_RE = re.compile(r"^(?P<head>(?:git@github\.com:|https://github\.com/))(?P<account>[^/]+)/(?P<repo>[^/]+)$")


def staging_manifests_url(url, label):
    """The staging partner configuration for a production manifests repository URL."""
    m = _ACCOUNT_RE.match(url)
    if not m:
        raise ConfigError(f"{MANIFESTS_ENV} {url!r} is not a GitHub repository URL", where=f"task {label}")
    if m["account"] not in PRODUCTION_PARTNER_ACCOUNTS and m["account"] != STAGING_PARTNER_ACCOUNT:
        raise ConfigError(
            f"{MANIFESTS_ENV} {url!r} is neither a production ({', '.join(PRODUCTION_PARTNER_ACCOUNTS)}) nor the "
            f"staging ({STAGING_PARTNER_ACCOUNT}) partner configuration",
            where=f"task {label}",
        )
    return f"{m['head']}{STAGING_PARTNER_ACCOUNT}/{m['repo']}"


@rewriter("partner", summary="staging partner configuration; uploads and signing through the dep beetmover and signing families")
def rewrite_partner(ctx, task):
    env = task_env(task, "partner")
    if MANIFESTS_ENV in env:
        env[MANIFESTS_ENV] = staging_manifests_url(env[MANIFESTS_ENV], task["label"])


explains(
    "partner",
    task_types="release-partner-repack, release-eme-free-repack, release-partner-attribution (+ their macOS signing, "
    "repackage, repackage signing, beetmover and the EME-free checksums; their Bouncer submission is the bouncer family's)",
    production="repacks installers per partner from mozilla-partners' manifests (EME-free from mozilla-EME-free-manifest, "
    "macOS and Windows only) and attributes Windows installers; signs the macOS .app on iscript, repackages macOS and "
    "Windows into installers, GPG- (and on Windows Authenticode-) signs them and uploads them under the candidates' "
    "partner-repacks/<partner>/<subpartner>/v<N>/ (EME-free: <platform>-EME-free/); notarization runs at level 3 only, "
    "as in the real tree, and the reference models none",
    try_form="the staging partner configuration (moz-releng-automation-stage), dep signing, dep bucket under the "
    "namespace",
    verifies="repack and attribution of real installers with the staging partners' configuration, signing, upload",
    cannot="the real partners' private configuration and the partner bucket (production-only credentials); the "
    "reference repacks one partner ('default') per platform rather than one task chunk per repack id, and has no "
    "chunking dummy (a no-op the real tree needs only to chunk Linux per repack id)",
)
