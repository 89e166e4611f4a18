"""Platforms and locales of the reference products, as production names them."""

import os
from dataclasses import dataclass

from taskgraph_staging.model.errors import ConfigError
from taskgraph_staging.model.parameters import staging_config
from taskgraph_staging.model.release import DEFAULT_LOCALE


@dataclass(frozen=True)
class Platform:
    #: Directory of the platform under a candidates/releases directory.
    archive: str
    #: Balrog's build target.
    balrog: str
    #: File name of the signed package in the build's artifacts.
    package: str
    #: Bouncer's ``os`` value.
    bouncer: str
    @property
    def signed_package(self):
        """The package's file name once signed: what the tasks after signing read. iscript
        signs the ``.app`` of a macOS ``.dmg`` and writes ``target.tar.gz`` in its place
        (:func:`~taskgraph_staging.staging.payloads.iscript.signed_paths`); signingscript
        signs the others in place."""
        from taskgraph_staging.staging.payloads.iscript import SIGN_AND_PKG, signed_paths

        return signed_paths(self.package, SIGN_AND_PKG)[0]


PLATFORMS = {
    "linux64": Platform("linux-x86_64", "Linux_x86_64-gcc3", "target.tar.xz", "linux64"),
    "linux64-aarch64": Platform("linux-aarch64", "Linux_aarch64-gcc3", "target.tar.xz", "linux64-aarch64"),
    "macosx64": Platform("mac", "Darwin_x86_64-gcc3-u-i386-x86_64", "target.dmg", "osx"),
    "win64": Platform("win64", "WINNT_x86_64-msvc-x64", "target.zip", "win64"),
    "win32": Platform("win32", "WINNT_x86-msvc", "target.zip", "win"),
    "android": Platform("android", "Android", "target.apk", "android"),
}



def locale_path(locale):
    """The directory of a locale's artifacts under ``public/build/``: '' for en-US, else ``<locale>/``."""
    return "" if locale == DEFAULT_LOCALE else f"{locale}/"


def product_platforms(graph_config, product):
    """Build platforms of a product, from ``staging-release.products.<product>.platforms``."""
    products = staging_config(graph_config).get("products", {})
    try:
        names = products[product]["platforms"]
    except KeyError:
        raise ConfigError(
            f"product {product!r} lists no platforms; add staging-release.products.{product}.platforms",
            where="config.yml",
        )
    unknown = [p for p in names if p not in PLATFORMS]
    if unknown:
        raise ConfigError(
            f"unknown platform(s) {', '.join(unknown)} for {product}; known: {', '.join(sorted(PLATFORMS))}",
            where="config.yml",
        )
    return list(names)


def product_components(graph_config, product):
    """The android-components a product publishes to maven, from
    ``staging-release.products.<product>.components`` (the real tree reads them from
    android-components' ``.buildconfig.yml``)."""
    products = staging_config(graph_config).get("products", {})
    components = products.get(product, {}).get("components")
    if not components:
        raise ConfigError(
            f"product {product!r} lists no components; add staging-release.products.{product}.components",
            where="config.yml",
        )
    return list(components)


def read_locales(path):
    """Locale codes of a locales file: one per line, ``#`` comments and blank lines ignored."""
    locales = []
    with open(path) as fh:
        for line in fh:
            code = line.split("#", 1)[0].split()
            if code and code[0] != DEFAULT_LOCALE:
                locales.append(code[0])
    return locales


def shipped_locales(graph_config):
    """``en-US`` plus the locales of ``staging-release.locales-file`` (relative to the root)."""
    name = staging_config(graph_config).get("locales-file")
    if not name:
        return [DEFAULT_LOCALE]
    path = os.path.join(graph_config.root_dir, name)
    if not os.path.isfile(path):
        raise ConfigError(f"locales file {name} does not exist; fix staging-release.locales-file", where="config.yml")
    return [DEFAULT_LOCALE] + read_locales(path)
