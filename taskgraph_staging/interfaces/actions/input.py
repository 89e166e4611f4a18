"""The staging release-promotion action's input: its JSON schema and its validation.

The schema is what ``actions.json`` carries and what Treeherder draws the form from.
Neither Treeherder nor ``taskgraph test-action-callback`` validate the input against
it, so :func:`validate_input` does, then parses each release identifier through
:mod:`taskgraph_staging.model.release`. Every problem is reported at once, each prefixed
with the input field it concerns. Pure: no I/O.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Optional

from taskgraph_staging.model.errors import ConfigError, InvalidValue
from taskgraph_staging.model.parameters import product_family
from taskgraph_staging.model.release import BEHAVIORS, MAX_BUILD_NUMBER, PARTIAL_SOURCES, Behavior, Namespace, Partial, parse_version

#: A Taskcluster taskId (a slugid).
TASK_ID_PATTERN = r"^[A-Za-z0-9_-]{22}$"


class InvalidInput(InvalidValue):
    """The action input is wrong; ``fields`` names the input fields concerned."""

    def __init__(self, problems):
        self.fields = sorted({field for field, _ in problems})
        super().__init__("action input", [f"{field}: {problem}" for field, problem in problems])


@dataclass(frozen=True)
class Flavor:
    """One ``release-promotion.flavors`` entry of the host's config.yml."""

    name: str
    product: str
    target_tasks_method: str
    is_rc: bool = False
    version_bump: bool = False
    partial_updates: bool = False
    partner_repack: bool = False
    partner_attribution: bool = False
    rebuild_kinds: tuple = ()
    do_not_optimize: tuple = ()

    @classmethod
    def from_config(cls, name, config, default_rebuild_kinds=()):
        product = config.get("product") or "firefox"
        try:
            # {project} stays for the callback to fill from the push, as mozilla-taskgraph does.
            method = config["target-tasks-method"].format(product=product, project="{project}")
        except KeyError:
            raise ConfigError(
                "has no target-tasks-method; name the target-task method this flavor runs",
                where=f"config.yml release-promotion.flavors.{name}",
            )
        return cls(
            name=name,
            product=product,
            target_tasks_method=method,
            is_rc=bool(config.get("is-rc")),
            version_bump=bool(config.get("version-bump")),
            partial_updates=bool(config.get("partial-updates")),
            partner_repack=bool(config.get("partner-repack", "partner_repack" in name)),
            partner_attribution=bool(config.get("partner-attribution", "partner_attribution" in name)),
            rebuild_kinds=tuple(config.get("rebuild-kinds", default_rebuild_kinds)),
            do_not_optimize=tuple(config.get("do-not-optimize", ())),
        )


def flavors(graph_config):
    """The host's release-promotion flavors, by name."""
    section = graph_config.get("release-promotion") or {}
    configured = section.get("flavors") or {}
    if not configured:
        raise ConfigError(
            "has no flavors; list the phases (promote_<product>, push_<product>, ...) the action runs",
            where="config.yml release-promotion",
        )
    default_rebuild = tuple(section.get("rebuild-kinds", ()))
    return {name: Flavor.from_config(name, cfg or {}, default_rebuild) for name, cfg in sorted(configured.items())}


def phase_flavor(graph_config, product, phase, rc=False):
    """The flavor that runs ``phase`` of ``product`` (its RC form if ``rc``), not a partner
    flavor; None if the config has none. Flavors share target methods (``promote_desktop``),
    so a phase's flavor is told by its product, phase and RC flag."""
    for name, flavor in flavors(graph_config).items():
        if (
            name.split("_", 1)[0] == phase
            and flavor.product == product
            and flavor.is_rc == rc
            and not (flavor.partner_repack or flavor.partner_attribution)
        ):
            return flavor
    return None


