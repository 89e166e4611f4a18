"""Try form of signing tasks (signingscript).

Production signs with a release cert (``signing:cert:release-signing``,
``production-signing``, ``nightly-signing``...) on ``<trust-domain>-3-signing``.
The Try form asks for ``signing:cert:dep-signing`` on ``<trust-domain>-t-signing``.

Signing formats stay as they are: production asks for the ``gcp_prod_autograph_*``
formats, and the dev pool's ``dep-signing`` cert offers the same names
(:data:`~taskgraph_staging.model.workers.DEP_SIGNING_FORMATS`), signed by production
Autograph with the dep keys (MARs with ``dep1``, which is why update verify on
staging patches the updater's certificates, ``override-certs dep``). Its
``autograph_stage_mar384`` format belongs to a separate nightly kind, not to the Try
form. A format no signingscript pool offers
(:data:`~taskgraph_staging.model.workers.NO_SIGNINGSCRIPT_FORMAT`) is left as is and
named in the explain row: the worker refuses it.

macOS signs on iscript, as the real tree's signing transforms make it (``mac-signing``:
``gecko-signing-mac14m2`` in production): its Try form asks for the same dep-signing cert
on the dep macOS pool (``dep-gecko-signing-mac14m2``,
:func:`~taskgraph_staging.model.production.dep_mac_signing_pool`), with the same
behaviour (``mac_sign_and_pkg``) and formats.
"""

from taskgraph_staging.model.production import dep_mac_signing_pool, mac_signing_pool_reason, production_pool_reason
from taskgraph_staging.model.workers import NO_SIGNINGSCRIPT_FORMAT
from .explain import explains
from .registry import rewriter
from .staging import retarget_scopes

DEP_CERT = "dep-signing"
#: What the worker acceptance suite cannot run of the macOS signing tasks, and why.
ISCRIPT_NOT_HERE = (
    "the macOS tasks' iscript runs on Apple hardware (codesign, keychains, notarization tools) and its code is not in "
    "shared/upstream, so the worker acceptance suite does not run them; what it signs reaches the tasks after it as "
    "made files of their kind"
)
#: The signing pool below level 3, as gecko's ``linux-signing`` alias names it.
TRY_SIGNING_POOL = "{trust_domain}-t-signing"


explains(
    "signing",
    task_types="build-signing, repackage-signing, partials-signing, release-generate-checksums-signing, "
    "release-partner-repack-mac-signing, release-partner-repack-repackage-signing, release-eme-free-repack-mac-signing, "
    "release-eme-free-repack-repackage-signing, repackage-rpm-signing",
    production=(
        "signingscript with the release-signing cert on the level-3 signing pool; MARs signed with the release key; "
        "macOS builds on iscript (mac-signing pool gecko-signing-mac14m2, behavior mac_sign_and_pkg: the .app of the .dmg "
        "signed, target.tar.gz and target.pkg written); the Linux .rpm packages with autograph_rpmsign (signingscript "
        "also publishes the key, public/build/RPM-KEY)"
    ),
    try_form=(
        "signing:cert:dep-signing on the Try signing pool; the same formats (the dep cert signs MARs with the dep1 key); "
        "macOS on the dep iscript pool dep-gecko-signing-mac14m2 with the same behaviour and formats; the .rpm packages "
        "with the dev pool's autograph_rpmsign key (release_at_mozilla_rpmsign_dep)"
    ),
    verifies="every artifact is signed in every format production asks for, by the real signing service",
    cannot=(
        "signatures with the release keys (the dep1 key is not trusted by shipped updaters; update verify overrides the certs); "
        + "; ".join(f"format {fmt}: {why}, so the Try signing pool refuses that task" for fmt, why in sorted(NO_SIGNINGSCRIPT_FORMAT.items()))
        + "; off Try (the worker acceptance suite, with a stand-in Autograph) the worker's own checks of what Autograph "
        + "signed end the task, accepted: MARs against signingscript's dep1.pem, GPG against its gpg_pubkey_dep.asc and "
        + "Authenticode against the dev pool's 'Mozilla Fake SPC' certificate (only the real Autograph holds those keys; "
        + "the Authenticode timestamp server, timestamp.digicert.com, is not served there), and widevine needs the widevine "
        + "module deployed beside signingscript on its pool, which is in no lock; "
        + f"{ISCRIPT_NOT_HERE}"
    ),
)


@rewriter("signing", summary="dep-signing cert (MAR formats signed with the dep1 key) on the Try signing pool")
def rewrite_signing(ctx, task):
    task_def = task["task"]
    retarget_scopes(ctx, task_def, "signing:cert:", DEP_CERT, only=lambda cert: cert.endswith("-signing"))
    trust_domain = ctx.graph_config["trust-domain"]
    worker_type = task_def.get("workerType", "")
    if mac_signing_pool_reason(worker_type):
        task_def["workerType"] = dep_mac_signing_pool(worker_type)
    elif production_pool_reason(worker_type, trust_domain):
        task_def["workerType"] = TRY_SIGNING_POOL.format(trust_domain=trust_domain)
