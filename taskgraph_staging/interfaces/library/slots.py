"""Slots: sets of staging service instances wired to their own worker pools.

Admins describe slots in a YAML file::

    trust-domain: gecko            # optional; its level-3 pools are refused
    slots:
      - id: lib-one
        namespace: lib-one         # optional, defaults to the id
        balrog: {admin: https://balrog-admin.one.example/api, public: https://balrog.one.example}
        bouncer: {admin: https://bouncer-admin.one.example/api, redirector: https://bouncer.one.example}
        archive: {bucket: lib-one-archive, domain: archive.one.example, endpoint: https://s3.one.example}
        shipit: {url: https://shipit.one.example}
        pools:
          beetmover: scriptworker-k8s/gecko-1-beetmover-lib-one
          balrog: scriptworker-k8s/gecko-1-balrog-lib-one
          bouncer: scriptworker-k8s/gecko-1-bouncer-lib-one
          shipit: scriptworker-k8s/gecko-1-shipit-lib-one

The services part is validated by :meth:`taskgraph_staging.model.release.Services.from_dict`,
so production endpoints are refused exactly as in a release's parameters. Pure: no I/O
but reading the file.
"""

import re
from dataclasses import dataclass

from taskgraph_staging.model.files import read_yaml
from taskgraph_staging.model.production import pool_reason
from taskgraph_staging.model.release import DEFAULT_SERVICES, SERVICE_FAMILIES, Namespace, Services
from .archive import endpoint_problem
from .errors import InvalidValue

#: Worker-pool families a slot wires to its own instances.
POOL_FAMILIES = ("beetmover", "balrog", "bouncer", "shipit")
#: Instance fields per family: YAML key -> Services key (None: not a Services key).
INSTANCE_FIELDS = {
    "balrog": {"admin": "balrog_admin", "public": "balrog_public"},
    "bouncer": {"admin": "bouncer_admin", "redirector": "bouncer_redirector"},
    "archive": {"bucket": "archive_bucket", "domain": "archive_domain", "endpoint": None},
    "shipit": {"url": "shipit"},
}
SLOT_KEYS = {"id", "namespace", "pools", *INSTANCE_FIELDS}
_ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*\Z")
_POOL_RE = re.compile(r"^[a-zA-Z0-9_-]+/[a-zA-Z0-9_-]+\Z")


#: Hosts of instances served on this machine (``library serve-archive``, ``serve-balrog``): plain HTTP.
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def archive_public_url(domain):
    """The URL ``check`` probes for an archive domain: https, or http for an instance
    served locally (``serve-archive`` prints its ``domain``, e.g. ``127.0.0.1:8080``)."""
    scheme = "http" if domain.rsplit(":", 1)[0] in LOCAL_HOSTS else "https"
    return f"{scheme}://{domain}/"


@dataclass(frozen=True)
class Slot:
    """One slot of the library."""

    id: str
    namespace: Namespace
    #: The slot's instances, every family dedicated, with its pools.
    services: Services
    #: The S3 API endpoint of the archive bucket (boto3 ``endpoint_url``).
    archive_endpoint: str

    def to_dict(self):
        """The slot as the YAML file spells it (what the registry stores)."""
        s = self.services
        return {
            "id": self.id,
            "namespace": str(self.namespace),
            "balrog": {"admin": s.balrog_admin, "public": s.balrog_public},
            "bouncer": {"admin": s.bouncer_admin, "redirector": s.bouncer_redirector},
            "archive": {"bucket": s.archive_bucket, "domain": s.archive_domain, "endpoint": self.archive_endpoint},
            "shipit": {"url": s.shipit},
            "pools": dict(s.pools),
        }

    def instances(self):
        """``{(family, role): URL}`` of every instance a ``check`` probes."""
        s = self.services
        return {
            ("balrog", "admin"): s.balrog_admin,
            ("balrog", "public"): s.balrog_public,
            ("bouncer", "admin"): s.bouncer_admin,
            ("bouncer", "redirector"): s.bouncer_redirector,
            ("archive", "public"): archive_public_url(s.archive_domain),
            ("archive", "endpoint"): self.archive_endpoint,
            ("shipit", "api"): s.shipit,
        }

    def resources(self):
        """Names no other slot may share: instances, bucket and pools."""
        s = self.services
        names = {f"instance {url}" for url in self.instances().values() if url != self.archive_endpoint}
        names.add(f"bucket {s.archive_bucket}")
        names.update(f"pool {pool}" for pool in dict(s.pools).values())
        names.add(f"namespace {self.namespace}")
        return names


