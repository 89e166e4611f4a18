"""Small HTTP stand-ins for services nobody can run here, written from the workers'
client code (bouncerscript ``utils.py``, shipitscript ``shipitapi.py``), answering
as the real APIs do, errors included. Each keeps what it was told, so a later task
(or a test) sees the effect of an earlier one.

- Bouncer admin (tuxedo's XML API): ``product_show``, ``product_add/``,
  ``location_show``, ``location_add/``, ``location_modify/``, ``create_update_alias``;
  HTTP basic auth required (401 otherwise), unknown products show as ``<products/>``
  / ``<locations/>`` as tuxedo does.
- Bouncer's redirector (go-bouncer), ``GET /?product=<product or alias>&print=yes``
  [``&os=``, ``&lang=``]: the download URL of the product's location for the OS
  (default ``win``) with ``:lang`` filled in (default ``en-US``), from what the admin
  stand-in was told; an unknown product, alias or OS is go-bouncer's
  ``404 page not found``. bouncerscript checks its aliases there, at a host its code
  names (``GO_BOUNCER_URL_TMPL``), which ``offline.py`` points at 127.0.0.1.
- Ship-it v2: ``GET /releases/<name>``, ``PATCH /releases/<name>`` (status),
  ``POST /releases`` (create, as Ship-it's UI does; the suite does it before mark-as-shipped); a missing
  release is a 404 with Ship-it's problem body; writes need a Hawk
  ``Authorization`` header (401 otherwise).
"""

import base64
import http.server
import json
import threading
import urllib.parse
from xml.sax.saxutils import escape, quoteattr


class _Handler(http.server.BaseHTTPRequestHandler):
    state = None  # set per server class

    def log_message(self, *args):
        pass

    def _send(self, code, body, content_type):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self):
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


class BouncerState:
    def __init__(self):
        self.lock = threading.Lock()
        self.products = {}  # name -> {"languages": [...], "ssl_only": bool, "locations": {os: path}}
        self.aliases = {}


class BouncerHandler(_Handler):
    def _authorized(self):
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Basic "):
            return False
        user, _, password = base64.b64decode(auth[6:]).decode().partition(":")
        return bool(user and password)

    def do_GET(self):
        self._route({})

    def do_POST(self):
        self._route(dict(urllib.parse.parse_qsl(self._body().decode(), keep_blank_values=True)))

    def _route(self, form):
        if not self._authorized():
            return self._send(401, "Unauthorized", "text/plain")
        url = urllib.parse.urlsplit(self.path)
        route = url.path.rsplit("/api/", 1)[-1]
        query = dict(urllib.parse.parse_qsl(url.query))
        state = self.state
        xml = '<?xml version="1.0" encoding="utf-8"?>\n'
        with state.lock:
            if route == "product_show":
                product = state.products.get(query.get("product", ""))
                if not product:
                    return self._send(200, xml + "<products/>", "text/xml")
                return self._send(200, xml + f"<products><product name={quoteattr(query['product'])}/></products>", "text/xml")
            if route == "product_add/":
                name = form.get("product")
                if not name:
                    return self._send(400, xml + '<error number="102">product name missing</error>', "text/xml")
                if name in state.products:
                    return self._send(400, xml + f'<error number="104">Product {escape(name)} already exists</error>', "text/xml")
                state.products[name] = {"languages": form.get("languages", ""), "ssl_only": form.get("ssl_only") == "true", "locations": {}}
                return self._send(200, xml + f"<success>Added product {escape(name)}</success>", "text/xml")
            if route == "location_show":
                product = state.products.get(query.get("product", ""))
                if not product:
                    return self._send(200, xml + "<locations/>", "text/xml")
                items = "".join(f'<location id="{i}" os={quoteattr(os_)}>{escape(path)}</location>' for i, (os_, path) in enumerate(sorted(product["locations"].items()), 1))
                return self._send(200, xml + f"<locations><product name={quoteattr(query['product'])}>{items}</product></locations>", "text/xml")
            if route in ("location_add/", "location_modify/"):
                product = state.products.get(form.get("product", ""))
                if product is None:
                    return self._send(400, xml + '<error number="103">Product not found</error>', "text/xml")
                if route == "location_add/" and form.get("os") in product["locations"]:
                    return self._send(400, xml + "<error>Location already exists</error>", "text/xml")
                product["locations"][form.get("os")] = form.get("path")
                return self._send(200, xml + "<success>ok</success>", "text/xml")
            if route == "create_update_alias":
                if form.get("related_product") not in state.products:
                    return self._send(400, xml + '<error number="103">Product not found</error>', "text/xml")
                state.aliases[form.get("alias")] = form.get("related_product")
                return self._send(200, xml + "<success>ok</success>", "text/xml")
        return self._send(404, "404 page not found\n", "text/plain")


