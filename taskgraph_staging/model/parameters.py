"""Release and staging parameters, and the one place they are read.

``register()`` extends taskgraph's parameter schema with :data:`ReleaseParametersSchema`.
The CLI fills defaults through :func:`parameter_defaults`; the decision task does not
apply ``defaults_fn``, so ``config.yml`` names :func:`decision_parameters` as its
``taskgraph.decision-parameters`` hook, which fills the same defaults.
"""

import functools
import json
from typing import Any, Literal, Optional

import msgspec
from taskgraph.util.schema import Schema

from .errors import ConfigError, InvalidValue, validation_problem
from .release import (
    MAX_BUILD_NUMBER,
    Behavior,
    Namespace,
    Partial,
    Services,
    StagingRelease,
    parse_build_number,
    parse_version,
    partial_problem,
)

DEFAULT_TRY_PROJECTS = ("try", "try-comm-central")
DEFAULT_FAMILIES = {"firefox": "desktop", "devedition": "desktop", "thunderbird": "desktop", "fenix": "android"}

PartialParameter = Schema.from_dict(
    {
        "version": str,
        "build_number": int,
        "source": (Literal["production", "staging"], "production"),
        "locales": Optional[list[str]],
    },
    name="PartialParameter",
)

StagingParameters = Schema.from_dict(
    {
        # Namespace of this staging release; derived from the owner when absent.
        "namespace": Optional[str],
        # beta, release, release-rc or esr; derived from the version when absent.
        "behavior": Optional[Literal["beta", "release", "release-rc", "esr"]],
        # Previous releases to build partial updates from, and where each lives.
        "partials": (list[PartialParameter], []),
        # Staging endpoints (see taskgraph_staging.model.release.DEFAULT_SERVICES).
        "services": (dict[str, Any], {}),
        # Library reservation these services came from, if any.
        "reservation": Optional[str],
    },
    name="StagingParameters",
)

ReleaseParametersSchema = Schema.from_dict(
    {
        # beta, release, release-rc, esrNNN: what by-release-type in kinds resolves against.
        "release_type": (str, ""),
        # Shipping product of the release graph (firefox, fenix, ...).
        "release_product": Optional[str],
        # Application version, where it differs from the display version.
        "app_version": Optional[str],
        # When the release should be scheduled in Balrog (ISO 8601), if not at once.
        "release_eta": Optional[str],
        "release_enable_partner_repack": (bool, False),
        "release_enable_partner_attribution": (bool, False),
        "release_enable_emefree": (bool, False),
        "release_partners": Optional[list[str]],
        "release_partner_build_number": (int, 1),
        "release_partner_config": Optional[dict[str, Any]],
        # Production partial updates, as the release-promotion action gives them:
        # {"<previous version>": {"buildNumber": N, "locales": [...]}}.
        "partial_updates": Optional[dict[str, dict[str, Any]]],
        # Set by the release-promotion action to the flavor it runs.
        "shipping_phase": Optional[str],
        # The staging block; absent or null on production graphs.
        "staging": Optional[StagingParameters],
    },
    name="ReleaseParametersSchema",
    forbid_unknown_fields=False,
    kw_only=True,
)


#: taskgraph's own parameters that the extension reads, typed as taskgraph's schema types
#: them; only ``level`` and ``project`` are required of a parameters file.
ReadParametersSchema = Schema.from_dict(
    {
        # 1, 2 or 3, a string as taskgraph has it.
        "level": str,
        "project": str,
        # The pusher's email address: the only recipient of a staging release's notifications.
        "owner": Optional[str],
        "version": Optional[str],
        "build_number": Optional[int],
    },
    name="ReadParametersSchema",
    forbid_unknown_fields=False,
    kw_only=True,
)


def parameter_problem(params):
    """Why a mapping of parameters read from a file (a plan's ``parameters.yml``) is not
    what the extension can read: ``"<parameter>: <problem>"``, or None."""
    for schema in (ReadParametersSchema, ReleaseParametersSchema):
        try:
            msgspec.convert(params, schema)
        except msgspec.ValidationError as e:
            return validation_problem(e)
    return None