def parse_slot(data, where="slot", trust_domain="gecko"):
    """A :class:`Slot` from its YAML mapping; reports every violation at once."""
    if not isinstance(data, dict):
        raise InvalidValue(where, ["must be a mapping with id, balrog, bouncer, archive, shipit and pools"])
    problems = []
    unknown = sorted(set(data) - SLOT_KEYS)
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(SLOT_KEYS))}")
    slot_id = data.get("id")
    if not isinstance(slot_id, str) or not _ID_RE.match(slot_id) or len(slot_id) > 40:
        problems.append(f"id {slot_id!r} must be lowercase letters, digits and single hyphens, starting with a letter")
        slot_id = None
    else:
        where = f"slot {slot_id}"
    namespace = None
    try:
        namespace = Namespace.parse(data.get("namespace", slot_id), where="namespace")
    except InvalidValue as e:
        problems.append(f"namespace (defaults to the id): {e.message}; give the slot a namespace")
    services = {}
    endpoint = None
    for family, fields in INSTANCE_FIELDS.items():
        block = data.get(family)
        if not isinstance(block, dict):
            problems.append(f"{family} must be a mapping with {', '.join(fields)}")
            continue
        extra = sorted(set(block) - set(fields))
        if extra:
            problems.append(f"{family}: unknown key(s) {', '.join(extra)}; known: {', '.join(fields)}")
        for key, service_key in fields.items():
            value = block.get(key)
            if value is None:
                problems.append(f"{family}.{key} is required")
            elif service_key:
                services[service_key] = value
            else:
                endpoint = value
    if endpoint is not None:
        problem = endpoint_problem(endpoint)
        if problem:
            problems.append(f"archive.endpoint {problem}")
    pools = data.get("pools")
    if not isinstance(pools, dict):
        problems.append(f"pools must map each of {', '.join(POOL_FAMILIES)} to 'provisioner/worker-type'")
        pools = {}
    missing = [f for f in POOL_FAMILIES if f not in pools]
    if missing:
        problems.append(f"pools: missing {', '.join(missing)}")
    extra = sorted(set(pools) - set(POOL_FAMILIES))
    if extra:
        problems.append(f"pools: unknown famil(ies) {', '.join(extra)}; known: {', '.join(POOL_FAMILIES)}")
    for family, pool in sorted(pools.items()):
        if not isinstance(pool, str) or not _POOL_RE.match(pool):
            problems.append(f"pools.{family} {pool!r} must look like 'provisioner/worker-type'")
            continue
        reason = pool_reason(pool)
        if reason:
            problems.append(f"pools.{family} {pool!r} is production ({reason}); use a staging pool")
    if len(services) == len(DEFAULT_SERVICES):  # else Services would fill in the shared defaults
        try:
            services = Services.from_dict(
                {**services, "dedicated": list(SERVICE_FAMILIES), "pools": pools}, where="services"
            )
        except InvalidValue as e:
            problems.extend(e.problems)
    if problems:
        raise InvalidValue(where, problems)
    return Slot(id=slot_id, namespace=namespace, services=services, archive_endpoint=endpoint)


def parse_slots(document, where="slots file"):
    """Every slot of a parsed slots document; slots may not share an instance, bucket or pool."""
    if not isinstance(document, dict) or not isinstance(document.get("slots"), list) or not document["slots"]:
        raise InvalidValue(where, ["must be a mapping with a non-empty 'slots' list (and optionally 'trust-domain')"])
    trust_domain = document.get("trust-domain", "gecko")
    problems = []
    slots = []
    for index, data in enumerate(document["slots"]):
        try:
            slots.append(parse_slot(data, where=f"slot #{index + 1}", trust_domain=trust_domain))
        except InvalidValue as e:
            problems.append(str(e))
    problems.extend(conflicts(slots))
    if problems:
        raise InvalidValue(where, problems)
    return slots


def conflicts(slots, others=()):
    """Why ``slots`` cannot live beside each other and beside ``others``."""
    problems = []
    ids = {slot.id for slot in others}
    owner = {name: slot.id for slot in others for name in slot.resources()}
    for slot in slots:
        if slot.id in ids:
            problems.append(f"slot id {slot.id} is given twice")
        ids.add(slot.id)
        for name in sorted(slot.resources()):
            if name in owner:
                problems.append(f"slot {slot.id} shares {name} with slot {owner[name]}; every slot needs its own")
            else:
                owner[name] = slot.id
    return problems


def load_slots(path):
    """Read and validate a slots YAML file."""
    return parse_slots(read_yaml(path, "slots file"), where=path)
