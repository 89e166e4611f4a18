"""The staging release-promotion action: run one phase of a staging release from Treeherder.

It is mozilla-taskgraph's ``release-promotion`` action made for staging releases:
the same flavors (``release-promotion.flavors`` of config.yml), the same reuse of the
earlier graphs' tasks through ``existing_tasks``, plus the staging choices
(behaviour, namespace, partials and where each lives) in its form. Its input is
validated before anything is read or created (:mod:`.input`).

Where it is shown, it is *the* ``release-promotion`` action (:data:`ACTION_NAME`), so
the staging Ship-it starts it with its own input: the staging choices Ship-it never
sends come from the push's decision parameters, and an input contradicting them is
refused (see :func:`promotion_parameters`).

Where it is shown (``staging-release`` section of config.yml):

``actions``
    ``false`` turns the action off; absent or ``true`` leaves it on.
``staging-projects``
    Projects besides ``try-projects`` on which the action is shown.
``actions-on-production``
    ``true`` shows it on those projects' production-level (level 3) pushes too;
    by default it is never shown on, and refuses to run for, a production-level push.
"""

import logging
from dataclasses import dataclass, replace

from taskgraph.actions import registry
from taskgraph.decision import taskgraph_decision
from taskgraph.parameters import Parameters
from taskgraph.target_tasks import get_method

from taskgraph_staging.model.errors import ConfigError, StagingError
from taskgraph_staging.model.parameters import is_staging, product_family, staging_config, staging_release, try_projects
from taskgraph_staging.model.production import PRODUCTION_LEVEL
from taskgraph_staging.model.release import Behavior, Namespace
from .input import InvalidInput, input_schema, validate_input
from .previous import fetch_previous_graphs

logger = logging.getLogger(__name__)

#: The name user interfaces look the action up by. Ship-it starts each phase through
#: the first ``release-promotion`` entry of the push's ``actions.json`` (and the actions
#: spec says the first entry of a name wins), so on a push where this action is offered
#: it comes before the host's own ``release-promotion`` (:data:`ORDER`) and Ship-it's
#: staging instance starts it unchanged.
ACTION_NAME = "release-promotion"
#: The callback's own name (taskgraph's ``cb_name``): what ``taskgraph
#: test-action-callback`` and the action task run.
CALLBACK_NAME = "staging-release-promotion"
#: Before mozilla-taskgraph's and gecko's ``release-promotion`` (order 500).
ORDER = 499


@dataclass(frozen=True)
class ActionSettings:
    """Where the action is offered, from the host's ``staging-release`` config."""

    enabled: bool = True
    try_projects: tuple = ()
    staging_projects: tuple = ()
    on_production: bool = False

    @classmethod
    def from_config(cls, graph_config):
        config = staging_config(graph_config)
        problems = []
        values = {}
        for key, name in (("actions", "enabled"), ("actions-on-production", "on_production")):
            value = config.get(key, cls.__dataclass_fields__[name].default)
            if not isinstance(value, bool):
                problems.append(f"{key} must be true or false, not {value!r}")
            values[name] = bool(value)
        staging_projects = config.get("staging-projects", [])
        if not isinstance(staging_projects, list) or not all(isinstance(p, str) for p in staging_projects):
            problems.append("staging-projects must be a list of project names")
            staging_projects = []
        if problems:
            raise ConfigError("; ".join(problems), where="config.yml staging-release")
        return cls(try_projects=try_projects(graph_config), staging_projects=tuple(staging_projects), **values)

    def unavailable_reason(self, parameters):
        """Why the action is not offered for a push with these parameters, or None."""
        if not self.enabled:
            return "config.yml sets staging-release.actions to false"
        project = parameters["project"]
        if project not in self.try_projects + self.staging_projects:
            return (
                f"project {project} is neither a try project nor one of staging-release.staging-projects"
            )
        if str(parameters["level"]) == PRODUCTION_LEVEL and not self.on_production:
            return (
                f"the push is production-level (level {PRODUCTION_LEVEL}); set "
                "staging-release.actions-on-production to offer it there"
            )
        return None


