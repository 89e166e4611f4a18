"""``taskgraph-staging library``: check out dedicated staging service instances like a book."""

import argparse
import json
import os
import sys
import time

from taskgraph_staging.model.errors import StagingError

NAME = "library"
HELP = "Register, check out, return and provision slots of dedicated staging services."


def _common():
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--registry",
        metavar="URL",
        default=None,
        help="SQLAlchemy URL or SQLite file of the registry (default: $TASKGRAPH_STAGING_LIBRARY, "
        "else ~/.local/share/taskgraph-staging/library.sqlite)",
    )
    common.add_argument("--json", action="store_true", help="print JSON instead of text")
    return common


def add_arguments(parser):
    common = _common()
    sub = parser.add_subparsers(dest="library_command", metavar="ACTION", parser_class=type(parser))
    sub.required = True

    def action(name, help_text):
        p = sub.add_parser(name, help=help_text, description=help_text, parents=[common])
        p.set_defaults(_action=name)
        return p

    p = action("add", "register the slots of a YAML file (or update free ones)")
    p.add_argument("file", metavar="FILE")
    action("list", "list every slot with its state and reservation")
    p = action("show", "show a slot or a reservation")
    p.add_argument("id", metavar="ID", help="slot id or reservation id")
    p = action("checkout", "check out a free slot")
    p.add_argument("--owner", required=True, help="who checks it out (email address)")
    p.add_argument("--product", required=True, help="product the staging releases ship (firefox, fenix, ...)")
    p.add_argument("--purpose", required=True, help="what the slot is for")
    p.add_argument("--days", type=float, default=3.0, help="days until the checkout expires (default 3)")
    p = action("renew", "move a reservation's expiry to --days from now")
    p.add_argument("id", metavar="RESERVATION")
    p.add_argument(
        "--days",
        type=float,
        default=None,
        help="days from now until the reservation expires (default: 3, and never earlier than its current expiry)",
    )
    p = action("return", "return a reservation's slot to the library")
    p.add_argument("id", metavar="RESERVATION")
    p = action("retire", "retire a slot that is not checked out")
    p.add_argument("id", metavar="SLOT")
    p = action("check", "probe every instance of a slot and report those that do not answer")
    p.add_argument("id", metavar="SLOT")
    p.add_argument("--timeout", type=float, default=10.0, help="seconds to wait for each instance")
    p = action("provision-archive", "create the archive bucket layout on the slot's S3 endpoint")
    p.add_argument("id", metavar="SLOT")
    p.add_argument("--product", action="append", default=None, help="product directories to create (repeatable; default firefox)")
    p.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    p = action("provision-balrog", "seed the slot's Balrog with namespaced copies of production's rules")
    p.add_argument("id", metavar="SLOT")
    p.add_argument("--product", required=True)
    p.add_argument("--production-rules", metavar="URL_OR_FILE", default=None, help="production's public rules API, or a file of what it answers")
    p.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    p = action("provision-bouncer", "register the product's locations base on the slot's Bouncer")
    p.add_argument("id", metavar="SLOT")
    p.add_argument("--product", required=True)
    p.add_argument("--dry-run", action="store_true", help="say what would change, change nothing")
    p = action("serve-archive", "run an archive instance on 127.0.0.1: S3 (moto) plus a front that redirects missing keys to production")
    p.add_argument("--bucket", default="staging-archive", help="bucket the front serves (created if missing)")
    p.add_argument("--port", type=int, default=8080, help="port of the public front (0: any free port)")
    p.add_argument("--s3-port", type=int, default=5000, help="port of the embedded S3 API (0: any free port)")
    p.add_argument("--endpoint", default=None, help="front an existing S3-compatible endpoint instead of the embedded one")
    p = action(
        "serve-balrog",
        "run a real Balrog for a slot on 127.0.0.1 (SQLite): its archive and Bouncer hosts allowed, seeded with the "
        "product's production rules",
    )
    p.add_argument("id", metavar="SLOT", help="the slot this Balrog serves (its balrog URLs name 127.0.0.1 ports)")
    p.add_argument("--balrog", required=True, metavar="DIR", help="Balrog source tree (e.g. shared/upstream/balrog)")
    p.add_argument("--state-dir", required=True, metavar="DIR", help="where the instance's SQLite database and logs live (kept)")
    p.add_argument("--product", action="append", default=None, help="product whose rules to seed (repeatable; default firefox)")
    p.add_argument("--production-rules", metavar="URL_OR_FILE", default=None, help="production's public rules API, or a file of what it answers")
    p.add_argument("--no-seed", action="store_true", help="start without seeding rules")


