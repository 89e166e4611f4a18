"""From a release engineer's choices to the release parameters: one path for
``plan`` and ``push`` (and so for ``mach try release``).

Every choice is checked at once; :func:`release_parameters` raises one
:class:`~taskgraph_staging.model.errors.InvalidValue` listing every problem, each naming the
option at fault.
"""

from dataclasses import dataclass, field
from typing import Optional

from .errors import InvalidValue, StagingError
from .parameters import product_family, staging_release
from .release import MAX_BUILD_NUMBER, Behavior, Namespace, Partial, Services, parse_build_number, parse_version, partial_problem
from .versions import app_version, default_partials, next_version


@dataclass(frozen=True)
class ReleaseChoices:
    """The release a staging release engineer asked for, as given."""

    version: str
    product: str = "firefox"
    build_number: object = 1
    behavior: Optional[str] = None
    namespace: Optional[str] = None
    #: ``VERSION:BUILD[:production|staging]`` texts; none means :func:`default_partials`.
    partials: tuple = ()
    #: The services block (``--services FILE``), or None for the defaults.
    services: Optional[dict] = None
    #: A library reservation's ``staging`` block: ``namespace``, ``services``, ``reservation``.
    reservation: Optional[dict] = field(default=None)


def release_parameters(choices, graph_config, user, problems=None):
    """The release parameters ``choices`` make: version, app and next version, build
    number, product, release type and the ``staging`` block.

    ``user`` (an email address or login) names the default namespace. Problems are
    appended to ``problems`` when given (the caller raises), else raised here.
    """
    own = problems is None
    problems = [] if own else problems
    before = len(problems)

    def check(fn):
        try:
            return fn()
        except StagingError as e:
            problems.append(str(e))
            return None

    family = product_family(choices.product, graph_config)
    version = check(lambda: parse_version(choices.version, family, where="--version"))
    build_number = parse_build_number(choices.build_number)
    if build_number is None:
        problems.append(f"--build-number: {choices.build_number!r} must be a whole number from 1 to {MAX_BUILD_NUMBER}")
    behavior = check(lambda: Behavior.parse(choices.behavior, where="--behavior")) if choices.behavior else None
    problem = behavior.version_problem(version, family, choices.product) if behavior and version is not None else None
    if problem:
        problems.append(f"--behavior: {problem}")
    reservation = choices.reservation or {}
    namespace = check(lambda: _namespace(choices.namespace, reservation.get("namespace"), user))
    partials = [check(lambda p=p: Partial.parse(p, where=f"--partial {p}", family=family)) for p in choices.partials]
    for text, partial in zip(choices.partials, partials):
        problem = partial_problem(partial.version, str(version), family) if partial and version is not None else None
        if problem:
            problems.append(f"--partial {text}: {problem}")
    versions = [p.version for p in partials if p is not None]
    if len(set(versions)) != len(versions):
        problems.append("--partial: each previous version may be given once")
    if choices.services is not None and reservation.get("services") is not None:
        problems.append("--services: a reservation brings its own services; give --services or --reservation, not both")
    where = "--services" if choices.services is not None else "--reservation"
    services = check(lambda: Services.from_dict(choices.services or reservation.get("services") or {}, where=where))
    if len(problems) > before:
        if own:
            raise InvalidValue(None, problems)
        return None

    if behavior is None:
        behavior = Behavior.from_version(str(version), family)
    if not choices.partials:  # the release just before this one, in production
        partials = list(default_partials(str(version), family))
    params = {
        "release_product": choices.product,
        "version": str(version),
        "app_version": app_version(str(version), family),
        "next_version": next_version(str(version), family),
        "build_number": build_number,
        "staging": {
            "namespace": str(namespace),
            "behavior": str(behavior),
            "partials": [p.to_dict() for p in partials],
            "services": services.to_dict(),
            "reservation": reservation.get("reservation"),
        },
    }
    # The release as the decision task will read it: what only the whole release can
    # refuse (an Android esr) fails here too, before anything happens.
    try:
        params["release_type"] = staging_release(params, graph_config).release_type
    except InvalidValue as e:
        problems.append(str(e))
        if own:
            raise InvalidValue(None, problems)
        return None
    return params


def _namespace(given, reserved, user):
    if given and reserved and given != reserved:
        raise InvalidValue(
            "--namespace", [f"{given!r} differs from the reservation's namespace {reserved!r}; leave --namespace out"]
        )
    if given or reserved:
        return Namespace.parse(given or reserved, where="--namespace")
    return Namespace.from_user(user)
