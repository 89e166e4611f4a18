"""Try form of Bouncer tasks (bouncerscript: submission, aliases, locations).

* ``bouncer:server:production`` becomes ``bouncer:server:staging``: the staging
  Bouncer of the release's services.
* Submission: product names and location paths come from :mod:`..naming`
  (:func:`naming.bouncer_product`, :func:`naming.bouncer_location_path`), so on a
  shared instance they are this namespace's own and point at this release's files.
* Aliases are global names on an instance. On a dedicated instance
  (``services.dedicated`` holds ``bouncer``) they run as production's. On a shared
  one the production aliases are *not* updated: each becomes the namespaced alias
  of :func:`naming.bouncer_alias`, which bouncerscript accepts (its partner-alias
  rule) and which no other staging release uses, so the task still updates and
  checks real aliases on the staging redirector. The task's description and
  ``extra.staging.bouncer-aliases`` say which production aliases it stands in for.
* On the shared archive a location climbs out of the mirror's ``pub`` directory with
  dot segments (:func:`naming.bouncer_location_path`): go-bouncer redirects verbatim, so
  only clients that remove them reach the file. The task says so and that a dedicated
  Bouncer (a library slot) is needed; the audit classes those locations *not isolated*.
* Every product, path and alias of the Try form is checked here with bouncerscript's
  own rules (:mod:`taskgraph_staging.model.workers`), so a graph bouncerscript would
  reject fails at generation.
"""

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.workers import BOUNCER_ALIAS_CHECK_REDIRECTOR, location_problem, alias_problem, partner_alias_family
from .explain import explains
from .registry import LeaveOut, rewriter
from .staging import apply_pool_override, explain, record, retarget_scopes, task_release

STAGING_SERVER = "staging"

# --- the rewrite ----------------------------------------------------------------


def _fail(label, problem, fix):
    raise ConfigError(f"{problem}; {fix}", where=f"task {label}")


def staging_product(rel, product, label):
    name = naming.bouncer_product(rel, product)
    if name is None:
        _fail(label, f"Bouncer product {product!r} does not start with {rel.display_product}-{rel.version}",
              "build the kind's product names from the release's product and version")
    return name


def rewrite_submission(rel, task, payload, label, partner_build_number=1):
    entries = {}
    for product, entry in sorted(payload["submission_entries"].items()):
        name = staging_product(rel, product, label)
        paths = {}
        for platform, path in sorted(entry.get("paths_per_bouncer_platform", {}).items()):
            new = naming.bouncer_location_path(rel, path, partner_build_number)
            if new is None:
                _fail(label, f"location {path!r} of {product!r} is not under /{rel.product}/releases/{rel.version}/, "
                      f"a partner's /{rel.product}/releases/partners/<partner>/<sub_config>/{rel.version}/ or this release's candidates", "point the kind's locations at this release's files")
            problem = location_problem(name, platform, new)
            if problem:
                _fail(label, problem, "the Try form must pass bouncerscript's checks; fix the kind's paths or the namespace")
            paths[platform] = new
        entries[name] = dict(entry, paths_per_bouncer_platform=paths)
    payload["submission_entries"] = entries
    climbing = sorted(p for e in entries.values() for p in e["paths_per_bouncer_platform"].values() if naming.relies_on_dot_segments(p))
    if climbing:
        record(task, "bouncer-locations", {"relies_on_dot_segments": len(climbing), "needs": "a dedicated Bouncer (a library slot)"})
        explain(task, (
            f"the archive {rel.services.archive_bucket} is shared, so this release's files are outside the Bouncer "
            f"mirror's pub directory and {len(climbing)} location(s) climb out of it with dot segments (e.g. "
            f"{climbing[0]}). go-bouncer redirects to mirror base + path verbatim: only clients that remove dot segments "
            "reach the file. Not isolated on a shared Bouncer; a dedicated Bouncer (a library slot), whose mirror is the "
            "slot's archive, is needed for locations every client follows."
        ))


#: Why a shared Bouncer takes no Devedition alias (the rewrite leaves the task out).
NO_DEVEDITION_ALIASES = (
    "bouncerscript's Devedition aliases (firefox-devedition-latest, ...) take only production's product names "
    "(Devedition-<version>[-SSL|...]) and its partner aliases only Firefox products, so no namespaced alias of "
    "Devedition exists on a shared Bouncer"
)


