"""A library slot's own instances for the worker suite, and the pools wired to them.

A parameter set with ``staging.reservation`` (``tests/params/*-lib-one.yml``) is a release
on a library slot: its beetmover, balrog, bouncer and ship-it tasks run on the slot's
pools (``services.pools``), which write to the slot's instances only. Here each instance
is what the library itself runs for a slot, started the way its command starts it:

- the archive is ``library serve-archive`` (:class:`ArchiveServer`: an embedded S3 with
  the bucket made by ``provision-archive``'s own code);
- Balrog is ``library serve-balrog`` (:class:`BalrogServer`: the real Balrog, with the
  slot's archive and Bouncer hosts on its domain allowlist), its rules made by
  ``provision-balrog``'s own code; the rule ids it answers are the ones a reservation's
  parameters carry, so the parameter set must hold exactly them (checked);
- Bouncer admin and Ship-it are the suite's stand-ins (``standins.py``), one instance
  each for the slot, with state of their own.

A slot's pool is the dev pool's configuration (the worker's ``docker.d`` templates,
rendered as for any dev pool) with the slot's instances in place of the shared ones,
as a library administrator deploys it. For beetmover that is the S3 cloud of its
``dep`` resource (``clouds.aws.dep``, which the dev pool enables for buildhub.json
only) enabled for every file, on the slot's bucket, with the Google cloud off, and
``url_prefix.dep`` the slot's archive domain; boto3 reaches the slot's S3 endpoint
through ``AWS_ENDPOINT_URL`` in the pool's environment (beetmoverscript passes no
endpoint of its own).
"""

import json
import os

from services import BALROG_ADMIN, BOUNCER_ADMIN, PRODUCTION_RULES, SHIPIT, Auth0Token, Server

#: Balrog's start, creating its database (every alembic migration), on a loaded 2-core machine.
BALROG_START_TIMEOUT = 300


def slot_name(staging):
    """The name the suite keeps a slot's instances by: its reservation (else its namespace)."""
    return staging.get("reservation") or staging["namespace"]


def pool_family(staging, definition):
    """The family (beetmover, balrog, ...) of the slot pool that runs ``definition``, or
    None when its pool is not one of the parameter set's ``staging.services.pools``."""
    pools = ((staging or {}).get("services") or {}).get("pools") or {}
    pool = f"{definition.get('provisionerId')}/{definition.get('workerType')}"
    return next((family for family, value in pools.items() if value == pool), None)


class SlotInstances:
    """The instances of one reserved slot, on 127.0.0.1, for the whole session."""

    def __init__(self, staging, cache, tmp, product="firefox"):
        import standins
        from taskgraph_staging.interfaces.library.archive import ArchiveServer
        from taskgraph_staging.interfaces.library.balrog import BalrogAdmin, provision_balrog, read_rules_file
        from taskgraph_staging.interfaces.library.balrog_server import BalrogServer, slot_domains
        from taskgraph_staging.interfaces.library.slots import Slot
        from taskgraph_staging.model.release import Namespace, Services

        self.name = slot_name(staging)
        self.services = Services.from_dict(staging["services"])
        self.namespace = staging["namespace"]
        self.bucket = self.services.archive_bucket
        self.archive = self.balrog = None
        self.servers = []
        try:
            self.archive = ArchiveServer(self.bucket).start()
            state = os.path.join(tmp, f"slot-{self.name}-balrog")
            self.balrog = BalrogServer(
                os.path.join(cache, "src", "balrog"), state, allow_domains=slot_domains(self.services), token=Auth0Token.token,
                python=os.path.join(cache, "venvs", "balrog", "bin", "python"), start_timeout=BALROG_START_TIMEOUT,
            ).start()
            slot = Slot(id=self.name, namespace=Namespace.parse(self.namespace), services=self.services, archive_endpoint=self.archive.endpoint)
            admin = BalrogAdmin(self.balrog.admin_url, token=Auth0Token.token)
            self.rule_ids = provision_balrog(slot, product, read_rules_file(PRODUCTION_RULES), admin)[1]
            self.bouncer_state, self.shipit_state = standins.BouncerState(), standins.ShipitState()
            self.bouncer = Server(standins.handler(standins.BouncerHandler, self.bouncer_state))
            self.shipit = Server(standins.handler(standins.ShipitHandler, self.shipit_state))
            self.servers = [self.bouncer, self.shipit]
        except BaseException:
            self.stop()
            raise

    def rule_ids_problem(self, staging):
        """Why the parameter set's ``services.rule_ids`` are not the ones provisioning gave
        the slot's Balrog (what ``plan --reservation`` would put there), or None."""
        given = dict(staging["services"].get("rule_ids") or {})
        if given != self.rule_ids:
            return (f"the parameter set's staging.services.rule_ids {json.dumps(given, sort_keys=True)} are not the slot's "
                    f"provisioned rule ids {json.dumps(self.rule_ids, sort_keys=True)}: write these into it")
        return None

    def endpoints(self, shared):
        """``shared`` (the dev pool's service roots -> where the suite serves them) with the
        slot's instances in place of the shared ones, and the slot's own URLs mapped too
        (the suite's own clients, such as the Ship-it release it creates first, use them)."""
        found = dict(shared)
        found[BALROG_ADMIN] = self.balrog.admin_url
        found[BOUNCER_ADMIN] = f"http://127.0.0.1:{self.bouncer.port}/api"
        found[SHIPIT] = f"http://127.0.0.1:{self.shipit.port}"
        found[self.services.balrog_admin] = self.balrog.admin_url
        found[self.services.bouncer_admin] = found[BOUNCER_ADMIN]
        found[self.services.shipit] = found[SHIPIT]
        return found

    def configure(self, script, config_path):
        """Make the rendered dev config at ``config_path`` the slot pool's: for beetmover,
        every upload and copy on the slot's S3 bucket (see the module's text)."""
        if script != "beetmoverscript":
            return
        with open(config_path) as fh:
            config = json.load(fh)
        clouds = config["clouds"]
        clouds["gcloud"]["dep"]["enabled"] = False
        aws = clouds["aws"]["dep"]
        aws["enabled"] = True
        aws["product_buckets"] = {product: self.bucket for product in aws["product_buckets"]}
        config["url_prefix"]["dep"] = f"https://{self.services.archive_domain}"
        with open(config_path, "w") as fh:
            json.dump(config, fh, indent=2)

    def env_for(self, script):
        """What the slot pool's environment adds: boto3's endpoint (beetmover)."""
        return {"AWS_ENDPOINT_URL": self.archive.endpoint} if script == "beetmoverscript" else {}

    def keys(self, prefix=""):
        """Every key in the slot's bucket under ``prefix``."""
        from taskgraph_staging.interfaces.library.archive import EMBEDDED_CREDENTIALS, s3_client

        client = s3_client(self.archive.endpoint, EMBEDDED_CREDENTIALS)
        found = []
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=prefix):
            found.extend(item["Key"] for item in page.get("Contents", []))
        return found

    def stop(self):
        for server in self.servers:
            server.stop()
        if self.balrog:
            self.balrog.stop()
        if self.archive:
            self.archive.stop()
