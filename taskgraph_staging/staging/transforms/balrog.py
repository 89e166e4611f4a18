"""Try form of Balrog tasks (balrogscript).

* ``balrog:server:<beta|release|esr|...>`` becomes ``balrog:server:dep``.
* Channels (``channel_names``, ``pin_channels``, the ``channels`` of each
  ``update_line`` item's ``for``: the what's-new pages) and rule aliases
  (``rules_to_update``) are namespaced by :func:`naming.balrog_channel` and
  :func:`naming.balrog_rule_alias`; so are the release blobs: ``blob_suffix`` for
  the top-level, schedule and read-only actions, ``suffixes`` for submit-locale
  (balrogscript appends each to the blob name it submits locales to).
* ``archive_domain`` is :func:`naming.balrog_archive_domain` (the localtest
  fileUrls then point at the namespaced candidates), ``download_domain`` the host of
  the services' Bouncer redirector, ``partial_versions`` the release's partials.
* ``complete_mar_bouncer_product_pattern`` is
  :func:`naming.complete_mar_bouncer_product_pattern`: the complete MAR download URL of
  every channel names this namespace's Bouncer product. The partial MAR product
  balrogscript derives itself (:func:`naming.balrog_partial_bouncer_product`) and no
  payload field reaches it: on a shared Bouncer the task says its partial download URLs
  need a dedicated Bouncer (a library slot).
* ``publish_rules`` of the schedule are numeric rule ids: they come from
  ``services.rule_ids`` under :func:`naming.balrog_release_rule_alias`. Without an id
  for this namespace the schedule publishes nothing and says why.
* A library slot's balrog pool (``services.pools.balrog``) replaces the pool.
"""

from urllib.parse import urlsplit

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import StagingError
from .explain import explains
from .registry import rewriter
from .staging import apply_pool_override, explain, record, retarget_scopes, scopes_under, task_release
from .update_verify import partial_version

DEP_SERVER = "dep"
SUBMIT_LOCALE_ACTIONS = ("submit-locale", "v2-submit-locale")


def balrog_actions(ctx, task_def):
    """The balrogscript actions of a task: its action scopes, else its payload's ``behavior``."""
    actions = scopes_under(task_def, ctx.scope("balrog:action:"))
    behavior = task_def.get("payload", {}).get("behavior")
    return set(actions or ([behavior] if behavior else []))


def drop_action_scopes(ctx, task_def):
    """balrogscript takes its action from the payload's ``behavior`` and from every
    ``balrog:action:`` scope, and refuses a task where they make more than one
    ("Only one behavior can be used": ``v2-submit-locale`` and ``submit-locale`` are
    two). With a ``behavior``, the action scopes go."""
    if task_def.get("payload", {}).get("behavior"):
        prefix = ctx.scope("balrog:action:")
        task_def["scopes"] = sorted(s for s in task_def.get("scopes", []) if not s.startswith(prefix))


def partial_versions(ctx):
    """``partial_versions`` as balrogscript parses it: ``"<version>build<N>, ..."``."""
    return ", ".join(partial_version(p) for p in ctx.partials)


def namespace_names(rel, payload):
    for key in ("channel_names", "pin_channels"):
        if key in payload:
            payload[key] = [naming.balrog_channel(rel, c) for c in payload[key]]
    if "rules_to_update" in payload:
        payload["rules_to_update"] = [naming.balrog_rule_alias(rel, a) for a in payload["rules_to_update"]]
    # What's-new pages: Balrog applies an updateLine item to the channels its ``for``
    # names, so they are the namespace's channels too (else no staging client sees them).
    for items in (payload.get("update_line") or {}).values():
        for item in items or []:
            conditions = item.get("for") or {}
            if "channels" in conditions:
                conditions["channels"] = [naming.balrog_channel(rel, c) for c in conditions["channels"]]


def namespace_blobs(rel, payload, actions):
    suffix = naming.blob_suffix(rel)
    if actions & set(SUBMIT_LOCALE_ACTIONS):
        payload["suffixes"] = [f"{suffix}{s}" for s in payload.get("suffixes") or [""]]
    if "product" in payload:
        payload["blob_suffix"] = f"{suffix}{payload.get('blob_suffix', '')}"


def namespace_bouncer_products(ctx, task, rel):
    payload = task["task"]["payload"]
    pattern = payload.get("complete_mar_bouncer_product_pattern")
    if pattern is not None:
        staging = naming.complete_mar_bouncer_product_pattern(rel, pattern)
        if staging is None:
            raise StagingError(
                f"complete_mar_bouncer_product_pattern {pattern!r} does not start with "
                f"{naming.BALROG_PRODUCT_HEAD!r}: the namespace cannot be placed after the version",
                where=task.get("label", "balrog"),
            )
        payload["complete_mar_bouncer_product_pattern"] = staging
    previous = [p.version for p in ctx.partials]
    if previous and "partial_versions" in payload:
        products = [naming.balrog_partial_bouncer_product(rel.product, rel.version, v) for v in previous]
        record(task, "balrog-partial-bouncer-products", {"products": products, "namespaced": rel.services.is_dedicated("bouncer")})
        if not rel.services.is_dedicated("bouncer"):
            explain(
                task,
                f"balrogscript names the partial MARs' Bouncer products itself ({', '.join(products)}), "
                f"without the namespace: on the shared Bouncer {ctx.release.services.bouncer_admin} these partial "
                "download URLs are every namespace's, not this release's. A dedicated Bouncer (a library slot) "
                "is needed for this release's partial download URLs; the localtest channels point at its files.",
            )


