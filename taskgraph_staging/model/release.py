"""Release identifiers of a staging release, as frozen value objects.

Each class has a ``parse()`` that reports every violation at once by raising
:class:`~taskgraph_staging.model.errors.InvalidValue`. Pure logic: no I/O.
"""

import re
from dataclasses import dataclass, field
from typing import Optional
from urllib.parse import urlsplit

from mozilla_version.errors import PatternNotMatchedError
from mozilla_version.gecko import FirefoxVersion
from mozilla_version.mobile import MobileVersion

from .errors import InvalidValue

#: Words that may not be a namespace, nor any hyphen-separated segment of one.
#: They are the words production names are made of (channels, products, archive
#: directories, Bouncer suffixes), so that ``<namespace>-<production name>`` can
#: always be split back into its two parts: the namespace ends right before the
#: first reserved segment. That is what makes every namespaced name injective.
RESERVED_SEGMENTS = frozenset(
    """
    aurora beta build candidates cdntest complete default dep devedition esr
    fenix firefox focus langpack latest localtest mozilla msi msix nightly partial
    pkg prod production pub rc release releases ssl stage staging stub thunderbird
    try
    """.split()
)
#: Segment patterns reserved like the words above: production's per-major ESR names
#: (``esr115`` rule aliases and release types).
RESERVED_SEGMENT_PATTERN = re.compile(r"esr\d+")


def is_reserved_segment(segment):
    """Whether a hyphen-separated segment is one no namespace may hold."""
    return segment in RESERVED_SEGMENTS or bool(RESERVED_SEGMENT_PATTERN.fullmatch(segment))


NAMESPACE_MIN_LENGTH = 3
NAMESPACE_MAX_LENGTH = 24
_NAMESPACE_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")


@dataclass(frozen=True, order=True)
class Namespace:
    """A staging release's namespace: safe in DNS labels, bucket keys and Balrog names."""

    value: str

    @classmethod
    def parse(cls, text, where="namespace"):
        problems = []
        if not isinstance(text, str):
            raise InvalidValue(where, [f"must be a string, not {type(text).__name__}"])
        if not NAMESPACE_MIN_LENGTH <= len(text) <= NAMESPACE_MAX_LENGTH:
            problems.append(
                f"{text!r} must be {NAMESPACE_MIN_LENGTH} to {NAMESPACE_MAX_LENGTH} "
                f"characters long (it has {len(text)})"
            )
        if not _NAMESPACE_RE.match(text):
            problems.append(
                f"{text!r} may hold only lowercase letters, digits and single hyphens "
                "between them, and must start with a letter"
            )
        reserved = sorted({s for s in text.split("-") if is_reserved_segment(s)})
        if reserved:
            problems.append(
                f"{text!r} uses the reserved word(s) {', '.join(reserved)}, "
                "which production names are made of"
            )
        if problems:
            raise InvalidValue(where, problems)
        return cls(text)

    @classmethod
    def from_user(cls, user):
        """Derive a valid namespace from an email address or login name."""
        local = (user or "").split("@", 1)[0].lower()
        segments = [s for s in re.split(r"[^a-z0-9]+", local) if s]
        segments = [f"{s}x" if is_reserved_segment(s) else s for s in segments]
        text = "-".join(segments) or "anonymous"
        if not text[0].isalpha():
            text = f"u{text}"
        text = text[:NAMESPACE_MAX_LENGTH].rstrip("-")
        while len(text) < NAMESPACE_MIN_LENGTH:
            text += "x"
        return cls.parse(text, where="namespace (derived from the user)")

    def __str__(self):
        return self.value


#: Taskcluster refuses a route longer than 249 characters; the owner's notification
#: routes (``notify.email.<owner>.on-transition``, the longest status) must fit.
OWNER_MAX_LENGTH = 249 - len("notify.email.") - len(".on-transition")
#: An email address as Taskcluster notify sends to: a local part of at most 64
#: characters (RFC 5321) without whitespace, ``@`` or quotes, and a dotted host name.
_OWNER_RE = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z"
)


def parse_owner(text, where="owner"):
    """The push owner, an email address: the only recipient of a staging release's
    notifications, so it must be one notify can send to, in a route Taskcluster accepts."""
    if not isinstance(text, str):
        raise InvalidValue(where, [f"must be a string, not {type(text).__name__}"])
    shown = repr(text) if len(text) <= 60 else f"{text[:40]!r}... ({len(text)} characters)"
    if not _OWNER_RE.match(text):
        raise InvalidValue(where, [f"{shown} is not an email address (like alice@example.com); notifications go to the owner"])
    if len(text) > OWNER_MAX_LENGTH:
        raise InvalidValue(
            where, [f"{shown} is too long: an owner has at most {OWNER_MAX_LENGTH} characters, "
                    "so that its notification routes fit Taskcluster's 249"]
        )
    return text


