"""The registry of slots and reservations: a real database through SQLAlchemy.

A SQLite file by default (nothing to start); any SQLAlchemy URL (PostgreSQL) for a
registry a team shares. A checkout is one transaction that flips a slot from ``free``
to ``out`` with a conditional ``UPDATE ... WHERE state = 'free'`` and keeps it only if
exactly one row changed, so two checkouts never get one slot: on PostgreSQL the second
``UPDATE`` waits for the first to commit and then no longer matches; on SQLite every
write transaction starts with ``BEGIN IMMEDIATE`` and so runs alone.
"""

import functools
import json
import os
import secrets
import time
import types
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    delete,
    event,
    exc,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url

from taskgraph_staging.model.release import PRODUCT_DISPLAY_NAMES
from .errors import (
    InvalidValue,
    LibraryError,
    NoFreeSlot,
    ReservationEnded,
    SlotBusy,
    UnknownReservation,
    UnknownSlot,
)
from .slots import Slot, conflicts, parse_slot

#: Environment variable naming the registry (a SQLAlchemy URL or a SQLite file path).
REGISTRY_ENV = "TASKGRAPH_STAGING_LIBRARY"
FREE, OUT, RETIRED = "free", "out", "retired"
READ_ONLY = "taskgraph_staging_read_only"
MAX_DAYS = 60
DEFAULT_DAYS = 3.0
DAY = 86400.0
#: The longest owner a reservation records (every backend: checked before any database sees it).
MAX_OWNER_LENGTH = 200

metadata = MetaData()
slots_table = Table(
    "library_slots",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("definition", Text, nullable=False),
    Column("state", String(16), nullable=False, default=FREE),
    Column("reservation_id", String(40)),
    Column("added_at", Float, nullable=False),
)
reservations_table = Table(
    "library_reservations",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("slot_id", String(64), nullable=False, index=True),
    Column("owner", String(MAX_OWNER_LENGTH), nullable=False),
    Column("product", String(64), nullable=False),
    Column("purpose", Text, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("expires_at", Float, nullable=False),
    Column("ended_at", Float),
    Column("end_reason", String(16)),
)
rule_ids_table = Table(
    "library_rule_ids",
    metadata,
    Column("slot_id", String(64), primary_key=True),
    Column("product", String(64), primary_key=True),
    Column("alias", String(200), primary_key=True),
    Column("rule_id", Integer, nullable=False),
)


def default_registry():
    """``$TASKGRAPH_STAGING_LIBRARY``, else a SQLite file in the user's data directory."""
    if os.environ.get(REGISTRY_ENV):
        return os.environ[REGISTRY_ENV]
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "taskgraph-staging", "library.sqlite")


#: The databases a registry can live in.
SCHEMES = ("sqlite", "postgresql")


def _sqlite_path_problem(path):
    if os.path.isdir(path):
        return f"{path} is a directory; name a SQLite file in it"
    if os.path.exists(path) and not os.path.isfile(path):
        return f"{path} is not a regular file"
    return None


def registry_url(value=None, create=True):
    """A SQLAlchemy URL from a URL or a SQLite file path (``None``: the default registry);
    ``create``: make the SQLite file's directory if it is missing."""
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise LibraryError("must not be empty (leave it out for the default registry)", where="--registry")
    value = value or default_registry()
    if "://" not in value:
        path = os.path.abspath(os.path.expanduser(value))
        problem = _sqlite_path_problem(path)
        if problem:
            raise LibraryError(problem, where="--registry")
        if create:
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
            except OSError as e:
                raise LibraryError(f"cannot create the directory of {path}: {e.strerror}", where="--registry")
        return f"sqlite:///{path}"
    try:
        url = make_url(value)
    except exc.ArgumentError:
        raise LibraryError(f"{value!r} is not a SQLAlchemy URL; give sqlite:///PATH or postgresql://...", where="--registry")
    if url.get_backend_name() not in SCHEMES:
        raise LibraryError(f"{url.drivername}:// is not a registry database; give sqlite:///PATH or postgresql://...", where="--registry")
    if url.get_backend_name() == "sqlite" and url.database:
        problem = _sqlite_path_problem(url.database)
        if problem:
            raise LibraryError(problem, where="--registry")
    if url.drivername == "postgresql":  # psycopg 3 is the driver the library extra installs
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _sqlite_immediate(engine):
    """Let every SQLite transaction take the write lock at BEGIN (pysqlite's own BEGIN is deferred)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn):
        # A read takes no lock at BEGIN, so it never waits behind an open write transaction.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


@functools.lru_cache(maxsize=8)
def _engine(url):
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 120})
        _sqlite_immediate(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    for attempt in range(3):
        try:
            metadata.create_all(engine)
            break
        except (exc.IntegrityError, exc.ProgrammingError):  # another process created them meanwhile
            if attempt == 2:
                raise
    return engine


def _database_errors(method):
    """Report a database that cannot be reached or read (server down, wrong password, not a
    SQLite file, a value the column cannot hold) as one line naming the registry."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except exc.SQLAlchemyError as e:
            raise _unusable(getattr(self, "url", None), e) from None

    return wrapper


