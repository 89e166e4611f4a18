"""Bouncer submission: the entries the real tree crafts, and the locales of the release.

A task lists ``worker.bouncer-products`` and ``worker.bouncer-platforms`` as Firefox's
``release-bouncer-sub`` kind does; the entries (product names, options and one path per
Bouncer platform) are crafted here with the rules of the real tree's
``bouncer_submission`` transform: one ``partial-mar`` entry per previous version of the
graph's partials (none without partials), the ``*-candidates`` products for RCs, msix and
langpack under ``multi``/``xpi`` instead of ``:lang``, the stub on win32 only. A task
whose products give no entry is dropped, as in the real tree. A kind that lists
``worker.entries`` itself keeps them.

A task with ``worker.bouncer-partners`` submits the published partners' products instead
(the real tree's ``bouncer_submission_partners``): ``<Product>-<version>-<partner>-<sub_config>``
(``-stub``), located under ``/<product>/releases/partners/<partner>/<sub_config>/<version>/``
on the partner's own platforms, no locales added. ``worker.partner-entries`` (the real
tree's ``partner-bouncer-products-per-alias``) adds one alias per published partner to an
aliases task, ``PARTNER`` in each alias replaced by ``<partner>-<sub_config>``.

Production submits every shipped locale; reading them from
``staging-release.locales-file`` (as the locale fan-out does) keeps the submission in
step when that file is trimmed (``push --limit-locales``) or scaled. A kind that lists
``worker.locales`` itself keeps its list.
"""

from taskgraph.transforms.base import TransformSequence

from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.parameters import partials
from taskgraph_staging.model.release import display_name

from .partners import partners_to_publish
from .platforms import shipped_locales

transforms = TransformSequence()

#: The archive directory of each Bouncer platform (the real tree's FTP platforms).
ARCHIVE_PLATFORM_OF_BOUNCER_PLATFORM = {
    "linux": "linux-i686",
    "linux64": "linux-x86_64",
    "linux64-aarch64": "linux-aarch64",
    "osx": "mac",
    "win": "win32",
    "win64": "win64",
    "win64-aarch64": "win64-aarch64",
}

RELEASES = "/{product}/releases/{version}/{update}{platform}/{lang}/{file}"
CANDIDATES = "/{product}/candidates/{version}-candidates/build{build_number}/{update}{platform}/{lang}/{file}"
INSTALLERS = {
    "linux": "{product}-{version}.tar.xz",
    "linux64": "{product}-{version}.tar.xz",
    "linux64-aarch64": "{product}-{version}.tar.xz",
    "osx": "{Product}%20{version}.dmg",
    "win": "{Product}%20Setup%20{version}.exe",
    "win64": "{Product}%20Setup%20{version}.exe",
    "win64-aarch64": "{Product}%20Setup%20{version}.exe",
}
COMPLETE = {"default": "{product}-{version}.complete.mar"}
PARTIAL = {"default": "{product}-{previous}-{version}.partial.mar"}
WINDOWS = ("win", "win64", "win64-aarch64")

#: Bouncer product -> (name suffix, path template, file name per platform, fixed
#: platform directory, fixed locale directory). Names and files as the real tree's.
BOUNCER_PRODUCTS = {
    "complete-mar": ("-Complete", RELEASES, COMPLETE, None, None),
    "complete-mar-candidates": ("build{build_number}-Complete", CANDIDATES, COMPLETE, None, None),
    "installer": ("", RELEASES, INSTALLERS, None, None),
    "installer-ssl": ("-SSL", RELEASES, INSTALLERS, None, None),
    "partial-mar": ("-Partial-{previous}", RELEASES, PARTIAL, None, None),
    "partial-mar-candidates": ("build{build_number}-Partial-{previous}build{previous_build}", CANDIDATES, PARTIAL, None, None),
    # One win32 stub serves every Windows platform.
    "stub-installer": ("-stub", RELEASES, {p: "{Product}%20Installer.exe" for p in WINDOWS}, "win32", None),
    "msi": ("-msi-SSL", RELEASES, {p: "{Product}%20Setup%20{version}.msi" for p in ("win", "win64")}, None, None),
    "msix": ("-msix-SSL", RELEASES, {p: "{Product}%20Setup%20{version}.msix" for p in WINDOWS}, None, "multi"),
    "pkg": ("-pkg-SSL", RELEASES, {"osx": "{Product}%20{version}.pkg"}, None, None),
    "langpack": ("-langpack-SSL", RELEASES, {"default": ":lang.xpi"}, None, "xpi"),
}
#: Products served over plain HTTP too (the rest are SSL only; an ESR's installer is SSL only).
NOT_SSL_ONLY = frozenset({"complete-mar", "complete-mar-candidates", "installer", "partial-mar", "partial-mar-candidates"})


PARTNER_RELEASES = "/{product}/releases/partners/{partner}/{sub_config}/{version}/{platform}/:lang/{file}"
#: Partner products -> (name suffix, file name per platform, fixed platform directory):
#: the real tree's, whose partner stub is the win32 one on every Windows platform.
PARTNER_PRODUCTS = {
    "installer": ("", INSTALLERS, None),
    "stub-installer": ("-stub", BOUNCER_PRODUCTS["stub-installer"][2], "win32"),
}