def parameter_defaults(repo_root=None):
    """Defaults of the release parameters (taskgraph ``defaults_fn``)."""
    return {
        "release_type": "",
        "release_product": None,
        "app_version": None,
        "release_eta": None,
        "release_enable_partner_repack": False,
        "release_enable_partner_attribution": False,
        "release_enable_emefree": False,
        "release_partners": None,
        "release_partner_build_number": 1,
        "release_partner_config": None,
        "partial_updates": None,
        "shipping_phase": None,
        "staging": None,
    }


def staging_config(graph_config):
    """The ``staging-release`` section of the host's config.yml (may be empty)."""
    if graph_config is None:
        return {}
    try:
        return graph_config["staging-release"] or {}
    except KeyError:
        return {}


def try_projects(graph_config):
    return tuple(staging_config(graph_config).get("try-projects", DEFAULT_TRY_PROJECTS))


def staging_projects(graph_config):
    """Projects that always build staging graphs: the try projects and any
    ``staging-release.staging-projects`` the host names."""
    config = staging_config(graph_config)
    return try_projects(graph_config) + tuple(config.get("staging-projects", ()))


def is_staging(params, graph_config=None):
    """Whether this graph is not production: level below 3, or a staging project."""
    return str(params["level"]) != "3" or params["project"] in staging_projects(graph_config)


def product_family(product, graph_config=None):
    products = staging_config(graph_config).get("products", {})
    return products.get(product, {}).get("family") or DEFAULT_FAMILIES.get(product, "desktop")


def decision_parameters(graph_config, parameters):
    """``taskgraph.decision-parameters`` hook: fill the release parameters' defaults.

    A Try push's ``try_task_config.json`` is applied after this hook and overrides it.
    """
    for name, value in parameter_defaults().items():
        parameters.setdefault(name, value)
    if parameters["project"] in staging_projects(graph_config) and parameters.get("staging") is None:
        parameters["staging"] = {}


def _staging_key(params):
    staging = params.get("staging") or {}
    return json.dumps(
        [
            params.get("release_product"),
            params.get("version"),
            params.get("build_number"),
            params.get("owner"),
            staging,
        ],
        sort_keys=True,
        default=str,
    )


def staging_release(params, graph_config=None):
    """The :class:`StagingRelease` these parameters describe.

    Raises :class:`InvalidValue` naming the parameter that is wrong.
    """
    product = params.get("release_product") or "firefox"
    return _staging_release(_staging_key(params), product_family(product, graph_config))


@functools.lru_cache(maxsize=64)
def _staging_release(key, family):
    product, version, build_number, owner, staging = json.loads(key)
    product = product or "firefox"
    problems = []
    where = "parameters"
    try:
        parse_version(version, family, where="version")
    except InvalidValue as e:
        problems.extend(f"version: {p}" for p in e.problems)
    if not isinstance(build_number, int) or parse_build_number(build_number) is None:
        problems.append(f"build_number: {build_number!r} must be a whole number from 1 to {MAX_BUILD_NUMBER}")
    values = {}
    for name, parse in (
        ("namespace", lambda: Namespace.parse(staging["namespace"]) if staging.get("namespace") else Namespace.from_user(owner)),
        ("behavior", lambda: Behavior.parse(staging["behavior"]) if staging.get("behavior") else Behavior.from_version(version, family)),
        ("partials", lambda: tuple(Partial.from_dict(p, where=f"partial {p.get('version', '?')}", family=family) for p in staging.get("partials") or [])),
        ("services", lambda: Services.from_dict(staging.get("services"))),
    ):
        try:
            values[name] = parse()
        except InvalidValue as e:
            # The value objects name themselves ("namespace: ..."); say it once.
            text = "; ".join(e.problems) if e.where == name else str(e)
            problems.append(f"staging.{name}: {text}")
    behavior = values.get("behavior")
    problem = behavior.version_problem(version, family, product) if behavior is not None and not problems else None
    if problem:
        problems.append(f"staging.behavior: {problem}")
    if problems:
        raise InvalidValue(where, problems)
    versions = [p.version for p in values["partials"]]
    if len(set(versions)) != len(versions):
        raise InvalidValue(where, ["staging.partials: each previous version may appear once"])
    later = [problem for problem in (partial_problem(v, version, family) for v in versions) if problem]
    if later:
        raise InvalidValue(where, [f"staging.partials: {problem}" for problem in later])
    return StagingRelease(
        product=product,
        version=version,
        build_number=build_number,
        family=family,
        **values,
    )


