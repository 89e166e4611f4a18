"""The partners a release publishes, from ``release_partner_config`` (the real tree's
``gecko_taskgraph/util/partners.py``: ``get_partner_config_by_kind`` and
``get_partners_to_be_published``).

``release_partner_config`` holds, per repack kind, ``{partner: {sub_config: {platforms,
locales, publish_to_releases, ...}}}`` (``release-partner-attribution``: ``configs`` of
campaigns); ``release_partners`` keeps only the named partners. A sub-config with
``publish_to_releases`` is published: the partner Bouncer submission adds its products and
the Bouncer aliases point its partner aliases at them.
"""

from typing import NamedTuple

from taskgraph_staging.model.errors import ConfigError

#: The real tree's partner platforms (repack.cfg's, as taskcluster names them) -> Bouncer platforms.
PARTNER_PLATFORMS_TO_BOUNCER = {
    "linux64-shippable": "linux64",
    "macosx64-shippable": "osx",
    "win32-shippable": "win",
    "win64-shippable": "win64",
    "win64-aarch64-shippable": "win64-aarch64",
}


class PublishedPartner(NamedTuple):
    partner: str
    sub_config: str
    #: Bouncer platforms of the sub-config's repacks.
    bouncer_platforms: tuple


def partner_config_by_kind(params, kind):
    """The part of ``release_partner_config`` for ``kind`` (the first key ``kind`` starts
    with), restricted to ``release_partners`` for partner repacks; {} when none."""
    configs = params.get("release_partner_config") or {}
    subset = params.get("release_partners")
    for key, kind_config in configs.items():
        if kind.startswith(key):
            break
    else:
        return {}
    if subset and kind.startswith("release-partner-repack"):
        return {partner: subs for partner, subs in kind_config.items() if partner in subset}
    if subset and kind.startswith("release-partner-attribution"):
        return dict(kind_config, configs=[c for c in kind_config.get("configs", []) if c.get("campaign") in subset])
    return kind_config


def _bouncer_platforms(platforms, where):
    unknown = [p for p in platforms if p not in PARTNER_PLATFORMS_TO_BOUNCER]
    if unknown:
        raise ConfigError(f"partner platform(s) {', '.join(unknown)} are none of {', '.join(PARTNER_PLATFORMS_TO_BOUNCER)}",
                          where=where)
    return tuple(PARTNER_PLATFORMS_TO_BOUNCER[p] for p in platforms)


def partners_to_publish(params):
    """Every published partner sub-config: the repacks' (``publish_to_releases``), then the
    attribution campaigns' (campaign, content)."""
    published = []
    for partner, subs in sorted(partner_config_by_kind(params, "release-partner-repack").items()):
        for name, sub in sorted(subs.items()):
            if sub.get("publish_to_releases"):
                where = f"release_partner_config release-partner-repack {partner}/{name}"
                published.append(PublishedPartner(partner, name, _bouncer_platforms(sub.get("platforms", []), where)))
    attribution = partner_config_by_kind(params, "release-partner-attribution")
    for entry in attribution.get("configs", []) if isinstance(attribution, dict) else []:
        if entry.get("publish_to_releases"):
            where = f"release_partner_config release-partner-attribution {entry.get('campaign')}"
            published.append(PublishedPartner(entry["campaign"], entry["content"],
                                              _bouncer_platforms(entry.get("platforms", []), where)))
    return published