def craft_partner_entries(label, product, version, bouncer_products, bouncer_platforms, partners):
    """The submission entries of the published ``partners`` (:class:`~.partners.PublishedPartner`)."""
    file_product = "firefox" if product == "devedition" else product
    entries = {}
    for published in partners:
        for bouncer_product in bouncer_products:
            if bouncer_product not in PARTNER_PRODUCTS:
                raise ConfigError(f"partner bouncer product {bouncer_product!r} is none of {', '.join(PARTNER_PRODUCTS)}",
                                  where=f"task {label}")
            suffix, files, fixed_platform = PARTNER_PRODUCTS[bouncer_product]
            paths = {}
            for platform in bouncer_platforms:
                if platform not in published.bouncer_platforms or platform not in files:
                    continue
                paths[platform] = PARTNER_RELEASES.format(
                    product=product.lower(), partner=published.partner, sub_config=published.sub_config, version=version,
                    platform=fixed_platform or ARCHIVE_PLATFORM_OF_BOUNCER_PLATFORM[platform],
                    file=files[platform].format(product=file_product, Product=file_product.capitalize(), version=version))
            name = f"{display_name(product)}-{version}-{published.partner}-{published.sub_config}{suffix}"
            entries[name] = {"options": {"add_locales": False, "ssl_only": bouncer_product == "stub-installer"},
                             "paths_per_bouncer_platform": paths}
    return entries


def craft_partner_aliases(product, version, partner_entries, partners):
    """One alias per published partner and ``partner-entries`` item (``PARTNER`` replaced)."""
    aliases = {}
    for published in partners:
        name = f"{published.partner}-{published.sub_config}"
        for alias, bouncer_product in partner_entries.items():
            suffix = PARTNER_PRODUCTS[bouncer_product][0]
            aliases[alias.replace("PARTNER", name)] = f"{display_name(product)}-{version}-{name}{suffix}"
    return aliases


def craft_entries(label, product, version, build_number, bouncer_products, bouncer_platforms, previous, esr=False):
    """The submission entries of ``bouncer_products`` (``previous``: (version, build) pairs)."""
    file_product = "firefox" if product == "devedition" else product
    entries = {}
    for bouncer_product in bouncer_products:
        if bouncer_product not in BOUNCER_PRODUCTS:
            raise ConfigError(f"bouncer product {bouncer_product!r} is none of {', '.join(sorted(BOUNCER_PRODUCTS))}",
                              where=f"task {label}")
        suffix, template, files, fixed_platform, fixed_lang = BOUNCER_PRODUCTS[bouncer_product]
        partial = "partial" in bouncer_product
        for prev, prev_build in (previous if partial else [(None, None)]):
            paths = {}
            for platform in bouncer_platforms:
                if platform not in ARCHIVE_PLATFORM_OF_BOUNCER_PLATFORM:
                    raise ConfigError(f"bouncer platform {platform!r} is none of "
                                      f"{', '.join(sorted(ARCHIVE_PLATFORM_OF_BOUNCER_PLATFORM))}", where=f"task {label}")
                file_template = files.get(platform, files.get("default"))
                if file_template is None:
                    continue
                file_name = file_template.format(product=file_product, Product=file_product.capitalize(),
                                                 version=version, previous=prev)
                paths[platform] = template.format(
                    product=product.lower(), version=version, build_number=build_number,
                    update="update/" if "-mar" in bouncer_product else "",
                    platform=fixed_platform or ARCHIVE_PLATFORM_OF_BOUNCER_PLATFORM[platform],
                    lang=fixed_lang or ":lang", file=file_name)
            name = f"{display_name(product)}-{version}" + suffix.format(
                build_number=build_number, previous=prev, previous_build=prev_build)
            ssl_only = (esr and bouncer_product == "installer") or bouncer_product not in NOT_SSL_ONLY
            entries[name] = {"options": {"add_locales": "msix" not in bouncer_product, "ssl_only": ssl_only},
                             "paths_per_bouncer_platform": paths}
    return entries


@transforms.add
def bouncer_entries_and_locales(config, tasks):
    chosen = locales = None
    for task in tasks:
        worker = task["worker"]
        product, version = task["attributes"]["shipping_product"], config.params.get("version") or ""
        if "partner-entries" in worker:
            worker["entries"] = dict(worker.get("entries", {}), **craft_partner_aliases(
                product, version, worker.pop("partner-entries"), partners_to_publish(config.params)))
            if not worker["entries"]:
                continue
        if worker.pop("bouncer-partners", False):
            worker["entries"] = craft_partner_entries(
                task["label"], product, version, worker.pop("bouncer-products"), worker.pop("bouncer-platforms"),
                partners_to_publish(config.params))
            if not worker["entries"]:
                continue
        elif "bouncer-products" in worker:
            if chosen is None:
                chosen = [(p.version, p.build_number) for p in partials(config.params, config.graph_config)]
            worker["entries"] = craft_entries(
                task["label"], product, version, config.params.get("build_number") or 1, worker.pop("bouncer-products"), worker.pop("bouncer-platforms"),
                chosen, esr=worker.pop("ssl-only-installer", False))
            if not worker["entries"]:
                continue
        if worker.get("implementation") == "bouncer-submission" and "locales" not in worker:
            if locales is None:
                locales = shipped_locales(config.graph_config)
            worker["locales"] = list(locales)
        yield task
