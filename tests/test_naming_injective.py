"""Property: every namespaced name is injective in (namespace, version, build number).

Two different staging releases on the same (shared) service instances can never
produce the same resource name, whatever their namespaces' characters or lengths.
"""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from taskgraph_staging.model import naming
from taskgraph_staging.model.errors import InvalidValue
from taskgraph_staging.model.production import PRODUCTION_CHANNELS
from taskgraph_staging.model.release import (
    NAMESPACE_MAX_LENGTH,
    RESERVED_SEGMENTS,
    Behavior,
    Namespace,
    Services,
    StagingRelease,
)

SERVICES = Services.from_dict({})
# Segments drawn partly from the reserved words, so near-collisions are explored.
segment = st.one_of(
    st.from_regex(r"[a-z0-9]{1,6}", fullmatch=True),
    st.sampled_from(sorted(RESERVED_SEGMENTS)).map(lambda s: s + "x"),
    st.sampled_from(sorted(RESERVED_SEGMENTS)),
)


@st.composite
def namespaces(draw):
    first = draw(st.from_regex(r"[a-z][a-z0-9]{0,7}", fullmatch=True))
    rest = draw(st.lists(segment, max_size=4))
    text = "-".join([first, *rest])[:NAMESPACE_MAX_LENGTH]
    try:
        return Namespace.parse(text)
    except InvalidValue:
        assume(False)


versions = st.one_of(
    st.builds(lambda m, b: f"{m}.0b{b}", st.integers(100, 199), st.integers(1, 15)),
    st.builds(lambda m, p: f"{m}.0.{p}" if p else f"{m}.0", st.integers(100, 199), st.integers(0, 5)),
    st.builds(lambda m, p: f"{m}.{p}.0esr", st.integers(100, 199), st.integers(0, 9)),
)
releases = st.builds(
    lambda ns, v, n, product: StagingRelease(
        product=product, version=v, build_number=n, namespace=ns,
        behavior=Behavior("beta"), services=SERVICES,
    ),
    namespaces(), versions, st.integers(1, 30), st.sampled_from(["firefox", "fenix"]),
)

PRODUCTION_ALIASES = sorted(f"{p}-{c}" for p in ("firefox", "fenix", "devedition") for c in PRODUCTION_CHANNELS)


def release_key(rel):
    return (rel.product, str(rel.namespace), rel.version, rel.build_number)


def build_names(rel):
    """Names one build (product, version, build number) writes on a shared instance."""
    return {
        ("archive", naming.candidates_dir(rel)),
        ("balrog-blob", naming.blob_name(rel)),
        ("index", naming.index_path(rel, "gecko")),
        *(("tag", naming.vcs_tag(rel, t)) for t in naming.production_vcs_tags(rel, ("buildN",))),
    }


def version_names(rel):
    """Names a version writes whichever build ships (a rebuild replaces them, as in production)."""
    return {
        ("archive", naming.releases_dir(rel)),
        *(("tag", naming.vcs_tag(rel, t)) for t in naming.production_vcs_tags(rel, ("release",))),
    }


def release_names(rel):
    return build_names(rel) | version_names(rel)


def namespace_names(rel):
    """Names a namespace owns whatever release it runs (channels and rules: a second
    release in the same namespace updates from the first on purpose)."""
    names = {("balrog-channel", naming.balrog_channel(rel, c)) for c in sorted(PRODUCTION_CHANNELS)}
    names |= {("balrog-rule", naming.balrog_rule_alias(rel, a)) for a in PRODUCTION_ALIASES}
    return names


SETTINGS = settings(max_examples=400, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow], deadline=None)


@SETTINGS
@given(releases, releases)
def test_two_namespaces_never_share_a_name(a, b):
    assume(a.namespace != b.namespace)
    shared = (release_names(a) | namespace_names(a)) & (release_names(b) | namespace_names(b))
    assert not shared, f"{release_key(a)} and {release_key(b)} share {sorted(shared)}"


@SETTINGS
@given(releases, versions, st.integers(1, 30), st.sampled_from(["firefox", "fenix"]))
def test_two_releases_of_one_namespace_never_share_a_release_name(a, version, build, product):
    b = StagingRelease(product, version, build, a.namespace, Behavior("beta"), services=SERVICES)
    assume(release_key(a) != release_key(b))
    shared = build_names(a) & build_names(b)
    assert not shared, f"{release_key(a)} and {release_key(b)} share {sorted(shared)}"
    if (a.product, a.version) != (b.product, b.version):
        shared = version_names(a) & version_names(b)
        assert not shared, f"{release_key(a)} and {release_key(b)} share {sorted(shared)}"


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much], deadline=None)
@given(namespaces(), namespaces(), st.sampled_from(sorted(PRODUCTION_CHANNELS)), st.sampled_from(sorted(PRODUCTION_CHANNELS)))
def test_channel_names_split_back_into_namespace_and_channel(ns1, ns2, c1, c2):
    assume((ns1, c1) != (ns2, c2))
    rel = lambda ns: StagingRelease("firefox", "121.0b3", 1, ns, Behavior("beta"), services=SERVICES)  # noqa: E731
    assert naming.balrog_channel(rel(ns1), c1) != naming.balrog_channel(rel(ns2), c2)


@given(namespaces())
def test_namespaced_names_never_are_production_names(ns):
    rel = StagingRelease("firefox", "121.0b3", 1, ns, Behavior("beta"), services=SERVICES)
    for channel in PRODUCTION_CHANNELS:
        assert naming.balrog_channel(rel, channel) not in PRODUCTION_CHANNELS
    assert not naming.candidates_dir(rel).startswith("pub/")


@pytest.mark.parametrize(
    "a, b",
    [
        pytest.param("abc-beta", "abc", id="reserved-segment-rejected"),
        pytest.param("xyz-release", "xyz", id="release-segment-rejected"),
    ],
)
def test_reserved_segments_are_what_keeps_channels_apart(a, b):
    # 'abc-beta' + 'localtest' would read like 'abc' + 'beta-localtest': such namespaces are refused.
    with pytest.raises(InvalidValue, match="reserved word"):
        Namespace.parse(a)
    Namespace.parse(b)