def schedule_channel(rel, production_pins):
    """The shipping channel whose rule a schedule publishes: a secondary channel of the
    behaviour when the task pins it (an RC's release-secondary-balrog-scheduling pins
    beta), else the behaviour's own."""
    for channel in rel.behavior.secondary_channels:
        if channel in production_pins:
            return channel
    return rel.behavior.channel


#: The channels balrogscript gives build-numbered Bouncer products when a top-level
#: submission does not require mirrors (an RC's beta updates, served before the push to
#: mirrors); it tells them by these production names.
MIRRORLESS_CHANNELS = ("beta", "beta-cdntest")


def explain_mirrorless_channels(task, rel, payload, production_channels):
    mirrorless = [c for c in production_channels if c in MIRRORLESS_CHANNELS]
    if payload.get("require_mirrors") is False and mirrorless:
        staged = ", ".join(naming.balrog_channel(rel, c) for c in mirrorless)
        explain(task, (
            f"require_mirrors is false: production's {', '.join(mirrorless)} fileUrls name the build-numbered Bouncer "
            f"products (<product>-<version>build<N>-complete), which balrogscript chooses by those channel names; the "
            f"namespace's {staged} are other names, so they get the default fileUrls (the namespace's Bouncer products) "
            "and the -localtest channel points at this release's files."
        ))


def set_publish_rules(ctx, task, rel, production_pins):
    payload = task["task"]["payload"]
    alias = naming.balrog_release_rule_alias(rel, schedule_channel(rel, production_pins))
    rule_id = dict(ctx.release.services.rule_ids).get(alias)
    payload["publish_rules"] = [rule_id] if rule_id is not None else []
    record(task, "balrog-publish-rules", {"rule_alias": alias, "rule_ids": payload["publish_rules"]})
    if rule_id is None:
        explain(
            task,
            f"no staging Balrog rule id is known for rule alias {alias} (namespace {rel.namespace}) on "
            f"{ctx.release.services.balrog_admin}, so this schedule publishes no rule: it only checks the "
            "release blob and scheduling rights. Give staging.services.rule_ids "
            f"{{{alias}: <id>}} (a library slot does) to schedule the release on its rule.",
        )


explains(
    "balrog",
    task_types="balrog, release-balrog-submit-toplevel, release-balrog-scheduling, "
    "release-secondary-balrog-submit-toplevel (RC), release-secondary-balrog-scheduling (RC)",
    production="balrogscript submits the release blobs (with and without what's-new pages), points and pins the test "
    "channels at them, and schedules the beta/release/esr rules and pins on production Balrog; an RC also adds the "
    "beta channels to its blobs without requiring mirrors, points the beta test rules at them and schedules the "
    "firefox-beta rule now (the secondary kinds)",
    try_form="balrog:server:dep; namespaced blob suffix, channels (<namespace>-beta-localtest...; pinned channels and "
    "the what's-new pages' channels too) and rule aliases; "
    "fileUrls on the staging archive and Bouncer. Devedition (beta releases only): blob Devedition-<version>-build<N>"
    "-staging-<ns>, channels <ns>-aurora[-localtest|-cdntest], rules <ns>-devedition-cdntest/-localtest, schedule rule "
    "alias <ns>-devedition-beta (production's rule id 10). An RC's secondary tasks: channels <ns>-beta[-localtest|-cdntest], "
    "rules <ns>-firefox-beta-cdntest/-localtest, schedule rule alias <ns>-firefox-beta; the real tree's by-release-level staging values (archive and "
    "download domains, staging rule ids) give the same task",
    verifies="blob submission (with and without what's-new pages), rule updates and channel pins on staging Balrog, "
    "with fileUrls that resolve to this release's files and the what's-new pages on the namespace's channels",
    cannot="publishing production rules; scheduling needs staging rule ids for the namespace (a library slot provisions "
    "them), otherwise no rule is scheduled and the task says so; an RC's beta fileUrls on build-numbered Bouncer "
    "products (balrogscript picks them for the channels named beta and beta-cdntest when mirrors are not required, "
    "and the namespace renames those channels: they get the default fileUrls and the task says so)",
)


@rewriter("balrog", summary="dep server; namespaced channels, rule aliases and release blob; staging archive and download domains")
def rewrite_balrog(ctx, task):
    task_def = task["task"]
    rel = task_release(ctx, task)
    actions = balrog_actions(ctx, task_def)
    retarget_scopes(ctx, task_def, "balrog:server:", DEP_SERVER)
    payload = task_def.setdefault("payload", {})
    production_pins = tuple(payload.get("pin_channels") or ())
    production_channels = tuple(payload.get("channel_names") or ())
    drop_action_scopes(ctx, task_def)
    namespace_names(rel, payload)
    explain_mirrorless_channels(task, rel, payload, production_channels)
    namespace_blobs(rel, payload, actions)
    if "archive_domain" in payload:
        payload["archive_domain"] = naming.balrog_archive_domain(rel)
    if "download_domain" in payload:
        payload["download_domain"] = urlsplit(ctx.release.services.bouncer_redirector).netloc
    if "partial_versions" in payload:
        payload["partial_versions"] = partial_versions(ctx)
    namespace_bouncer_products(ctx, task, rel)
    if "publish_rules" in payload or "schedule" in actions:
        set_publish_rules(ctx, task, rel, production_pins)
    apply_pool_override(ctx, task, "balrog")
