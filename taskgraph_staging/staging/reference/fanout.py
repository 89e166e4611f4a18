"""Fan a release task out over platforms, locales, partials and chunks, and wire it to its upstreams.

Every reference release kind runs these transforms first. A kind's task is keyed by its
shipping product (``firefox``, ``fenix``) and says which dimensions it fans out over; each
resulting task gets the release attributes (``shipping_phase``, ``shipping_product``, and
``build_platform``/``locale`` where they apply), dependencies on the matching tasks of its
upstream kinds, values resolved ``by-release-type`` (against
:func:`taskgraph_staging.model.parameters.release_type`), ``by-build-platform``, ``by-locale``,
``by-level``, ``by-project``, ``by-release-level`` (``staging`` on a staging graph, else
``production``) and ``by-beta-number`` (a beta's number, none otherwise), and ``{placeholder}`` values filled in (see
:func:`release_context`).

``worker.upstream-artifacts`` entries may name an upstream with ``from``: the entry is
repeated for every dependency of that upstream, with its ``taskId``; an entry whose
``paths`` resolve to none for a task (say ``by-build-platform`` with ``default: []``) is
left out of it.
"""

import copy
import itertools
import re
from typing import Literal, Optional, Union

from taskgraph.transforms.base import TransformSequence
from taskgraph.util.keyed_by import evaluate_keyed_by
from taskgraph.util.schema import Schema

from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.naming import production_candidates_dir
from taskgraph_staging.model.parameters import is_staging, partials, product_family, release_type
from taskgraph_staging.model.release import display_name
from taskgraph_staging.model.versions import release_app_version, release_next_version
from .platforms import DEFAULT_LOCALE, PLATFORMS, locale_path, product_components, product_platforms, shipped_locales

#: Attributes compared between a task and its upstream tasks by default (when both have them).
DEFAULT_MATCH = ("build_platform", "locale", "partial_version", "component")


class FanOutSchema(Schema):
    # One task per build platform of the product (true), or per listed platform the
    # product builds (the real tree's only-for-build-platforms).
    platforms: Union[bool, list[str]] = False
    # One task per shipped locale (true: en-US included; l10n: the other locales only);
    # desktop products only.
    locales: Union[bool, Literal["l10n"]] = False
    # One task per previous release in the graph's partials.
    partials: bool = False
    # One task per chunk, 1..chunks.
    chunks: Optional[int] = None
    # One task per android-component the product publishes (the real tree's
    # group-by component); android products only.
    components: bool = False


class UpstreamSchema(Schema):
    # Kinds (listed in kind-dependencies) whose tasks this upstream may be.
    kinds: list[str]
    # match: the matching tasks, at least one; optional: the matching tasks, maybe none;
    # all: every task of those kinds for the same product.
    mode: Literal["match", "optional", "all"] = "match"
    # Attributes that must be equal (when both tasks have them).
    match: Optional[list[str]] = None


class ReleaseTaskSchema(Schema, forbid_unknown_fields=False, kw_only=True):
    # Release phase: build, promote, push or ship.
    shipping_phase: Literal["build", "promote", "push", "ship"]
    # Shipping product; defaults to the task's name.
    shipping_product: Optional[str] = None
    # Dimensions this task fans out over.
    fan_out: Optional[FanOutSchema] = None
    # Upstreams by dependency name.
    upstream: Optional[dict[str, UpstreamSchema]] = None
    # Release types the task runs for (gecko's run-on-releases); default: every one.
    run_on_releases: Optional[list[str]] = None


transforms = TransformSequence()
transforms.add_validate(ReleaseTaskSchema)

_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")
#: Task fields whose strings may hold ``{placeholder}`` values.
FORMATTED_FIELDS = ("description", "worker-type", "worker", "run", "scopes", "treeherder", "extra", "label")


def fill(value, context):
    """``value`` with every ``{name}`` known to ``context`` replaced, recursively."""
    if isinstance(value, str):
        return _PLACEHOLDER.sub(lambda m: str(context[m.group(1)]) if m.group(1) in context else m.group(0), value)
    if isinstance(value, list):
        return [fill(v, context) for v in value]
    if isinstance(value, dict):
        return {fill(k, context): fill(v, context) for k, v in value.items()}
    return value