def input_schema(graph_config):
    """The JSON schema of the action input (rendered into ``actions.json``)."""
    all_flavors = flavors(graph_config)
    bumping = sorted(name for name, flavor in all_flavors.items() if flavor.version_bump)
    string_list = {"type": "array", "items": {"type": "string", "minLength": 1}, "uniqueItems": True}
    schema = {
        "type": "object",
        "title": "Staging release promotion",
        "properties": {
            "release_promotion_flavor": {
                "type": "string",
                "title": "Flavor",
                "description": "The phase of the staging release to run.",
                "enum": sorted(all_flavors),
            },
            "build_number": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_BUILD_NUMBER,
                "default": 1,
                "title": "Build number",
                "description": "The release build number: 1 per version, incremented on rebuild.",
            },
            "version": {
                "type": "string",
                "default": "",
                "title": "Version",
                "description": "The release version; empty keeps the version of the first previous graph.",
            },
            "next_version": {
                "type": "string",
                "default": "",
                "title": "Next version",
                "description": f"The version to bump to. Required by the flavors {', '.join(bumping) or '(none)'}.",
            },
            "partial_updates": {
                "type": "object",
                "default": {},
                "title": "Partial updates",
                "description": "Previous releases to build partial updates from, by version.",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "buildNumber": {"type": "integer", "minimum": 1},
                        "locales": string_list,
                        "source": {"type": "string", "enum": list(PARTIAL_SOURCES), "default": "production"},
                    },
                    "required": ["buildNumber"],
                    "additionalProperties": False,
                },
            },
            "behavior": {
                "type": "string",
                "enum": list(BEHAVIORS),
                "title": "Behaviour",
                "description": (
                    "How the release automation behaves, whatever the version. Default: the first "
                    "previous graph's behaviour; release-rc for RC flavors."
                ),
            },
            "namespace": {
                "type": "string",
                "title": "Namespace",
                "description": "The staging namespace; default: the first previous graph's namespace.",
            },
            "reservation": {
                "type": "string",
                "title": "Library reservation",
                "description": (
                    "Optional: a library reservation whose dedicated services, worker pools and "
                    "namespace this phase uses (read from config.yml's staging-release.library-registry)."
                ),
            },
            "release_eta": {
                # Ship-it sends null when its release has no ETA.
                "type": ["string", "null"],
                "default": "",
                "title": "Release ETA",
                "description": "When the release should be scheduled in Balrog (ISO 8601); empty for at once.",
            },
            "release_enable_partner_repack": {"type": "boolean", "description": "Build partner repacks."},
            "release_enable_partner_attribution": {"type": "boolean", "description": "Build partner attributions."},
            "release_enable_emefree": {"type": "boolean", "description": "Build EME-free repacks."},
            "release_partners": dict(string_list, description="Only these partners (default: all)."),
            "release_partner_build_number": {"type": "integer", "minimum": 1, "default": 1},
            "release_partner_config": {"type": "object", "description": "Partner configuration to use."},
            "previous_graph_ids": dict(
                string_list,
                items={"type": "string", "pattern": TASK_ID_PATTERN},
                description=(
                    "taskIds of the decision or action tasks of the earlier graphs whose tasks this "
                    "phase reuses; default: this push's decision task."
                ),
            ),
            "rebuild_kinds": dict(
                string_list,
                # As gecko's form: the config's global rebuild-kinds; without the field, the flavor's.
                default=list((graph_config.get("release-promotion") or {}).get("rebuild-kinds", ())),
                description="Kinds not to reuse from the previous graphs (default: the flavor's).",
            ),
            "do_not_optimize": dict(string_list, description="Labels to run again even if they exist."),
        },
        "required": ["release_promotion_flavor", "build_number"],
        "additionalProperties": False,
    }
    if bumping:
        schema["allOf"] = [
            {
                "if": {
                    "required": ["release_promotion_flavor"],
                    "properties": {"release_promotion_flavor": {"enum": bumping}},
                },
                "then": {"required": ["next_version"], "properties": {"next_version": {"minLength": 1}}},
            }
        ]
    return schema


@dataclass(frozen=True)
class PromotionInput:
    """A validated action input."""

    flavor: Flavor
    build_number: int
    version: Optional[str] = None
    next_version: Optional[str] = None
    partials: Optional[tuple] = None
    #: Versions of ``partials`` whose ``source`` the input names; the others take the
    #: push's source for the same version (Ship-it sends no source).
    partial_sources: frozenset = frozenset()
    behavior: Optional[Behavior] = None
    namespace: Optional[Namespace] = None
    release_eta: Optional[str] = None
    #: A library reservation's staging block (namespace, services, reservation id).
    reservation: Optional[dict] = None
    partners: dict = field(default_factory=dict)
    previous_graph_ids: tuple = ()
    rebuild_kinds: tuple = ()
    do_not_optimize: tuple = ()


def _schema_problems(data, schema):
    # Imported here: register() imports this module for every graph; jsonschema takes ~1 s.
    import jsonschema

    validator = jsonschema.Draft7Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: (list(e.absolute_path), e.message)):
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required" and isinstance(error.instance, dict):
            missing = [name for name in error.validator_value if name not in error.instance]
            path += missing[:1]
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            path += extra[:1]
            problems.append((".".join(path) or "input", "is not a field of this action"))
            continue
        if path and path[-1] == "next_version" and error.validator in ("required", "minLength"):
            flavor = data.get("release_promotion_flavor")
            problems.append(("next_version", f"is required by the version-bumping flavor {flavor}; give the version to bump to"))
            continue
        problems.append((".".join(path) or "input", error.message))
    return sorted(set(problems))


def _reservation(reservation_id, graph_config):
    """The staging block of a library reservation, from the host's shared registry."""
    from taskgraph_staging.model.errors import StagingError
    from ..library import reservation_parameters  # late: only a reservation needs the library
    from taskgraph_staging.model.parameters import staging_config

    registry = staging_config(graph_config).get("library-registry")
    try:
        return reservation_parameters(reservation_id, registry_url=registry)
    except StagingError as e:
        raise InvalidValue("reservation", [e.one_line()])


