"""The staging choices of a push, validated, and the ``try_task_config.json`` they make.

Pure: no VCS, no network (a library reservation is resolved by the caller and passed
in as a ``staging`` block).
"""

from dataclasses import dataclass, field
from typing import Optional

from ..errors import InvalidValue
from ..parameters import product_family, staging_release
from ..release import Behavior, Namespace, Partial, Services, parse_version
from ..versions import app_version, default_partials, next_version

#: ``--tasks`` choices and the target-tasks method each one runs on push.
TARGET_TASKS = {"staging": "staging_release_builds", "release-sim": "release_simulation"}
TRY_TASK_CONFIG = "try_task_config.json"


@dataclass(frozen=True)
class StagingChoices:
    """What the release engineer asked for, as given on the command line."""

    version: str
    product: str = "firefox"
    build_number: int = 1
    behavior: Optional[str] = None
    namespace: Optional[str] = None
    partials: tuple = ()
    #: The services block (from ``--services FILE``), or None for the defaults.
    services: Optional[dict] = None
    tasks: str = "staging"
    #: A library reservation's ``staging`` block: ``namespace``, ``services``, ``reservation``.
    reservation: Optional[dict] = field(default=None)


def staging_parameters(choices, graph_config, user):
    """The release parameters of a push, checked as the decision task will check them.

    ``user`` (an email address or login) names the default namespace. Returns the
    parameters dict; raises :class:`InvalidValue` naming the option at fault.
    """
    if choices.tasks not in TARGET_TASKS:
        raise InvalidValue("--tasks", [f"{choices.tasks!r} is not one of {', '.join(TARGET_TASKS)}"])
    family = product_family(choices.product, graph_config)
    version = parse_version(choices.version, family, where="--version")
    build_number = choices.build_number
    if not isinstance(build_number, int) or isinstance(build_number, bool) or build_number < 1:
        raise InvalidValue("--build-number", [f"{build_number!r} must be a whole number of 1 or more"])
    behavior = Behavior.parse(choices.behavior, where="--behavior") if choices.behavior else Behavior.from_version(str(version), family)
    reservation = choices.reservation or {}
    namespace = _namespace(choices.namespace, reservation.get("namespace"), user)
    partials = [Partial.parse(text, where=f"--partial {text}", family=family) for text in choices.partials]
    if not partials:  # as plan does: the release just before this one, in production
        partials = list(default_partials(str(version), family))
    versions = [p.version for p in partials]
    if len(set(versions)) != len(versions):
        raise InvalidValue("--partial", ["each previous version may be given once"])
    if choices.services is not None and reservation.get("services") is not None:
        raise InvalidValue("--services", ["a reservation brings its own services; give --services or --reservation, not both"])
    services_block = choices.services if choices.services is not None else reservation.get("services")
    services = Services.from_dict(services_block or {}, where="--services" if choices.services is not None else "services")
    staging = {
        "namespace": str(namespace),
        "behavior": str(behavior),
        "partials": [p.to_dict() for p in partials],
        "services": services.to_dict(),
        "reservation": reservation.get("reservation"),
    }
    params = {
        "target_tasks_method": TARGET_TASKS[choices.tasks],
        "optimize_target_tasks": True,
        "release_product": choices.product,
        "version": str(version),
        "app_version": app_version(str(version), family),
        "next_version": next_version(str(version), family),
        "build_number": build_number,
        "staging": staging,
    }
    # The release as the decision task will read it (parameters.staging_release), so what
    # only the whole release can refuse (an Android esr) fails before the checkout is touched.
    params["release_type"] = staging_release(params, graph_config).release_type
    return params


def _namespace(given, reserved, user):
    if given and reserved and given != reserved:
        raise InvalidValue("--namespace", [f"{given!r} differs from the reservation's namespace {reserved!r}; leave --namespace out"])
    if given or reserved:
        return Namespace.parse(given or reserved, where="--namespace")
    return Namespace.from_user(user)


def try_task_config(parameters, extra=None):
    """``try_task_config.json`` (version 2) applying ``parameters`` on top of ``extra``."""
    merged = dict(extra or {})
    merged.update(parameters)
    return {"version": 2, "parameters": merged}