class RedirectorHandler(_Handler):
    download_root = ""  # set per server: where the locations' paths are served from

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        name = query.get("product", "").lower()
        os_, lang = query.get("os") or "win", query.get("lang") or "en-US"
        with self.state.lock:
            products = {k.lower(): v for k, v in self.state.products.items()}
            aliases = {k.lower(): v.lower() for k, v in self.state.aliases.items()}
            product = products.get(aliases.get(name, name))
            path = product["locations"].get(os_) if product else None
        if url.path != "/" or not path:
            return self._send(404, "404 page not found\n", "text/plain; charset=utf-8")
        location = self.download_root + path.replace(":lang", lang)
        if query.get("print") == "yes":
            return self._send(200, location, "text/plain; charset=utf-8")
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


class ShipitState:
    def __init__(self):
        self.lock = threading.Lock()
        self.releases = {}


class ShipitHandler(_Handler):
    def _problem(self, code, title, detail):
        self._send(code, json.dumps({"detail": detail, "status": code, "title": title, "type": "about:blank"}), "application/problem+json")

    def _release_name(self):
        path = urllib.parse.urlsplit(self.path).path
        return urllib.parse.unquote(path[len("/releases/"):]) if path.startswith("/releases/") else None

    def do_GET(self):
        name = self._release_name()
        with self.state.lock:
            if name is None or name not in self.state.releases:
                return self._problem(404, "Not Found", f"Release {name} not found")
            return self._send(200, json.dumps(self.state.releases[name]), "application/json")

    def do_PATCH(self):
        body = self._body()
        if not self.headers.get("Authorization", "").startswith("Hawk "):
            return self._problem(401, "Unauthorized", "Hawk authorization required")
        name = self._release_name()
        with self.state.lock:
            if name not in self.state.releases:
                return self._problem(404, "Not Found", f"Release {name} not found")
            status = json.loads(body or b"{}").get("status")
            if status not in ("shipped", "aborted"):
                return self._problem(400, "Bad Request", f"Unsupported status {status!r}")
            self.state.releases[name]["status"] = status
            return self._send(200, json.dumps(self.state.releases[name]), "application/json")

    def do_POST(self):
        body = self._body()
        if not self.headers.get("Authorization", "").startswith("Hawk "):
            return self._problem(401, "Unauthorized", "Hawk authorization required")
        if urllib.parse.urlsplit(self.path).path != "/releases":
            return self._problem(404, "Not Found", self.path)
        release = json.loads(body)
        name = f"{release['product'].capitalize()}-{release['version']}-build{release['build_number']}"
        with self.state.lock:
            if name in self.state.releases:
                return self._problem(400, "Bad Request", f"Release {name} already exists")
            self.state.releases[name] = dict(release, name=name, status="scheduled")
            return self._send(201, json.dumps(self.state.releases[name]), "application/json")


def handler(base, state, **attributes):
    return type(base.__name__, (base,), dict(attributes, state=state))