#: Behaviours a staging release can take, independently of its version.
BEHAVIORS = ("beta", "release", "release-rc", "esr")
#: Products released on the beta train only, whatever their version.
BETA_ONLY_PRODUCTS = frozenset({"devedition"})

#: Version classes per product family, from mozilla-version.
VERSION_CLASSES = {"desktop": FirefoxVersion, "android": MobileVersion}

#: The locale every release builds, listed in a locales file or implied.
DEFAULT_LOCALE = "en-US"


#: No release's version holds a number this large; a larger one is a typo (and so is a
#: major version 0).
MAX_VERSION_NUMBER = 999
#: Builds of one version never come near this; a larger number is a typo.
MAX_BUILD_NUMBER = 999


def parse_version(text, family="desktop", where="version"):
    cls = VERSION_CLASSES[family]
    if not isinstance(text, str) or not text:
        raise InvalidValue(where, ["a version is required, for example 121.0b3"])
    examples = {"desktop": "121.0b3, 121.0, 121.0.1 or 115.5.0esr", "android": "121.0b3 or 121.0"}[family]
    invalid = f"{text!r} is not a valid {family} version; expected a version like {examples}"
    if not text.isascii():  # mozilla-version's \d takes any script's digits: '１２１.0' would be 121.0
        raise InvalidValue(where, [f"{invalid} (ASCII digits only)"])
    try:
        version = cls.parse(text)
    except (PatternNotMatchedError, ValueError):
        raise InvalidValue(where, [invalid]) from None
    if version.is_nightly:
        raise InvalidValue(where, [f"{text!r} is a nightly version; staging releases are beta, release or esr versions"])
    numbers = (version.minor_number, version.patch_number, getattr(version, "beta_number", None))
    if not 1 <= version.major_number <= MAX_VERSION_NUMBER or any(n is not None and n > MAX_VERSION_NUMBER for n in numbers):
        raise InvalidValue(
            where, [f"{text!r} is no release's version: its major version runs from 1 to {MAX_VERSION_NUMBER}, "
                    f"its other numbers up to {MAX_VERSION_NUMBER}"]
        )
    return version