#: Settings of the root registered last: ``available`` only receives parameters.
_current = {"settings": ActionSettings(enabled=False)}


def _available(parameters):
    return _current["settings"].unavailable_reason(parameters) is None


def _with_pushed_sources(choice, pushed):
    """The input's partials, each without a ``source`` taking the push's for its version.

    Ship-it's ``partial_updates`` name no source: a previous release the push builds
    its partial from in staging stays in staging. The same version at another build
    number than the push's contradicts the push; that is refused, not guessed.
    """
    by_version = {p["version"]: p for p in pushed}
    result, problems = [], []
    for partial in choice.partials:
        known = by_version.get(partial.version)
        if known is None or partial.version in choice.partial_sources:
            result.append(partial)
            continue
        source = known.get("source", "production")
        if known["build_number"] != partial.build_number:
            problems.append(
                (
                    f"partial_updates.{partial.version}",
                    f"build {partial.build_number} contradicts this push's staging release, which builds its "
                    f"partial from {partial.version} build {known['build_number']} ({source}); give that build, "
                    "or a source to override the push",
                )
            )
            continue
        result.append(replace(partial, source=source, locales=partial.locales or tuple(known.get("locales") or ()) or None))
    if problems:
        raise InvalidInput(problems)
    return tuple(result)


def promotion_parameters(previous, push_parameters, choice, existing_tasks, graph_config):
    """The parameters of the phase's graph: the first previous graph's, with the choices applied.

    A staging choice the input lacks (Ship-it's input has none) is the first previous
    graph's, the push's. Raises :class:`~.input.InvalidInput` where the input
    contradicts a push that chose its staging release: another version, another
    namespace than its reservation's, an RC flavor on a push behaving as beta or esr,
    or a partial version at another build number.

    Pure. ``previous`` is that graph's ``parameters.yml``, ``choice`` a validated
    :class:`~.input.PromotionInput`, ``existing_tasks`` the label -> taskId to reuse.
    """
    flavor = choice.flavor
    family = product_family(flavor.product, graph_config)
    params = dict(previous)
    params.update(
        # The revision this action was fired from, so the new tasks show on its push.
        head_rev=push_parameters["head_rev"],
        existing_tasks=dict(existing_tasks),
        do_not_optimize=list(choice.do_not_optimize),
        target_tasks_method=flavor.target_tasks_method.format(project=push_parameters["project"]),
        optimize_target_tasks=True,
        shipping_phase=flavor.name,
        tasks_for="action",
        build_number=choice.build_number,
        release_product=flavor.product,
    )
    if choice.version and (previous.get("staging") or {}).get("behavior") and choice.version != previous.get("version"):
        # The push chose its staging release (its behaviour and partials) for its version.
        raise InvalidInput(
            [
                (
                    "version",
                    f"{choice.version} contradicts this push's staging release, {previous.get('version')}, "
                    f"whose builds this phase reuses; give version {previous.get('version')}, or push {choice.version}",
                )
            ]
        )
    if choice.version:
        params["version"] = choice.version
    if choice.next_version:
        params["next_version"] = choice.next_version
    if choice.release_eta:
        params["release_eta"] = choice.release_eta
    params.update(choice.partners)

    staging = dict(previous.get("staging") or {})
    if choice.reservation:
        staging.update(choice.reservation)
    elif choice.namespace:
        if staging.get("reservation") and str(choice.namespace) != staging.get("namespace"):
            # The reserved slot's services name their rules and channels with its namespace.
            raise InvalidInput(
                [
                    (
                        "namespace",
                        f"{choice.namespace} contradicts this push's reservation {staging['reservation']}, whose "
                        f"services use namespace {staging.get('namespace')}; leave namespace out, or give a reservation",
                    )
                ]
            )
        staging["namespace"] = str(choice.namespace)
    elif not staging.get("namespace"):
        staging["namespace"] = str(Namespace.from_user(params.get("owner")))
    pushed = staging.get("behavior")
    if choice.behavior:
        behavior = choice.behavior
    elif flavor.is_rc:
        if pushed in ("beta", "esr"):
            # Ship-it picks its RC phases from the version; the push chose the behaviour.
            raise InvalidInput(
                [
                    (
                        "release_promotion_flavor",
                        f"the RC flavor {flavor.name} contradicts this push's staging release, which behaves "
                        f"as {pushed}; run its non-RC flavors, or give behavior release-rc to override the push",
                    )
                ]
            )
        behavior = Behavior("release-rc")
    elif pushed:
        # After its RC phases, a release-rc release promotes, pushes and ships as a release.
        behavior = Behavior("release" if pushed == "release-rc" else pushed)
    else:
        behavior = Behavior.from_version(params["version"], family)
    staging["behavior"] = str(behavior)
    if choice.partials is not None:
        partials = _with_pushed_sources(choice, staging.get("partials") or [])
        staging["partials"] = [p.to_dict() for p in partials]
        params["partial_updates"] = {
            p.version: dict({"buildNumber": p.build_number}, **({"locales": list(p.locales)} if p.locales else {}))
            for p in partials
            if p.source == "production"
        }
    params["staging"] = staging
    params["release_type"] = behavior.release_type(params["version"], family)
    return params