def release_type(params, graph_config=None):
    """The release type ``by-release-type`` resolves against.

    On a staging graph it comes from the selected behaviour, never from the version.
    """
    if is_staging(params, graph_config) and params.get("staging") is not None:
        return staging_release(params, graph_config).release_type
    return params.get("release_type") or ""


def partials(params, graph_config=None):
    """The previous releases to build partial updates from, as :class:`Partial` objects.

    On a staging graph the staging block's ``partials`` win (each saying whether it
    lives in production or staging); otherwise ``partial_updates`` gives production
    partials, as the release-promotion action passes them.
    """
    if is_staging(params, graph_config) and params.get("staging") is not None:
        chosen = staging_release(params, graph_config).partials
        if chosen:
            return chosen
    family = product_family(params.get("release_product") or "firefox", graph_config)
    result = []
    for version, info in sorted((params.get("partial_updates") or {}).items()):
        data = dict(info or {}, version=version, source="production")
        result.append(Partial.from_dict(data, where=f"partial_updates.{version}", family=family))
    return tuple(result)


def release_repository(params, graph_config):
    """``(repository, revision)`` of the push that holds the release's own files: the
    ``<prefix>head_repository`` and ``<prefix>head_rev`` parameters, where the prefix is
    ``staging-release.release-repository-prefix``, else taskgraph's
    ``project-repo-param-prefix`` (comm's ``comm_``), else none (``head_repository``)."""
    config = staging_config(graph_config)
    prefix = config.get("release-repository-prefix")
    if prefix is None:
        prefix = graph_config.get("project-repo-param-prefix", "") if graph_config is not None else ""
    names = (f"{prefix}head_repository", f"{prefix}head_rev")
    missing = [n for n in names if not params.get(n)]
    if missing:
        raise InvalidValue(
            "parameters",
            [f"{', '.join(missing)} missing: the release repository's parameters (prefix {prefix!r} from config.yml's "
             "staging-release.release-repository-prefix or project-repo-param-prefix)"],
        )
    return params[names[0]], params[names[1]]


def host_products(graph_config):
    """The shipping products a host releases, in config.yml's order:
    ``staging-release.products``, else the products of its ``release-promotion`` flavors
    (empty if it names none)."""
    products = list(staging_config(graph_config).get("products") or {})
    if not products and graph_config is not None:
        flavors = (graph_config.get("release-promotion") or {}).get("flavors") or {}
        products = [f["product"] for f in flavors.values() if f.get("product")]
    return tuple(dict.fromkeys(products))


def check_host_config(graph_config):
    """What config.yml must give the extension, checked when it registers: one line
    naming the key and what to put there."""

    scriptworker = graph_config.get("scriptworker") or {}
    if not isinstance(scriptworker, dict) or not isinstance(scriptworker.get("scope-prefix"), str):
        raise ConfigError(
            "scriptworker.scope-prefix missing: set it to the prefix of your scriptworker scopes, e.g. project:releng",
            where="config.yml",
        )
    prefix = staging_config(graph_config).get("release-repository-prefix")
    if prefix is not None and not isinstance(prefix, str):
        raise ConfigError(
            "staging-release.release-repository-prefix must be the prefix of the release repository's parameters, "
            f"e.g. comm_ (not {prefix!r})",
            where="config.yml",
        )
    products = staging_config(graph_config).get("products")
    if products is not None and not isinstance(products, dict):
        raise ConfigError(
            "staging-release.products must map each product name to its settings, e.g. thunderbird: {family: desktop}",
            where="config.yml",
        )