def _print(args, data, text):
    if args.json:
        print(json.dumps(data, indent=2, sort_keys=True))
    else:
        print(text)


def _steps(args, data, steps):
    prefix = "would " if args.dry_run else ""
    text = "\n".join(f"{prefix}{step}" for step in steps) if steps else "nothing to change"
    _print(args, {**data, "dry_run": args.dry_run, "steps": steps}, text)


def _slot_line(record):
    r = record.reservation
    who = f"{r.owner} {r.product} until {r.to_dict()['expires']} ({r.id})" if r else ""
    return f"{record.slot.id:<20} {record.state:<8} {who}".rstrip()


def _new_sqlite_file(value):
    """The SQLite file ``--registry`` names when it does not exist yet (else None)."""
    from ..library.registry import registry_url

    url = registry_url(value)
    path = url[len("sqlite:///"):] if url.startswith("sqlite:///") else None
    return path if path and not os.path.exists(path) else None


def run(args):
    action = args._action
    if action == "serve-archive":
        return _serve_archive(args)
    created = _new_sqlite_file(args.registry)
    try:
        return _run(args, action)
    except StagingError:
        if created and os.path.exists(created):  # a failed command leaves no registry it created
            os.remove(created)
        raise


def _run(args, action):
    from ..library import Registry, reservation_parameters

    registry = Registry(args.registry)
    if action == "serve-balrog":
        return _serve_balrog(args, registry)

    if action == "add":
        from ..library.slots import load_slots

        outcome = registry.add(load_slots(args.file))
        _print(args, outcome, "\n".join(f"{sid}: {what}" for sid, what in sorted(outcome.items())))
    elif action == "list":
        records = registry.slots()
        _print(args, [r.to_dict() for r in records], "\n".join(_slot_line(r) for r in records) or "no slot registered")
    elif action == "show":
        from ..library import UnknownSlot

        try:
            record = registry.slot(args.id)
            _print(args, record.to_dict(), _slot_line(record) + "\n" + json.dumps(record.slot.to_dict(), indent=2, sort_keys=True))
        except UnknownSlot:
            reservation = registry.reservation(args.id)
            _print(args, reservation.to_dict(), json.dumps(reservation.to_dict(), indent=2, sort_keys=True))
    elif action == "checkout":
        reservation = registry.checkout(args.owner, args.product, args.purpose, args.days)
        data = {**reservation.to_dict(), "staging": reservation_parameters(reservation.id, registry.url)}
        _print(args, data, f"{reservation.id}: slot {reservation.slot_id} until {data['expires']}")
    elif action == "renew":
        reservation = registry.renew(args.id, args.days)
        _print(args, reservation.to_dict(), f"{reservation.id}: slot {reservation.slot_id} until {reservation.to_dict()['expires']}")
    elif action == "return":
        reservation = registry.return_(args.id)
        _print(args, reservation.to_dict(), f"{reservation.id}: slot {reservation.slot_id} returned")
    elif action == "retire":
        registry.retire(args.id)
        _print(args, {"id": args.id, "state": "retired"}, f"{args.id}: retired")
    elif action == "check":
        from ..library.probe import check_slot

        results = check_slot(registry.slot(args.id).slot, timeout=args.timeout)
        silent = [r for r in results if not r["answers"]]
        text = "\n".join(f"{r['family']} {r['role']} {r['url']}: {r['problem']}" for r in silent) or "every instance answers"
        _print(args, results, text)
        return 1 if silent else 0
    elif action == "provision-archive":
        from ..library.archive import provision_archive, provisioning_client

        slot = registry.slot(args.id).slot
        bucket = slot.services.archive_bucket
        client = provisioning_client(slot.archive_endpoint, args.dry_run)
        steps = provision_archive(client, bucket, args.product or ["firefox"], dry_run=args.dry_run)
        _steps(args, {"slot": slot.id, "bucket": bucket}, steps)
    elif action == "provision-balrog":
        from ..library.balrog import PRODUCTION_RULES_API, BalrogAdmin, fetch_production_rules, provision_balrog

        slot = registry.slot(args.id).slot
        production = fetch_production_rules(args.production_rules or PRODUCTION_RULES_API)
        steps, rule_ids = provision_balrog(slot, args.product, production, BalrogAdmin(slot.services.balrog_admin), args.dry_run)
        if not args.dry_run:
            registry.record_rule_ids(slot.id, args.product, rule_ids)
        _steps(args, {"slot": slot.id, "product": args.product, "rule_ids": rule_ids}, steps)
    elif action == "provision-bouncer":
        from ..library.bouncer import BouncerAdmin, provision_bouncer

        slot = registry.slot(args.id).slot
        steps = provision_bouncer(args.product, BouncerAdmin(slot.services.bouncer_admin), args.dry_run)
        _steps(args, {"slot": slot.id, "product": args.product}, steps)
    return 0


