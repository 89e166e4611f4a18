"""What ``push`` reads from the host's ``config.yml`` (``staging-release:``), validated.

Only the keys ``push`` uses are described here; other parts of the section belong to
other parts of the extension and pass through.
"""

from dataclasses import dataclass
from typing import Literal, Optional

from taskgraph.util.schema import Schema, SchemaValidationError, validate_schema

from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.parameters import DEFAULT_FAMILIES, staging_config

#: What a version file holds: the display version (121.0b3), the application
#: version (121.0 for 121.0b3, 115.5.0 for 115.5.0esr) or the milestone (as app-version).
VERSION_VALUES = ("version", "app-version", "milestone")
DEFAULT_TRY_REMOTE = "try"

VersionFile = Schema.from_dict(
    {
        # Path from the top of the repository.
        "path": str,
        # Which form of the version the file holds.
        "value": Literal[VERSION_VALUES],
    },
    name="VersionFile",
)

ProductSettings = Schema.from_dict(
    {
        "family": Optional[Literal["desktop", "android"]],
        # Files holding the product's version; the first one also gives the current version.
        "version-files": (list[VersionFile], []),
    },
    name="ProductSettings",
    forbid_unknown_fields=False,
)

Migration = Schema.from_dict(
    {
        # [path, old text, new text]; texts may use the format fields of
        # taskgraph_staging.interfaces.push.versions.format_fields.
        "replacements": (list[list[str]], []),
        # [path, regular expression, replacement].
        "regex-replacements": (list[list[str]], []),
    },
    name="Migration",
)

PushSettingsSchema = Schema.from_dict(
    {
        "products": (dict[str, ProductSettings], {}),
        "migrations": (dict[str, Migration], {}),
        # Locales file (one locale per line, paths from the top of the repository) and
        # the locales `push --limit-locales` trims it to.
        "locales-file": Optional[str],
        "limit-locales": (list[str], []),
        # Name or URL of the Try remote, and the git ref a push goes to
        # ({branch} and {namespace} are filled in).
        "try-remote": Optional[str],
        "try-ref": Optional[str],
    },
    name="PushSettings",
    forbid_unknown_fields=False,
)


@dataclass(frozen=True)
class ProductFiles:
    family: str
    #: ((path, value kind), ...) in config order.
    version_files: tuple


@dataclass(frozen=True)
class PushSettings:
    products: dict
    #: {name: {"replacements": [...], "regex-replacements": [...]}}
    migrations: dict
    locales_file: Optional[str]
    limit_locales: tuple
    try_remote: str
    try_ref: Optional[str]

    def product(self, name):
        if name not in self.products:
            known = ", ".join(sorted(self.products)) or "none"
            raise ConfigError(
                f"{name!r} is not a product of config.yml staging-release.products (known: {known}); "
                "pick one of them or add it there",
                where="--product",
            )
        return self.products[name]


def _triples(where, rows):
    for i, row in enumerate(rows):
        if len(row) != 3:
            raise ConfigError(f"entry {i} must be [path, old, new], not {row!r}", where=where)
    return [tuple(row) for row in rows]


def push_settings(graph_config):
    """The validated :class:`PushSettings` of a graph config."""
    section = dict(staging_config(graph_config))
    try:
        validate_schema(PushSettingsSchema, section, "config.yml staging-release:")
    except SchemaValidationError as e:
        raise ConfigError(" ".join(str(e).split())[:300], where="config.yml staging-release")
    products = {}
    for name, product in (section.get("products") or {}).items():
        family = product.get("family") or DEFAULT_FAMILIES.get(name, "desktop")
        files = tuple((f["path"], f["value"]) for f in product.get("version-files") or [])
        products[name] = ProductFiles(family=family, version_files=files)
    migrations = {}
    for name, migration in (section.get("migrations") or {}).items():
        where = f"config.yml staging-release.migrations.{name}"
        migrations[name] = {
            "replacements": _triples(f"{where}.replacements", migration.get("replacements") or []),
            "regex-replacements": _triples(f"{where}.regex-replacements", migration.get("regex-replacements") or []),
        }
    return PushSettings(
        products=products,
        migrations=migrations,
        locales_file=section.get("locales-file"),
        limit_locales=tuple(section.get("limit-locales") or ()),
        try_remote=section.get("try-remote") or DEFAULT_TRY_REMOTE,
        try_ref=section.get("try-ref"),
    )