def validate_input(data, graph_config):
    """Validate the action input; return a :class:`PromotionInput` or raise :class:`InvalidInput`."""
    if not isinstance(data, dict):
        raise InvalidInput([("input", f"must be an object, not {type(data).__name__}")])
    bad_keys = [key for key in data if not isinstance(key, str)]
    if bad_keys:
        raise InvalidInput([("input", f"key {bad_keys[0]!r} must be a string")])
    problems = _schema_problems(data, input_schema(graph_config))
    if isinstance(data.get("build_number"), float):  # JSON Schema's integer takes 1.0; a build number is not a float
        problems.append(("build_number", f"{data['build_number']!r} must be a whole number, not a float"))
    # Fields the schema already rejected are not parsed again; the others are, so
    # that every problem is reported at once.
    rejected = {field.split(".")[0] for field, _ in problems}
    data = {name: value for name, value in data.items() if name not in rejected}
    flavor = flavors(graph_config).get(data.get("release_promotion_flavor"))
    family = product_family(flavor.product if flavor else "firefox", graph_config)
    values = {}

    def parse(name, func):
        try:
            values[name] = func()
        except InvalidValue as e:
            problems.extend((e.where or name, p) for p in e.problems)

    if data.get("version"):
        parse("version", lambda: str(parse_version(data["version"], family, where="version")))
    if data.get("next_version"):
        parse("next_version", lambda: str(parse_version(data["next_version"], family, where="next_version")))
        if values.get("version") and values.get("next_version"):
            if parse_version(values["next_version"], family) <= parse_version(values["version"], family):
                problems.append(("next_version", f"{values['next_version']} must be later than version {values['version']}"))
    if "partial_updates" in data:
        parse(
            "partials",
            lambda: tuple(
                Partial.from_dict(dict(info, version=version), where=f"partial_updates.{version}", family=family)
                for version, info in sorted(data["partial_updates"].items())
            ),
        )
    if data.get("behavior"):
        parse("behavior", lambda: Behavior.parse(data["behavior"], where="behavior"))
        if flavor and flavor.is_rc and values.get("behavior") and not values["behavior"].is_rc:
            problems.append(("behavior", f"the RC flavor {flavor.name} needs release-rc, not {data['behavior']}"))
    if "namespace" in data:
        parse("namespace", lambda: Namespace.parse(data["namespace"], where="namespace"))
    if data.get("reservation"):
        parse("reservation", lambda: _reservation(data["reservation"], graph_config))
        block, chosen = values.get("reservation"), values.get("namespace")
        if block and chosen and str(chosen) != block["namespace"]:
            problems.append(("namespace", f"reservation {data['reservation']} uses namespace {block['namespace']!r}"))
    if data.get("release_eta"):
        try:
            # Ship-it's form sends JavaScript's toISOString(), ending in Z (UTC), which
            # fromisoformat reads only from Python 3.11.
            eta = data["release_eta"]
            datetime.fromisoformat(eta[:-1] + "+00:00" if eta.endswith("Z") else eta)
        except ValueError:
            problems.append(("release_eta", f"{data['release_eta']!r} is not an ISO 8601 date and time"))
    if problems:
        raise InvalidInput(problems)
    partners = {
        name: data[name]
        for name in (
            "release_enable_partner_repack",
            "release_enable_partner_attribution",
            "release_enable_emefree",
            "release_partners",
            "release_partner_build_number",
            "release_partner_config",
        )
        if name in data
    }
    # A partner flavor turns its partner flag on and the other partner flags off (as
    # gecko's action does), unless the input says otherwise; other flavors keep the
    # previous graph's flags unless the input gives them.
    if flavor.partner_repack or flavor.partner_attribution:
        partners.setdefault("release_enable_partner_repack", flavor.partner_repack)
        partners.setdefault("release_enable_partner_attribution", flavor.partner_attribution)
        partners.setdefault("release_enable_emefree", False)
    return PromotionInput(
        flavor=flavor,
        build_number=data["build_number"],
        version=values.get("version"),
        next_version=values.get("next_version"),
        partials=values.get("partials"),
        partial_sources=frozenset(
            version for version, info in (data.get("partial_updates") or {}).items() if "source" in info
        ),
        behavior=values.get("behavior"),
        namespace=values.get("namespace"),
        release_eta=data.get("release_eta") or None,
        reservation=values.get("reservation"),
        partners=partners,
        previous_graph_ids=tuple(data.get("previous_graph_ids", ())),
        rebuild_kinds=tuple(data.get("rebuild_kinds", flavor.rebuild_kinds)),
        do_not_optimize=tuple(data.get("do_not_optimize", flavor.do_not_optimize)),
    )
