"""Version arithmetic of a release, with mozilla-version: what production derives
from a version (application version, the next version, the previous release)."""

from mozilla_version.errors import PatternNotMatchedError

from .errors import InvalidValue
from .release import Partial, parse_version


def app_version(version_text, family="desktop"):
    """The application version: 121.0b3 -> 121.0, 115.5.0esr -> 115.5.0, 121.0.1 -> 121.0.1."""
    version = parse_version(str(version_text), family)
    text = f"{version.major_number}.{version.minor_number}"
    if version.patch_number is not None:
        text += f".{version.patch_number}"
    return text


def release_app_version(params, family="desktop"):
    """The graph's application version: its ``app_version`` parameter, else what
    production derives from ``version`` (a beta's is its major.minor: Balrog refuses
    ``121.0b3`` as an application version). A version the family does not have (an
    ESR graph's Android tasks) stays as it is; the tasks that use it say so."""
    if params.get("app_version"):
        return params["app_version"]
    if not params.get("version"):
        return ""
    try:
        return app_version(params["version"], family)
    except InvalidValue:
        return params["version"]


def next_version(version_text, family="desktop"):
    """The version a version bump after this release writes (121.0b3 -> 121.0b4,
    121.0 -> 121.0.1, 115.5.0esr -> 115.5.1esr), or None."""
    version = parse_version(str(version_text), family, where="--version")
    number = "beta_number" if version.is_beta else "patch_number"
    try:
        return str(version.bump(number))
    except (PatternNotMatchedError, ValueError, TypeError):
        return None


def release_next_version(params, family="desktop"):
    """The graph's next version: its ``next_version`` parameter (``plan`` sets it),
    else what production's version bump derives from ``version`` (121.0b3 -> 121.0b4),
    or None."""
    if params.get("next_version"):
        return params["next_version"]
    if not params.get("version"):
        return None
    try:
        return next_version(params["version"], family)
    except InvalidValue:
        return None


def default_partials(version_text, family="desktop"):
    """Partials built when none are chosen: from the release just before this one on
    its train (121.0b3 -> 121.0b2, 121.0.2 -> 121.0.1, 115.5.0esr -> 115.4.0esr), in
    production. None where the version does not tell that release (a b1, an x.0,
    Android)."""
    if family != "desktop":
        return ()
    v = parse_version(str(version_text), family)
    previous = None
    if v.is_beta and v.beta_number > 1:
        previous = f"{v.major_number}.{v.minor_number}b{v.beta_number - 1}"
    elif getattr(v, "is_esr", False) and not v.patch_number and v.minor_number:
        previous = f"{v.major_number}.{v.minor_number - 1}.0esr"
    elif getattr(v, "patch_number", None) and not v.is_beta:
        base = f"{v.major_number}.{v.minor_number}"
        previous = f"{base}.{v.patch_number - 1}" if v.patch_number > 1 else base
        if getattr(v, "is_esr", False):
            previous = f"{base}.{v.patch_number - 1}esr"
    return (Partial(previous, 1, "production"),) if previous else ()