def resolve_all(value, item_name, keys):
    """Resolve every ``by-*`` dict inside ``value`` against ``keys``."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)).startswith("by-"):
            return resolve_all(evaluate_keyed_by(value, item_name, keys), item_name, keys)
        return {k: resolve_all(v, item_name, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_all(v, item_name, keys) for v in value]
    return value


#: Placeholders :func:`release_context` fills for every task of a product.
RELEASE_PLACEHOLDERS = frozenset({
    "product", "Product", "version", "app_version", "build_number", "next_version", "release_type", "candidates",
    "partial_versions", "major_version", "head_rev", "project", "head_repository", "partner_build_number",
})
#: Placeholders each fan-out dimension fills (see :func:`variants`).
FAN_OUT_PLACEHOLDERS = {
    "platforms": frozenset({"build_platform", "archive_platform", "balrog_platform", "package", "signed_package", "bouncer_os"}),
    "locales": frozenset({"locale", "locale_path"}),
    "partials": frozenset({"partial_version", "partial_build_number", "partial_index", "partial_candidates"}),
    "chunks": frozenset({"chunk", "total_chunks"}),
    "components": frozenset({"component"}),
}


def placeholder_names():
    """Every ``{name}`` these transforms fill: one left in a finished task was not filled."""
    return RELEASE_PLACEHOLDERS.union(*FAN_OUT_PLACEHOLDERS.values())


def release_context(config, product, chosen):
    """Placeholder values shared by every task of a product (``chosen``: the graph's partials)."""
    params = config.params
    version = params.get("version") or ""
    build_number = params.get("build_number") or 1
    return {
        "product": product,
        "Product": display_name(product),
        "version": version,
        "app_version": release_app_version(params, product_family(product, config.graph_config)),
        "build_number": build_number,
        "next_version": release_next_version(params, product_family(product, config.graph_config)) or "",
        "release_type": release_type(params, config.graph_config),
        "candidates": production_candidates_dir(product, version, build_number),
        "partial_versions": ",".join(f"{p.version}build{p.build_number}" for p in chosen),
        "major_version": version.split(".", 1)[0],
        "head_rev": params["head_rev"],
        "project": params["project"],
        "head_repository": params["head_repository"],
        # The partner repacks' upload directory v<N> (release_partner_build_number).
        "partner_build_number": params.get("release_partner_build_number") or 1,
    }


def variants(config, task, product, chosen):
    """Every (attributes, extra placeholders) combination of the task's fan-out
    (``chosen``: the graph's partials, parsed once per kind)."""
    fan = task.get("fan-out") or {}
    combos = [({}, {})]
    if fan.get("platforms"):
        combos = [
            (dict(a, build_platform=p), dict(c, build_platform=p, archive_platform=PLATFORMS[p].archive,
                                              balrog_platform=PLATFORMS[p].balrog, package=PLATFORMS[p].package, signed_package=PLATFORMS[p].signed_package,
                                              bouncer_os=PLATFORMS[p].bouncer))
            for a, c in combos
            for p in product_platforms(config.graph_config, product)
            if fan["platforms"] is True or p in fan["platforms"]
        ]
    if fan.get("locales"):
        locales = shipped_locales(config.graph_config) if product_family(product, config.graph_config) == "desktop" else [DEFAULT_LOCALE]
        if fan["locales"] == "l10n":
            locales = [loc for loc in locales if loc != DEFAULT_LOCALE]
        combos = [
            (dict(a, locale=loc), dict(c, locale=loc, locale_path=locale_path(loc)))
            for a, c in combos
            for loc in locales
        ]
    if fan.get("partials"):
        combos = [
            (dict(a, partial_version=p.version),
             dict(c, partial_version=p.version, partial_build_number=p.build_number, partial_index=i,
                  partial_candidates=production_candidates_dir(product, p.version, p.build_number)))
            for a, c in combos
            for i, p in enumerate(chosen, 1)
        ]
    if fan.get("components"):
        combos = [
            (dict(a, component=name), dict(c, component=name))
            for a, c in combos
            for name in product_components(config.graph_config, product)
        ]
    if fan.get("chunks"):
        total = fan["chunks"]
        combos = [
            (dict(a, chunk=n), dict(c, chunk=n, total_chunks=total))
            for a, c in combos
            for n in range(1, total + 1)
        ]
    return combos


def make_label(kind, product, attributes):
    parts = [kind, product]
    for key in ("build_platform", "locale", "component"):
        if key in attributes:
            parts.append(attributes[key])
    if "partial_version" in attributes:
        parts.append(f"from-{attributes['partial_version']}")
    if "chunk" in attributes:
        parts.append(str(attributes["chunk"]))
    return "-".join(parts)


_ABSENT = object()


class UpstreamIndex:
    """The tasks of a kind's kind-dependencies, indexed for :func:`find_upstreams`.

    By kind and shipping product, then by the values of the compared attributes, so a
    kind of thousands of tasks finds each task's upstreams without scanning every
    upstream task for each of them.
    """

    def __init__(self, tasks):
        self._groups = {}
        for task in tasks:
            self._groups.setdefault((task.kind, task.attributes.get("shipping_product")), []).append(task)
        self._tables = {}

    def candidates(self, kinds, product):
        """Every task of ``kinds`` for ``product``."""
        return [task for kind in kinds for task in self._groups.get((kind, product), ())]

    def matching(self, kinds, product, compared, attributes):
        """The tasks of ``kinds`` for ``product`` whose ``compared`` attributes equal
        ``attributes``' wherever both have them."""
        keys = tuple(key for key in compared if key in attributes)
        try:
            wanted = [(attributes[key], _ABSENT) for key in keys]
            table = self._table(tuple(kinds), product, keys)
            return [task for signature in itertools.product(*wanted) for task in table.get(signature, ())]
        except TypeError:  # an unhashable attribute value: compare one by one
            return [
                task for task in self.candidates(kinds, product)
                if not any(key in task.attributes and attributes[key] != task.attributes[key] for key in keys)
            ]

    def _table(self, kinds, product, keys):
        table = self._tables.get((kinds, product, keys))
        if table is None:
            table = {}
            for task in self.candidates(kinds, product):
                table.setdefault(tuple(task.attributes.get(key, _ABSENT) for key in keys), []).append(task)
            self._tables[(kinds, product, keys)] = table
        return table


def find_upstreams(config, label, product, attributes, name, spec, index=None):
    """``{dependency name: upstream task}`` for one upstream of a task.

    ``index``: an :class:`UpstreamIndex` of ``config.kind_dependencies_tasks`` (built
    here when not given; :func:`fan_out` builds one per kind).
    """
    if index is None:
        index = UpstreamIndex(config.kind_dependencies_tasks.values())
    compared = DEFAULT_MATCH if spec.get("match") is None else spec["match"]
    if spec.get("mode") == "all":
        found = index.candidates(spec["kinds"], product)
    else:
        found = index.matching(spec["kinds"], product, compared, attributes)
    if not found and spec.get("mode", "match") != "optional":
        raise ConfigError(
            f"task {label}: upstream {name!r} matches no task of kind(s) {', '.join(spec['kinds'])}; "
            "add the kind to kind-dependencies or relax its mode/match",
            where=f"kind {config.kind}",
        )
    if len(found) == 1:
        return {name: found[0]}
    return {f"{name}-{t.label}": t for t in sorted(found, key=lambda t: t.label)}


def expand_upstream_artifacts(entries, deps, context):
    """Repeat each ``from`` entry for every dependency of that upstream."""
    result = []
    for entry in entries:
        source = entry.get("from")
        if source is None:
            result.append(entry)
            continue
        for key, upstream in deps.get(source, {}).items():
            item = {k: v for k, v in entry.items() if k != "from"}
            dep_context = dict(context, **{k: v for k, v in upstream.attributes.items() if isinstance(v, (str, int))})
            if "locale" in upstream.attributes:
                dep_context["locale_path"] = locale_path(upstream.attributes["locale"])
            item["paths"] = fill(entry["paths"], dep_context)
            if not item["paths"]:
                continue  # an entry for some platforms only (``paths`` resolved to none here)
            item["taskId"] = {"task-reference": f"<{key}>"}
            if "locale" in upstream.attributes and "locale" not in item:
                item["locale"] = upstream.attributes["locale"]
            result.append(item)
    return result


def beta_number_of(version):
    """A beta's number as ``by-beta-number`` reads it (``"3"`` for ``121.0b3``), else None
    (gecko's balrog payload builder's rule)."""
    return version.split("b")[-1] if "b" in version else None


@transforms.add
def fan_out(config, tasks):
    index = None
    # Parsed once per kind, not once per fan-out combination (a production graph's
    # partial_updates are re-parsed on every call of partials()).
    chosen = partials(config.params, config.graph_config)
    contexts = {}
    release_level = "staging" if is_staging(config.params, config.graph_config) else "production"
    beta_number = beta_number_of(config.params.get("version") or "")
    for task in tasks:
        if index is None:
            index = UpstreamIndex(config.kind_dependencies_tasks.values())
        product = task.pop("shipping-product", None) or task["name"]
        base_context = contexts.get(product)
        if base_context is None:
            base_context = contexts[product] = release_context(config, product, chosen)
        run_on = task.pop("run-on-releases", None)
        if run_on is not None and base_context["release_type"] not in run_on:
            continue
        for attributes, extra in variants(config, task, product, chosen):
            # The formatted fields are rebuilt below (fill returns new containers); copy the rest.
            new = {k: v if k in FORMATTED_FIELDS else copy.deepcopy(v) for k, v in task.items()}
            new.pop("fan-out", None)
            upstream_specs = new.pop("upstream", None) or {}
            context = dict(base_context, **extra)
            label = new.get("label") or make_label(config.kind, product, attributes)
            keys = {
                "release-type": context["release_type"],
                "build-platform": attributes.get("build_platform", ""),
                "locale": attributes.get("locale", ""),
                "level": str(config.params["level"]),
                "project": config.params["project"],
                "release-level": release_level,
                "product": product,
                "beta-number": beta_number,
            }
            for field in FORMATTED_FIELDS:
                if field in new:
                    new[field] = fill(resolve_all(new[field], label, keys), context)
            new["label"] = label
            new.pop("name", None)
            new_attributes = new.setdefault("attributes", {})
            new_attributes.update(attributes)
            new_attributes["shipping_phase"] = new["shipping-phase"]
            new_attributes["shipping_product"] = product
            # The kind's own attributes (e.g. a linux64-only task's build_platform) match
            # upstreams as the fanned-out ones do.
            grouped = {}
            for name, spec in upstream_specs.items():
                grouped[name] = find_upstreams(config, label, product, new_attributes, name, spec, index)
            deps = new.setdefault("dependencies", {})
            for found in grouped.values():
                deps.update({key: t.label for key, t in found.items()})
            worker = new.get("worker", {})
            if "upstream-artifacts" in worker:
                worker["upstream-artifacts"] = expand_upstream_artifacts(worker["upstream-artifacts"], grouped, context)
            yield new
