"""Register a product's locations base on a slot's Bouncer.

Bouncer aliases (``firefox-beta-latest-ssl``, ...) are a fixed global list, and an alias
can only point at a product that exists with locations. On a fresh instance the
product's *base* is registered: for every alias of the product, a bootstrap product
named like production's (``Firefox-1.0b1-SSL``: an ancient version no release reuses),
its locations on every platform under the product's ``releases`` path, and the alias
pointing at it. A staging release's submission adds its own products and its alias
task moves the aliases to them. Bouncer's API (tuxedo) speaks form posts and XML.
"""

import os
from urllib.parse import quote
from xml.dom.minidom import parseString
from xml.parsers.expat import ExpatError

import requests

from taskgraph_staging.model.release import PRODUCT_DISPLAY_NAMES
from .errors import ProvisioningError

TIMEOUT = 60
USER_ENV, PASSWORD_ENV = "BOUNCER_USERNAME", "BOUNCER_PASSWORD"
#: Bootstrap version per channel family.
BOOTSTRAP_VERSIONS = {"beta": "1.0b1", "release": "1.0", "esr": "1.0esr"}
#: Aliases per product and channel, with the product-name suffix each points at.
ALIASES = {
    "firefox": {
        "beta": {"firefox-beta-latest": "", "firefox-beta-latest-ssl": "-SSL", "firefox-beta-stub": "-stub"},
        "release": {"firefox-latest": "", "firefox-latest-ssl": "-SSL", "firefox-stub": "-stub"},
        "esr": {"firefox-esr-latest": "", "firefox-esr-latest-ssl": "-SSL"},
    },
    "devedition": {
        "beta": {
            "firefox-devedition-latest": "",
            "firefox-devedition-latest-ssl": "-SSL",
            "firefox-devedition-stub": "-stub",
        },
    },
    "thunderbird": {
        "beta": {"thunderbird-beta-latest": "", "thunderbird-beta-latest-ssl": "-SSL"},
        "release": {"thunderbird-latest": "", "thunderbird-latest-ssl": "-SSL"},
        "esr": {"thunderbird-esr-latest": "", "thunderbird-esr-latest-ssl": "-SSL"},
    },
}
#: Bouncer OS -> (archive platform directory, installer file template).
PLATFORMS = {
    "win": ("win32", "{Product} Setup {version}.exe"),
    "win64": ("win64", "{Product} Setup {version}.exe"),
    "osx": ("mac", "{Product} {version}.dmg"),
    "linux": ("linux-i686", "{product}-{version}.tar.bz2"),
    "linux64": ("linux-x86_64", "{product}-{version}.tar.bz2"),
}
STUB_PLATFORMS = {"win": ("win32", "{Product} Installer.exe")}


def base_products(product):
    """``{bootstrap product: (alias, {bouncer os: location path})}`` of a product's base."""
    if product not in ALIASES:
        raise ProvisioningError(
            f"{product!r} has no Bouncer aliases; products with Bouncer entries: {', '.join(sorted(ALIASES))}",
            where="library provision-bouncer",
        )
    display = PRODUCT_DISPLAY_NAMES[product]
    directory = "devedition" if product == "devedition" else product
    file_product = "firefox" if product == "devedition" else product
    file_display = "Firefox" if product == "devedition" else display
    base = {}
    for channel, aliases in sorted(ALIASES[product].items()):
        version = BOOTSTRAP_VERSIONS[channel]
        for alias, suffix in sorted(aliases.items()):
            platforms = STUB_PLATFORMS if suffix == "-stub" else PLATFORMS
            locations = {
                os_: f"/{directory}/releases/{version}/{platform}/:lang/"
                + template.format(Product=file_display, product=file_product, version=version)
                for os_, (platform, template) in sorted(platforms.items())
            }
            base[f"{display}-{version}{suffix}"] = (alias, locations)
    return base


class BouncerAdmin:
    """The few calls of Bouncer's admin API provisioning makes (the ones bouncerscript uses)."""

    def __init__(self, api_root, auth=None, session=None):
        self.api_root = api_root.rstrip("/")
        self.session = session or requests.Session()
        if auth is None and os.environ.get(USER_ENV):
            auth = (os.environ[USER_ENV], os.environ.get(PASSWORD_ENV, ""))
        self.session.auth = auth

    def _call(self, route, data=None):
        url = f"{self.api_root}/{route}"
        try:
            response = self.session.request("POST" if data else "GET", url, data=data, timeout=TIMEOUT)
        except requests.RequestException as e:
            raise ProvisioningError(f"{url} failed ({type(e).__name__}); check the slot's bouncer.admin", where="bouncer")
        if response.status_code >= 400:
            raise ProvisioningError(
                f"{route.split('?')[0]} was refused: HTTP {response.status_code} {' '.join(response.text.split())[:200]}",
                where="bouncer",
            )
        return response.text

    def _xml(self, text, tag):
        try:
            return parseString(text).getElementsByTagName(tag)
        except ExpatError:
            raise ProvisioningError(f"Bouncer answered {text[:80]!r}, not XML", where="bouncer")

    def product_exists(self, name):
        return bool(self._xml(self._call(f"product_show?product={quote(name)}"), "product"))

    def locations(self, name):
        nodes = self._xml(self._call(f"location_show?product={quote(name)}"), "location")
        return {node.getAttribute("os"): node.firstChild.data if node.firstChild else "" for node in nodes}

    def add_product(self, name, ssl_only):
        data = {"product": name, "languages": ["en-US"]}
        if ssl_only:
            data["ssl_only"] = "true"
        self._call("product_add/", data)

    def add_location(self, name, os_, path):
        self._call("location_add/", {"product": name, "os": os_, "path": path})

    def modify_location(self, name, os_, path):
        self._call("location_modify/", {"product": name, "os": os_, "path": path})

    def update_alias(self, alias, name):
        self._call("create_update_alias", {"alias": alias, "related_product": name})


def provision_bouncer(product, admin, dry_run=False):
    """Register the product's base products, locations and aliases that are missing; returns the steps."""
    steps = []
    for name, (alias, locations) in sorted(base_products(product).items()):
        created = not admin.product_exists(name)
        if created:
            steps.append(f"add product {name}")
            if not dry_run:
                admin.add_product(name, ssl_only=name.endswith("-SSL"))
        present = {} if created else admin.locations(name)
        for os_, path in sorted(locations.items()):
            if os_ not in present:
                steps.append(f"add location {name} {os_} {path}")
                if not dry_run:
                    admin.add_location(name, os_, path)
            elif present[os_] != path:
                steps.append(f"modify location {name} {os_} {path}")
                if not dry_run:
                    admin.modify_location(name, os_, path)
        if created:
            steps.append(f"point alias {alias} at {name}")
            if not dry_run:
                admin.update_alias(alias, name)
    return steps
