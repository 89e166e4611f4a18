"""Task families: which worker's work a finished task is.

A task family is recognised the way its worker recognises its work: by the scope
family the task asks for (``<prefix>:balrog:...``), by notification routes, or, for
tasks that run on generic workers (update verify, final verify, bouncer check), by
the kind name, through ``staging-release.kind-families`` in config.yml with
:data:`DEFAULT_KIND_FAMILIES` as defaults. The staging layer picks each task's
rewrites by family; the analysis lists each task's writes by family.
"""

import functools

#: Scope family (the word after the scope prefix) -> task family.
SCOPE_FAMILIES = {
    "signing": "signing",
    "beetmover": "beetmover",
    "balrog": "balrog",
    "bouncer": "bouncer",
    "treescript": "treescript",
    "lando": "lando",
    "ship-it": "shipit",
    "googleplay": "pushapk",
    "snapcraft": "pushsnap",
    "flathub": "pushflatpak",
    "microsoftstore": "pushmsix",
    "addons.mozilla.org": "addons",
}
#: Kind name -> task family, for tasks no scope identifies. Hosts may add to it.
DEFAULT_KIND_FAMILIES = {
    "release-update-verify-config": "update-verify-config",
    "release-update-verify": "update-verify",
    "release-final-verify": "final-verify",
    # An RC's update verify of the beta channel, and an ESR's of the "next" channel.
    "release-secondary-update-verify-config": "update-verify-config",
    "release-secondary-update-verify": "update-verify",
    "release-secondary-final-verify": "final-verify",
    "release-update-verify-config-next": "update-verify-config",
    "release-update-verify-next": "update-verify",
    "release-bouncer-check": "bouncer-check",
    "release-generate-checksums": "checksums",
    "partials": "partials",
    "release-partner-repack": "partner",
    "release-partner-attribution": "partner",
    "release-eme-free-repack": "partner",
    "release-source": "source",
    "release-notify-started": "notify-started",
}


@functools.lru_cache(maxsize=4096)
def _scope_family(scope, prefix):
    """The task family a scope names under ``prefix`` (``"project:releng:"``), or None."""
    if scope.startswith(prefix):
        return SCOPE_FAMILIES.get(scope[len(prefix):].split(":", 1)[0])
    return None


def families_of(task, scope_prefix, kind_families):
    """Task families of a finished task (label, task definition, attributes)."""
    task_def = task["task"]
    tags = task_def.get("tags")
    kind = tags.get("kind") if tags else None
    families = [kind_families[kind]] if kind in kind_families else []
    scopes = task_def.get("scopes")
    if scopes:
        prefix = f"{scope_prefix}:"
        for scope in scopes:
            if isinstance(scope, str):  # docker-worker scopes may be task references
                family = _scope_family(scope, prefix)
                if family and family not in families:
                    families.append(family)
    for route in task_def.get("routes") or ():
        if isinstance(route, str) and route.startswith("notify."):
            families.append("notify")
            break
    return families