def parse_build_number(value):
    """A build number: an int or ASCII digits, from 1 to :data:`MAX_BUILD_NUMBER`; None if it is not one."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= len(str(MAX_BUILD_NUMBER)):
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_BUILD_NUMBER:
        return value
    return None


def partial_problem(partial_version, version, family="desktop"):
    """Why a partial from ``partial_version`` cannot update to the release ``version``
    (both valid versions of ``family``), or None: a partial updates from an earlier release."""
    if parse_version(partial_version, family) >= parse_version(version, family):
        relation = "is" if partial_version == version else "is newer than"
        return f"{partial_version} {relation} the release {version}; a partial updates from an earlier release"
    return None


@dataclass(frozen=True)
class Behavior:
    """How the release automation behaves: beta, release, release-rc or esr."""

    value: str

    @classmethod
    def parse(cls, text, where="behavior"):
        if text not in BEHAVIORS:
            raise InvalidValue(where, [f"{text!r} is not one of {', '.join(BEHAVIORS)}"])
        return cls(text)

    @classmethod
    def from_version(cls, version, family="desktop"):
        """The behaviour production would take for this version (never RC)."""
        v = parse_version(str(version), family)
        if getattr(v, "is_esr", False):
            return cls("esr")
        if v.is_beta:
            return cls("beta")
        return cls("release")

    def version_problem(self, version, family="desktop", product="firefox"):
        """Why this behaviour cannot drive a release of ``version`` (a valid version of
        ``family``), or None. Behaviours are otherwise independent of the version, but ESR
        is a desktop train whose release type (``esr115``) names an ESR version's major,
        and Devedition is built from the beta repository only (its tasks run on beta
        releases only, ``run-on-releases: [beta]`` in the real tree)."""
        if product in BETA_ONLY_PRODUCTS and self.value != "beta":
            return (f"{product} ships from the beta repository only (the real tree runs its tasks on "
                    f"beta releases only); choose behaviour beta")
        if self.value != "esr":
            return None
        if family != "desktop":
            return f"{product} ({family}) has no ESR; choose beta, release or release-rc"
        if not parse_version(str(version), family).is_esr:
            return (f"esr needs an ESR version, like 115.5.0esr ({version} is not one); "
                    f"choose beta, release or release-rc for {version}")
        return None

    def release_type(self, version, family="desktop"):
        """The ``release_type`` parameter value: beta, release, release-rc, esrNNN."""
        if self.value == "esr":
            return f"esr{parse_version(str(version), family).major_number}"
        return self.value

    @property
    def channel(self):
        """The Balrog channel family this behaviour updates (release-rc ships to release)."""
        return {"release-rc": "release"}.get(self.value, self.value)

    @property
    def secondary_channels(self):
        """Channels the release also serves before it ships on its own: an RC goes to the
        beta channel first (the real tree's ``release-secondary-*`` kinds)."""
        return ("beta",) if self.is_rc else ()

    @property
    def is_rc(self):
        return self.value == "release-rc"

    def __str__(self):
        return self.value


PARTIAL_SOURCES = ("production", "staging")


@dataclass(frozen=True, order=True)
class Partial:
    """A previous release to generate partial updates from, and where it lives."""

    version: str
    build_number: int
    source: str = "production"
    locales: Optional[tuple] = None

    @classmethod
    def parse(cls, text, where="partial", family="desktop"):
        """Parse ``VERSION:BUILD[:production|staging]``."""
        if not isinstance(text, str):
            raise InvalidValue(where, [f"must be a string, not {type(text).__name__}"])
        parts = text.split(":")
        if len(parts) not in (2, 3):
            raise InvalidValue(where, [f"{text!r} must look like VERSION:BUILD[:production|staging], e.g. 120.0b9:1"])
        return cls.from_dict(
            {"version": parts[0], "build_number": parts[1], "source": parts[2] if len(parts) == 3 else "production"},
            where=where,
            family=family,
        )

    @classmethod
    def from_dict(cls, data, where="partial", family="desktop"):
        problems = []
        version = data.get("version")
        try:
            parse_version(version, family, where)
        except InvalidValue as e:
            problems.extend(e.problems)
        given = data.get("build_number", data.get("buildNumber"))
        build = parse_build_number(given)
        if build is None:
            problems.append(f"build number {given!r} must be a whole number from 1 to {MAX_BUILD_NUMBER}")
        source = data.get("source", "production")
        if source not in PARTIAL_SOURCES:
            problems.append(f"source {source!r} must be one of {', '.join(PARTIAL_SOURCES)}")
        locales = data.get("locales")
        if locales is not None and not (isinstance(locales, list) and all(isinstance(x, str) for x in locales)):
            problems.append("locales must be a list of locale codes")
        if problems:
            raise InvalidValue(where, problems)
        return cls(version, build, source, tuple(locales) if locales else None)

    def to_dict(self):
        d = {"version": self.version, "build_number": self.build_number, "source": self.source}
        if self.locales:
            d["locales"] = list(self.locales)
        return d

    def __str__(self):
        return f"{self.version}:{self.build_number}:{self.source}"


#: Today's shared staging endpoints (see shared/notes/release-domain.md).
DEFAULT_SERVICES = {
    "balrog_admin": "https://admin.stage.balrog.nonprod.webservices.mozgcp.net/api",
    "balrog_public": "https://stage.balrog.nonprod.cloudops.mozgcp.net",
    "bouncer_admin": "https://admin.dev.bouncer.nonprod.webservices.mozgcp.net/api",
    "bouncer_redirector": "https://dev.bouncer.nonprod.webservices.mozgcp.net",
    "archive_domain": "ftp.stage.mozaws.net",
    "archive_bucket": "net-mozaws-stage-delivery-firefox",
    "shipit": "https://api.shipit.staging.mozilla-releng.net",
}
URL_SERVICES = ("balrog_admin", "balrog_public", "bouncer_admin", "bouncer_redirector", "shipit")
#: Instance families a reserved slot can make dedicated to one staging release.
SERVICE_FAMILIES = ("archive", "balrog", "bouncer", "shipit")
_HOST_RE = re.compile(r"^(?=.{1,253}\Z)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?\Z")
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\Z")


def bucket_problem(value):
    """Why ``value`` is not a valid S3 bucket name (3-63 lowercase letters, digits, dots and
    hyphens, a letter or digit at each end, no ``..``), or None."""
    if not isinstance(value, str) or not _BUCKET_RE.match(value) or ".." in value:
        return (f"{value!r} is not a valid S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens, "
                "starting and ending with a letter or digit)")
    return None


@dataclass(frozen=True)
class Services:
    """The staging service instances a staging release writes to."""

    balrog_admin: str
    balrog_public: str
    bouncer_admin: str
    bouncer_redirector: str
    archive_domain: str
    archive_bucket: str
    shipit: str
    #: Families whose instances are dedicated to this release (a library slot), not shared.
    dedicated: tuple = ()
    #: Worker-pool overrides per family (``beetmover``, ``balrog``, ``bouncer``, ``shipit``).
    pools: tuple = field(default=())
    #: Balrog rule ids on the instance, by rule alias, for ``publish_rules``.
    rule_ids: tuple = field(default=())

    @classmethod
    def from_dict(cls, data, where="services"):
        from .production import production_host_reason  # late: production imports release

        data = dict(data or {})
        problems = []
        unknown = sorted(set(data) - set(DEFAULT_SERVICES) - {"dedicated", "pools", "rule_ids"})
        if unknown:
            problems.append(f"unknown service(s) {', '.join(unknown)}; known: {', '.join(sorted(DEFAULT_SERVICES))}")
        values = {}
        for name, default in DEFAULT_SERVICES.items():
            value = data.get(name, default)
            values[name] = value
            if not isinstance(value, str) or not value:
                problems.append(f"{name} must be a non-empty string")
                continue
            if not value.isprintable() or value != value.strip() or " " in value:
                problems.append(f"{name} {value!r} holds whitespace or a control character")
                continue
            if name in URL_SERVICES:
                parts = urlsplit(value)
                if parts.scheme not in ("https", "http") or not parts.netloc or not _HOST_RE.match(parts.netloc.lower()):
                    problems.append(f"{name} {value!r} must be an http(s) URL with a host name")
                    continue
                host = parts.hostname
            elif name == "archive_domain":
                if "/" in value or not _HOST_RE.match(value):
                    problems.append(f"archive_domain {value!r} must be a bare host name, like ftp.stage.mozaws.net")
                    continue
                host = value.split(":")[0]
            else:
                if bucket_problem(value):
                    problems.append(f"archive_bucket {value!r} is not a valid S3 bucket name")
                    continue
                host = None
            reason = production_host_reason(host, bucket=value if name == "archive_bucket" else None)
            if reason:
                problems.append(f"{name} {value!r} is production ({reason}); use a staging instance")
        dedicated = data.get("dedicated", ())
        if not isinstance(dedicated, (list, tuple)) or not all(d in SERVICE_FAMILIES for d in dedicated):
            problems.append(f"dedicated must list some of {', '.join(SERVICE_FAMILIES)}")
            dedicated = ()
        pools = data.get("pools") or {}
        if not isinstance(pools, dict) or not all(isinstance(v, str) and "/" in v for v in pools.values()):
            problems.append("pools must map a family to 'provisioner/worker-type'")
            pools = {}
        rule_ids = data.get("rule_ids") or {}
        # A YAML ``true`` is an int to Python (bool subclasses int); it is no rule id.
        if not isinstance(rule_ids, dict) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in rule_ids.values()
        ):
            problems.append("rule_ids must map a rule alias to a numeric rule id (a whole number of 1 or more)")
            rule_ids = {}
        if problems:
            raise InvalidValue(where, problems)
        return cls(
            dedicated=tuple(sorted(set(dedicated))),
            pools=tuple(sorted(pools.items())),
            rule_ids=tuple(sorted(rule_ids.items())),
            **values,
        )

    def is_dedicated(self, family):
        return family in self.dedicated

    def pool(self, family):
        return dict(self.pools).get(family)

    def to_dict(self):
        d = {name: getattr(self, name) for name in DEFAULT_SERVICES}
        if self.dedicated:
            d["dedicated"] = list(self.dedicated)
        if self.pools:
            d["pools"] = dict(self.pools)
        if self.rule_ids:
            d["rule_ids"] = dict(self.rule_ids)
        return d


#: Display names of shipping products, as Balrog, Bouncer and Ship-it spell them.
PRODUCT_DISPLAY_NAMES = {"firefox": "Firefox", "devedition": "Devedition", "fenix": "Fenix", "thunderbird": "Thunderbird"}


def display_name(product):
    """A shipping product's display name (``firefox`` -> ``Firefox``); another product's is capitalised."""
    return PRODUCT_DISPLAY_NAMES.get(product, product.capitalize())


@dataclass(frozen=True)
class StagingRelease:
    """Everything that names what one staging release writes."""

    product: str
    version: str
    build_number: int
    namespace: Namespace
    behavior: Behavior
    partials: tuple = ()
    services: Services = None
    family: str = "desktop"

    @property
    def display_product(self):
        return display_name(self.product)

    @property
    def release_type(self):
        return self.behavior.release_type(self.version, self.family)
