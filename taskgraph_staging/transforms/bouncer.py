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
* Every product, path and alias of the Try form is checked here with bouncerscript's
  own rules (below), so a graph bouncerscript would reject fails at generation.

The rules are facts read from mozilla-releng/scriptworker-scripts,
``bouncerscript/src/bouncerscript/constants.py`` (``ALIASES_REGEXES``,
``PARTNER_ALIASES_REGEX``, ``PRODUCT_TO_DESTINATIONS_REGEXES``,
``PRODUCT_TO_PRODUCT_ENTRY``, ``BOUNCER_LOCATION_PLATFORMS``) and ``task.py``
(``check_product_names_match_aliases``, ``check_path_matches_destination``):
the code below is ours.
"""

import re

from .. import naming
from ..errors import ConfigError
from ..explain import explains
from .registry import rewriter
from .staging import apply_pool_override, explain, record, retarget_scopes, task_release

STAGING_SERVER = "staging"

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


# --- the rewrite ----------------------------------------------------------------


def _fail(label, problem, fix):
    raise ConfigError(f"{problem}; {fix}", where=f"task {label}")


def staging_product(rel, product, label):
    name = naming.bouncer_product(rel, product)
    if name is None:
        _fail(label, f"Bouncer product {product!r} does not start with {rel.display_product}-{rel.version}",
              "build the kind's product names from the release's product and version")
    return name


def rewrite_submission(rel, payload, label):
    entries = {}
    for product, entry in sorted(payload["submission_entries"].items()):
        name = staging_product(rel, product, label)
        paths = {}
        for platform, path in sorted(entry.get("paths_per_bouncer_platform", {}).items()):
            new = naming.bouncer_location_path(rel, path)
            if new is None:
                _fail(label, f"location {path!r} of {product!r} is not under /{rel.product}/releases/{rel.version}/ "
                      "or this release's candidates", "point the kind's locations at this release's files")
            problem = location_problem(name, platform, new)
            if problem:
                _fail(label, problem, "the Try form must pass bouncerscript's checks; fix the kind's paths or the namespace")
            paths[platform] = new
        entries[name] = dict(entry, paths_per_bouncer_platform=paths)
    payload["submission_entries"] = entries


def rewrite_aliases(rel, task, payload, label):
    shared = not rel.services.is_dedicated("bouncer")
    entries = {}
    replaced = {}
    for alias, product in sorted(payload["aliases_entries"].items()):
        name = staging_product(rel, product, label)
        new_alias = alias
        if shared:
            family = partner_alias_family(name)
            if family is None:
                _fail(label, f"alias {alias!r} -> {name!r} has no namespaced form on a shared Bouncer "
                      "(bouncerscript's partner aliases exist for Firefox only)",
                      "name a dedicated Bouncer in the staging services (services.dedicated: [bouncer])")
            new_alias = naming.bouncer_alias(rel, name, family, stub=name.endswith("-stub"))
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
    else:
        record(task, "bouncer-aliases", {"instance": "dedicated", "bouncer_admin": instance, "aliases": sorted(entries)})
        explain(task, f"the Bouncer at {instance} is dedicated to this release: production's aliases are updated there.")


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
        rewrite_submission(rel, payload, label)
    if "aliases_entries" in payload:
        rewrite_aliases(rel, task, payload, label)
    if "bouncer_products" in payload:
        rewrite_locations(rel, task, payload, label)


explains(
    "bouncer",
    task_types="release-bouncer-sub, release-bouncer-aliases",
    production="bouncerscript on bouncer:server:production: adds products Firefox-<version>[-SSL|-stub|-msi-SSL|...] "
    "with locations under /firefox/releases/<version>/, then points the fixed aliases (firefox-beta-latest-ssl, ...) at them",
    try_form="bouncer:server:staging; products Firefox-<version>-staging-<ns>[-SSL|...]; locations point at this "
    "release's candidates in the namespace; on a shared Bouncer the aliases become namespaced partner aliases "
    "(partner-firefox-<family>-staging-<ns>-...), on a dedicated one production's aliases",
    verifies="bouncerscript accepts every product, location and alias (checked at generation with its own rules); the "
    "Bouncer admin API adds them; locations resolve to this release's files; aliases resolve to the products on the "
    "staging redirector",
    cannot="on a shared Bouncer: that production's alias names move (they are global there, and another staging "
    "release may use them); locations under /releases/ on a shared archive (push-to-releases cannot be isolated, so "
    "locations point at the candidates copy)",
)
