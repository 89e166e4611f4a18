"""Try form of push-bundle (Google Play) and push-apks (Samsung Galaxy store), both pushapkscript.

``googleplay:product:<app>`` becomes the dep instance's ``googleplay:product:<app>:dep``
and ``commit`` is false (a dry run). On the dev pool pushapkscript does not contact
the store (``do_not_contact_server``) and does not verify signatures: its
``skip_check_signature`` test defaults to true and the publish configuration it
builds never sets the key, so the jarsigner and manifest checks are skipped at every
level (it logs so). It still picks the app by ``channel``, refuses APKs mixed with
AABs, and hands the files to mozapkpublisher, which checks package names against the
app's and, for APKs, architectures and version codes.
"""

from .explain import explains
from .registry import rewriter
from .staging import replace_scopes, scopes_under

DEP_SUFFIX = ":dep"


@rewriter("pushapk", summary="dep Google Play instance, commit: false (APK checks still run)")
def rewrite_pushapk(ctx, task):
    task_def = task["task"]
    prefix = ctx.scope("googleplay:product:")
    replace_scopes(task_def, {
        f"{prefix}{app}": f"{prefix}{app}{DEP_SUFFIX}" for app in scopes_under(task_def, prefix) if not app.endswith(DEP_SUFFIX)
    })
    task_def.setdefault("payload", {})["commit"] = False


explains(
    "pushapk",
    task_types="push-bundle (Google Play, AAB), push-apks (Samsung Galaxy store, APKs)",
    production="pushapkscript publishes the signed AAB to Google Play (push-bundle) and the signed APKs to the "
    "Samsung Galaxy store (push-apks, target_store samsung, release only); googleplay:product:<app>, commit: true; "
    "the app comes from the payload's channel (fenix-beta, fenix-release, ...)",
    try_form="googleplay:product:<app>:dep (the dep pool's apps and dep store credentials), commit: false",
    verifies="both stores: the channel names an app of the dep pool (any other value is refused, KeyError) and the "
    "channel's app supports the target store; APKs and AABs are never mixed. Google Play: mozapkpublisher reads the "
    "AAB's package name and version code with bundletool; for APKs, package names, architectures and version codes. "
    "Samsung: the same APK checks (package names against the channel's app), then the dry run stops before any upload",
    cannot="both stores: the APK/AAB signatures (pushapkscript skips that check at every level: skip_check_signature "
    "defaults to true and its publish configuration never sets it). Google Play: the store's acceptance of the upload "
    "and the track's rollout (the dev pool never contacts Google: do_not_contact_server). Samsung: the store's "
    "content lookup, upload and submission (with commit false mozapkpublisher returns before its first request to "
    "the Galaxy store API). Off Try (the worker acceptance suite) Google Play's AAB checks end at bundletool: "
    "mozapkpublisher runs Google's bundletool.jar (BUNDLETOOL_PATH), which the pushapkscript image carries and no "
    "package registry the suite reaches has",
)