def _unusable(url, error):
    cause = getattr(error, "orig", None) or error
    first = (str(cause).strip().splitlines() or [type(cause).__name__])[0]
    shown = make_url(url).render_as_string(hide_password=True) if url else "the registry"
    return LibraryError(f"registry {shown} cannot be used: {first}", where="--registry")


@dataclass(frozen=True)
class Reservation:
    id: str
    slot_id: str
    owner: str
    product: str
    purpose: str
    created_at: float
    expires_at: float
    ended_at: Optional[float] = None
    end_reason: Optional[str] = None

    def is_active(self, now):
        return self.ended_at is None and self.expires_at > now

    def to_dict(self):
        return {
            "id": self.id,
            "slot": self.slot_id,
            "owner": self.owner,
            "product": self.product,
            "purpose": self.purpose,
            "created": _iso(self.created_at),
            "expires": _iso(self.expires_at),
            "ended": _iso(self.ended_at) if self.ended_at else None,
            "end_reason": self.end_reason,
        }


@dataclass(frozen=True)
class SlotRecord:
    slot: Slot
    state: str
    reservation: Optional[Reservation]

    def to_dict(self):
        d = {"id": self.slot.id, "state": self.state, "definition": self.slot.to_dict()}
        d["reservation"] = self.reservation.to_dict() if self.reservation else None
        return d


def _iso(ts):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _check_days(days, where="--days"):
    if not isinstance(days, (int, float)) or isinstance(days, bool) or not 0 < days <= MAX_DAYS:
        raise InvalidValue(where, [f"{days!r} must be a number of days above 0 and at most {MAX_DAYS}"])


