"""Try form of push-apk (pushapkscript).

``googleplay:product:<app>`` becomes the dep instance's ``googleplay:product:<app>:dep``
and ``commit`` is false: pushapkscript still opens and checks every APK (signatures,
architectures, package names, version codes) but never commits to Google Play.
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
    verifies="the worker's APK checks: signatures with the expected certificate, architectures, package name, "
    "version codes, and the payload's track and channel",
    cannot="Google Play's acceptance of the upload and the rollout (the dep instance never contacts the store)",
)