def rewrite_aliases(rel, task, payload, label):
    shared = not rel.services.is_dedicated("bouncer")
    if shared and all(product.startswith("Devedition-") for product in payload["aliases_entries"].values()):
        return LeaveOut(f"{NO_DEVEDITION_ALIASES}; a dedicated Bouncer (services.dedicated: [bouncer]) runs it")
    entries = {}
    replaced = {}
    refused = {}
    for alias, product in sorted(payload["aliases_entries"].items()):
        name = staging_product(rel, product, label)
        new_alias = alias
        if shared:
            if partner_alias_family(name) is None:
                _fail(label, f"alias {alias!r} -> {name!r} has no namespaced form on a shared Bouncer "
                      "(bouncerscript's partner aliases exist for Firefox only)",
                      "name a dedicated Bouncer in the staging services (services.dedicated: [bouncer])")
            new_alias = naming.bouncer_alias(rel, name, naming.bouncer_alias_family(rel), stub=name.endswith("-stub"))
            if alias_problem(new_alias, name):
                # The behaviour's alias family does not take this version's products (a beta
                # version planned as a release): bouncerscript accepts only the version's family.
                refused[new_alias] = name
                new_alias = naming.bouncer_alias(rel, name, partner_alias_family(name), stub=name.endswith("-stub"))
            replaced[alias] = new_alias
        problem = alias_problem(new_alias, name)
        if problem:
            _fail(label, problem, "the Try form must pass bouncerscript's alias checks")
        entries[new_alias] = name
    payload["aliases_entries"] = entries
    instance = rel.services.bouncer_admin
    if shared:
        record(task, "bouncer-aliases", {
            "instance": "shared",
            "bouncer_admin": instance,
            "production_aliases_not_updated": sorted(replaced),
            "namespaced_aliases": dict(sorted(replaced.items())),
        })
        explain(task, (
            f"the Bouncer at {instance} is shared, and aliases are global names there: the production "
            f"aliases {', '.join(sorted(replaced))} are NOT updated. This task updates and checks this "
            f"namespace's stand-ins instead: {', '.join(f'{a} -> {b}' for a, b in sorted(replaced.items()))}."
        ))
        if refused:
            family = naming.bouncer_alias_family(rel)
            record(task, "bouncer-aliases-of-the-behaviour-refused", dict(sorted(refused.items())))
            explain(task, (
                f"the {rel.behavior} behaviour's stand-ins ({', '.join(sorted(refused))}) are refused by bouncerscript, "
                f"whose partner-{rel.product}-{family}-* aliases take only products of a {family} version, not "
                f"{rel.version}'s: the stand-ins are the version's own family, so this task rehearses "
                f"{rel.version}'s alias update, not the {rel.behavior} one. Plan a {family} version to rehearse that."
            ))
    else:
        record(task, "bouncer-aliases", {
            "instance": "dedicated", "bouncer_admin": instance, "aliases": sorted(entries),
            "checked_at": BOUNCER_ALIAS_CHECK_REDIRECTOR, "checks_this_instance": rel.services.bouncer_redirector == BOUNCER_ALIAS_CHECK_REDIRECTOR,
        })
        explain(task, f"the Bouncer at {instance} is dedicated to this release: production's aliases are updated there.")
        if rel.services.bouncer_redirector != BOUNCER_ALIAS_CHECK_REDIRECTOR:
            explain(task, (
                f"bouncerscript then checks the aliases on the redirector its code fixes for bouncer:server:staging, "
                f"{BOUNCER_ALIAS_CHECK_REDIRECTOR}, not on this Bouncer's {rel.services.bouncer_redirector}: an alias "
                "that redirector does not know is skipped, so the update is made but this task does not verify it. "
                f"Check them on {rel.services.bouncer_redirector} yourself (/?product=<alias>&print=yes)."
            ))


def rewrite_locations(rel, task, payload, label):
    # Nightly locations (bouncerscript's "locations" action) name fixed nightly
    # products; the staging instance has its own, so only the server changes.
    explain(task, f"bumps the nightly locations of the staging Bouncer {rel.services.bouncer_admin}.")


@rewriter("bouncer", summary="staging Bouncer; namespaced products, paths and (shared instance) aliases that bouncerscript accepts")
def rewrite_bouncer(ctx, task):
    rel = task_release(ctx, task)
    task_def = task["task"]
    label = task["label"]
    retarget_scopes(ctx, task_def, "bouncer:server:", STAGING_SERVER)
    apply_pool_override(ctx, task, "bouncer")
    payload = task_def.get("payload", {})
    if "submission_entries" in payload:
        rewrite_submission(rel, task, payload, label, ctx.params.get("release_partner_build_number") or 1)
    if "aliases_entries" in payload:
        return rewrite_aliases(rel, task, payload, label)
    if "bouncer_products" in payload:
        rewrite_locations(rel, task, payload, label)


explains(
    "bouncer",
    task_types="release-bouncer-sub, release-partner-repack-bouncer-sub, release-bouncer-aliases",
    production="bouncerscript on bouncer:server:production: adds products Firefox-<version>[-SSL|-stub|-msi-SSL|...] "
    "with locations under /firefox/releases/<version>/ and the published partners' Firefox-<version>-<partner>-<sub>[-stub] "
    "under /firefox/releases/partners/<partner>/<sub>/<version>/, then points the fixed aliases (firefox-beta-latest-ssl, "
    "firefox-devedition-latest-ssl, ...) and the partner aliases (partner-firefox-<type>-<partner>-<sub>-latest|-stub) at them",
    try_form="bouncer:server:staging; products Firefox-<version>-staging-<ns>[-SSL|...]; locations point at this "
    "release's candidates in the namespace (a partner's at its partner-repacks/<partner>/<sub>/v<N>/ upload); on a shared Bouncer the aliases become namespaced partner aliases "
    "(partner-firefox-<family>-staging-<ns>-...), on a dedicated one production's aliases",
    verifies="bouncerscript accepts every product, location and alias (checked at generation with its own rules); the "
    "Bouncer admin API adds them; locations resolve to this release's files; aliases resolve to the products on the "
    "staging redirector",
    cannot="on a dedicated Bouncer (a library slot): that the aliases resolve there, since bouncerscript checks them on "
    "the shared staging redirector its code fixes; on a shared Bouncer: that production's alias names move (they are global there, and another staging "
    "release may use them); locations under /releases/ on a shared archive (push-to-releases cannot be isolated, so "
    "locations point at the candidates copy). Devedition: products Devedition-<version>-staging-<ns>[-SSL|...] with "
    "locations under /devedition/releases/ (the files keep their firefox names); its aliases (firefox-devedition-latest...) "
    "have no namespaced form bouncerscript accepts (its Devedition aliases take production's names only, its partner "
    "aliases Firefox products only), so on a shared Bouncer the Devedition alias task is left out of the Try graph; a "
    "dedicated Bouncer runs it with production's aliases",
)
