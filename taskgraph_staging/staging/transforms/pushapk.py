"""Try form of push-apk (pushapkscript).

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
    task_types="push-apk",
    production="pushapkscript uploads the signed APKs/AABs to Google Play (googleplay:product:<app>, commit: true)",
    try_form="googleplay:product:<app>:dep, commit: false",
    verifies="the payload's channel names an app of the pool; mozapkpublisher's checks of the files (package names, "
    "and for APKs architectures and version codes)",
    cannot="the APK/AAB signatures: pushapkscript skips that check at every level (its skip_check_signature defaults to "
    "true and its publish configuration never sets it); Google Play's acceptance of the upload and the rollout "
    "(the dev pool never contacts the store)",
)