class Registry:
    """Slots and reservations in one database. Every public method first releases expired checkouts."""

    def __init__(self, url=None, clock=time.time, create=True):
        """``create``: make a SQLite registry that does not exist yet (false for readers,
        such as a plan's --reservation: a registry that is not there holds nothing)."""
        self.url = registry_url(url, create)
        path = self.url[len("sqlite:///"):] if self.url.startswith("sqlite:///") else None
        if not create and path and not os.path.exists(path):
            raise LibraryError(
                f"no registry at {path}, so no reservation; check one out with `taskgraph-staging library checkout`",
                where="--registry",
            )
        try:
            self.engine = _engine(self.url)
        except exc.SQLAlchemyError as e:
            raise _unusable(self.url, e) from None
        except ModuleNotFoundError as e:
            raise LibraryError(f"the driver of {self.url.split(':', 1)[0]} is not installed ({e.name})", where="--registry")
        self.clock = clock

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _guard_methods(cls)

    # -- reading ---------------------------------------------------------------

    def _slot(self, row):
        return parse_slot(json.loads(row.definition), where=f"registered slot {row.id}")

    def _reservation(self, row):
        return Reservation(**row._mapping)  # the columns are the fields

    def _read(self):
        """A read transaction: it takes no write lock, so on SQLite it never waits behind an open
        write transaction. Only when a checkout has expired does it first release it (a write)."""
        reader = self.engine.execution_options(**{READ_ONLY: True})
        with reader.begin() as conn:
            c = reservations_table.c
            expired = conn.execute(select(c.id).where(c.ended_at.is_(None), c.expires_at <= self.clock()).limit(1)).first()
        if expired is not None:
            with self.engine.begin() as conn:
                self._release_expired(conn)
        return reader.begin()

    def _record(self, conn, row):
        """A slot's record; a checkout past its expiry reads as free (the next write releases it)."""
        reservation, state = None, row.state
        if row.reservation_id:
            r = conn.execute(select(reservations_table).where(reservations_table.c.id == row.reservation_id)).one()
            reservation = self._reservation(r)
            if not reservation.is_active(self.clock()):  # expired since the read began
                reservation, state = None, FREE
        return SlotRecord(self._slot(row), state, reservation)

    def slots(self):
        """Every slot, with its state and current reservation, by id."""
        with self._read() as conn:
            rows = conn.execute(select(slots_table).order_by(slots_table.c.id)).all()
            return [self._record(conn, row) for row in rows]

    def slot(self, slot_id):
        with self._read() as conn:
            row = conn.execute(select(slots_table).where(slots_table.c.id == slot_id)).one_or_none()
            if row is None:
                raise UnknownSlot(f"no slot {slot_id!r} is registered; see `taskgraph-staging library list`", where="library")
            return self._record(conn, row)

    def reservation(self, reservation_id):
        """The reservation of that id, whatever its state."""
        with self._read() as conn:
            return self._get_reservation(conn, reservation_id)

    def _get_reservation(self, conn, reservation_id):
        row = conn.execute(select(reservations_table).where(reservations_table.c.id == reservation_id)).one_or_none()
        if row is None:
            raise UnknownReservation(
                f"no reservation {reservation_id!r}; check one out with `taskgraph-staging library checkout`",
                where="reservation",
            )
        return self._reservation(row)

    def active(self, reservation_id):
        """``(reservation, slot)`` of a reservation that is still checked out."""
        with self._read() as conn:
            reservation = self._get_reservation(conn, reservation_id)
            if not reservation.is_active(self.clock()):
                why = reservation.end_reason or "expired"
                raise ReservationEnded(
                    f"reservation {reservation_id} of slot {reservation.slot_id} has {why} "
                    f"({_iso(reservation.ended_at or reservation.expires_at)}); check out a slot again",
                    where="reservation",
                )
            row = conn.execute(select(slots_table).where(slots_table.c.id == reservation.slot_id)).one()
            return reservation, self._slot(row)

    def rule_ids(self, slot_id, product):
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(rule_ids_table).where(rule_ids_table.c.slot_id == slot_id, rule_ids_table.c.product == product)
            ).all()
        return {row.alias: row.rule_id for row in rows}

    # -- writing ---------------------------------------------------------------

    def _release_expired(self, conn):
        now = self.clock()
        expired = conn.execute(
            select(reservations_table.c.id, reservations_table.c.slot_id).where(
                reservations_table.c.ended_at.is_(None), reservations_table.c.expires_at <= now
            )
        ).all()
        for rid, slot_id in expired:
            conn.execute(
                update(reservations_table)
                .where(reservations_table.c.id == rid, reservations_table.c.ended_at.is_(None))
                .values(ended_at=now, end_reason="expired")
            )
            conn.execute(
                update(slots_table)
                .where(slots_table.c.id == slot_id, slots_table.c.reservation_id == rid)
                .values(state=FREE, reservation_id=None)
            )
        return [rid for rid, _ in expired]

    def add(self, slots):
        """Register slots, or update the definition of registered ones that are not checked out.

        Returns ``{slot id: "added" | "updated" | "unchanged"}``.
        """
        outcome = {}
        with self.engine.begin() as conn:
            self._release_expired(conn)
            rows = {row.id: row for row in conn.execute(select(slots_table)).all()}
            ids = {slot.id for slot in slots}
            others = [self._slot(row) for sid, row in rows.items() if sid not in ids and row.state != RETIRED]
            problems = conflicts(slots, others)
            if problems:
                raise InvalidValue("library add", problems)
            for slot in slots:
                definition = json.dumps(slot.to_dict(), sort_keys=True)
                row = rows.get(slot.id)
                if row is None:
                    conn.execute(insert(slots_table).values(id=slot.id, definition=definition, state=FREE, added_at=self.clock()))
                    outcome[slot.id] = "added"
                elif row.definition == definition:
                    outcome[slot.id] = "unchanged"
                elif row.state == OUT:
                    raise SlotBusy(
                        f"slot {slot.id} is checked out (reservation {row.reservation_id}); "
                        "change its definition after it is returned",
                        where="library add",
                    )
                else:
                    conn.execute(update(slots_table).where(slots_table.c.id == slot.id).values(definition=definition))
                    outcome[slot.id] = "updated"
        return outcome

    def checkout(self, owner, product, purpose, days):
        """Check out a free slot; raise :class:`NoFreeSlot` when there is none."""
        problems = []
        if not isinstance(owner, str) or not owner.strip():
            problems.append("--owner must name who checks the slot out (an email address)")
        elif len(owner.strip()) > MAX_OWNER_LENGTH:
            problems.append(f"--owner is {len(owner.strip())} characters long; at most {MAX_OWNER_LENGTH} (an email address)")
        elif not owner.strip().isprintable():
            problems.append(f"--owner {owner.strip()!r} holds a control character (a newline?)")
        if product not in PRODUCT_DISPLAY_NAMES:
            problems.append(f"--product {product!r} must be one of {', '.join(sorted(PRODUCT_DISPLAY_NAMES))}")
        if not isinstance(purpose, str) or not purpose.strip():
            problems.append("--purpose must say what the slot is for")
        try:
            _check_days(days)
        except InvalidValue as e:
            problems.extend(e.problems)
        if problems:
            raise InvalidValue("library checkout", problems)
        reservation_id = f"r{secrets.token_hex(6)}"
        with self.engine.begin() as conn:
            self._release_expired(conn)
            now = self.clock()
            free = conn.execute(select(slots_table.c.id).where(slots_table.c.state == FREE).order_by(slots_table.c.id)).scalars().all()
            for slot_id in free:
                taken = conn.execute(
                    update(slots_table)
                    .where(slots_table.c.id == slot_id, slots_table.c.state == FREE)
                    .values(state=OUT, reservation_id=reservation_id)
                )
                if taken.rowcount != 1:
                    continue  # another checkout took it first
                values = dict(
                    id=reservation_id,
                    slot_id=slot_id,
                    owner=owner.strip(),
                    product=product,
                    purpose=purpose.strip(),
                    created_at=now,
                    expires_at=now + days * DAY,
                )
                conn.execute(insert(reservations_table).values(**values))
                return Reservation(**values)
            registered = conn.execute(select(slots_table.c.id).limit(1)).first()
        if registered is None:
            raise NoFreeSlot(
                "no slot is registered in this registry; register some with `taskgraph-staging library add FILE` "
                "(or pass the team's --registry)",
                where="library checkout",
            )
        raise NoFreeSlot(
            "no free slot: every slot is checked out or retired; wait for a return, "
            "or ask an admin to register more with `taskgraph-staging library add`",
            where="library checkout",
        )

    @staticmethod
    def _still_active(reservation_id, now):
        """The condition a write on a reservation holds to: on PostgreSQL a concurrent writer's
        ``UPDATE`` waits for the first to commit and re-checks it, so only one of them matches."""
        c = reservations_table.c
        return (c.id == reservation_id, c.ended_at.is_(None), c.expires_at > now)

    def _end(self, conn, reservation_id, reason):
        reservation = self._get_reservation(conn, reservation_id)
        now = self.clock()
        ended = conn.execute(
            update(reservations_table)
            .where(*self._still_active(reservation_id, now))
            .values(ended_at=now, end_reason=reason)
        )
        if ended.rowcount != 1:
            reservation = self._get_reservation(conn, reservation_id)
            raise ReservationEnded(
                f"reservation {reservation_id} has already {reservation.end_reason or 'expired'}", where="reservation"
            )
        conn.execute(
            update(slots_table)
            .where(slots_table.c.id == reservation.slot_id, slots_table.c.reservation_id == reservation_id)
            .values(state=FREE, reservation_id=None)
        )

    def renew(self, reservation_id, days=None):
        """Move an active reservation's expiry to ``days`` from now (``None``: the default
        checkout length, never earlier than the current expiry)."""
        if days is not None:
            _check_days(days)
        with self.engine.begin() as conn:
            self._release_expired(conn)
            reservation = self._get_reservation(conn, reservation_id)
            now = self.clock()
            expires = now + (days if days is not None else DEFAULT_DAYS) * DAY
            if days is None:
                expires = max(expires, reservation.expires_at)
            renewed = conn.execute(
                update(reservations_table).where(*self._still_active(reservation_id, now)).values(expires_at=expires)
            )
            if renewed.rowcount != 1:
                reservation = self._get_reservation(conn, reservation_id)
                raise ReservationEnded(
                    f"reservation {reservation_id} has {reservation.end_reason or 'expired'}; check out a slot again",
                    where="reservation",
                )
            return self._get_reservation(conn, reservation_id)

    def return_(self, reservation_id):
        with self.engine.begin() as conn:
            self._release_expired(conn)
            self._end(conn, reservation_id, "returned")
            return self._get_reservation(conn, reservation_id)

    def retire(self, slot_id):
        """Retire a slot that is not checked out."""
        with self.engine.begin() as conn:
            self._release_expired(conn)
            done = conn.execute(
                update(slots_table).where(slots_table.c.id == slot_id, slots_table.c.state != OUT).values(state=RETIRED)
            )
            if done.rowcount == 1:
                return
            row = conn.execute(select(slots_table).where(slots_table.c.id == slot_id)).one_or_none()
            if row is None:
                raise UnknownSlot(f"no slot {slot_id!r} is registered", where="library retire")
            raise SlotBusy(
                f"slot {slot_id} is checked out (reservation {row.reservation_id}); it can be retired once returned or expired",
                where="library retire",
            )

    def record_rule_ids(self, slot_id, product, rule_ids):
        """Remember the Balrog rule ids provisioned on a slot's instance for a product."""
        with self.engine.begin() as conn:
            for alias, rule_id in sorted(rule_ids.items()):
                conn.execute(
                    delete(rule_ids_table).where(
                        rule_ids_table.c.slot_id == slot_id,
                        rule_ids_table.c.product == product,
                        rule_ids_table.c.alias == alias,
                    )
                )
                conn.execute(insert(rule_ids_table).values(slot_id=slot_id, product=product, alias=alias, rule_id=int(rule_id)))


def _guard_methods(cls):
    for name, value in list(vars(cls).items()):
        if isinstance(value, types.FunctionType) and not name.startswith("__"):
            setattr(cls, name, _database_errors(value))


_guard_methods(Registry)