def _stop(signum, frame):
    raise KeyboardInterrupt


def _stop_on_sigterm():
    import signal

    signal.signal(signal.SIGTERM, _stop)


def _serve_until_stopped(server, announce):
    """Call ``announce()``, then keep ``server`` running until Ctrl-C or SIGTERM; stop it whatever happens."""
    try:
        announce()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _serve_archive(args):
    from ..library.archive import ArchiveServer, describe_line

    server = ArchiveServer(args.bucket, s3_port=args.s3_port, port=args.port, endpoint=args.endpoint)
    _stop_on_sigterm()
    server.start()

    def announce():
        print(describe_line(server), flush=True)
        if not args.json:
            print(f"serving s3://{args.bucket} at {server.url} (S3 API {server.endpoint}; a slot's archive.domain: "
                  f"{server.domain}); Ctrl-C stops", file=sys.stderr, flush=True)

    return _serve_until_stopped(server, announce)


def _port(url, option):
    from urllib.parse import urlsplit

    from ..library.errors import LibraryError

    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost") or not parts.port:
        raise LibraryError(f"{url} is not a 127.0.0.1 URL with a port: serve-balrog serves the slot's Balrog locally", where=option)
    return parts.port


def _serve_balrog(args, registry):
    import os

    from ..library.balrog import PRODUCTION_RULES_API, TOKEN_ENV, BalrogAdmin, fetch_production_rules, provision_balrog
    from ..library.balrog_server import BalrogServer, slot_domains

    slot = registry.slot(args.id).slot
    admin_port = _port(slot.services.balrog_admin, "balrog.admin")
    public_port = _port(slot.services.balrog_public, "balrog.public")
    products = args.product or ["firefox"]
    production = None
    if not args.no_seed:
        production = fetch_production_rules(args.production_rules or PRODUCTION_RULES_API)
    _stop_on_sigterm()
    server = BalrogServer(
        args.balrog, args.state_dir, admin_port, public_port, slot_domains(slot.services), token=os.environ.get(TOKEN_ENV)
    ).start()

    def seed_and_announce():
        rule_ids = {}
        if production is not None:
            admin = BalrogAdmin(server.admin_url, token=server.token)
            for product in products:
                _, ids = provision_balrog(slot, product, production, admin)
                registry.record_rule_ids(slot.id, product, ids)
                rule_ids[product] = ids
        line = {"slot": slot.id, "admin": server.admin_url, "public": server.public_url, "token": server.token, "rule_ids": rule_ids}
        print(json.dumps(line, sort_keys=True), flush=True)
        if not args.json:
            print(
                f"serving Balrog for {slot.id}: admin {server.admin_url}, public {server.public_url}; "
                f"{TOKEN_ENV}={server.token}; Ctrl-C stops (the database stays in {server.state_dir})",
                file=sys.stderr,
                flush=True,
            )

    return _serve_until_stopped(server, seed_and_announce)