def staging_release_promotion(parameters, graph_config, input, task_group_id, task_id):
    """Callback: validate the input, read the previous graphs, make and submit the phase's graph."""
    settings = ActionSettings.from_config(graph_config)
    reason = settings.unavailable_reason(parameters)
    if reason:
        raise StagingError(f"not available here: {reason}", where=f"action {CALLBACK_NAME}")
    choice = validate_input(input, graph_config)
    method = choice.flavor.target_tasks_method.format(project=parameters["project"])
    try:
        get_method(method)
    except KeyError:
        raise ConfigError(
            f"names target-tasks-method {method}, which no extension registers",
            where=f"config.yml release-promotion.flavors.{choice.flavor.name}",
        )
    previous = fetch_previous_graphs(parameters, graph_config, choice.previous_graph_ids)
    existing = previous.existing_tasks(choice.rebuild_kinds)
    params = promotion_parameters(previous.parameters, parameters, choice, existing, graph_config)
    if not is_staging(params, graph_config) and not settings.on_production:
        raise StagingError(
            f"the previous graph {previous.graph_ids[0]} is a production graph; "
            "run the production release-promotion action instead",
            where="input.previous_graph_ids",
        )
    release = staging_release(params, graph_config)
    logger.info(
        "Staging release %s %s build%s in namespace %s (%s): flavor %s, reusing %d tasks",
        release.product,
        release.version,
        release.build_number,
        release.namespace,
        release.behavior,
        choice.flavor.name,
        len(existing),
    )
    taskgraph_decision({"root": graph_config.root_dir}, parameters=Parameters(**params))


def enable(graph_config):
    """Offer the action for this root (idempotent: taskgraph refuses a callback twice)."""
    settings = ActionSettings.from_config(graph_config)
    _current["settings"] = settings
    if not settings.enabled or CALLBACK_NAME in registry.callbacks:
        return
    registry.register_callback_action(
        name=ACTION_NAME,
        cb_name=CALLBACK_NAME,
        title="Staging release promotion",
        symbol="${input.release_promotion_flavor}",
        description=(
            "Run one phase (promote, push, ship, their RC and partner forms) of this push's "
            "staging release, reusing the tasks of the earlier graphs. Choose the behaviour, "
            "namespace and partial updates of the staging release."
        ),
        permission="release-promotion",
        order=ORDER,
        context=[],
        available=_available,
        schema=input_schema,
    )(staging_release_promotion)
