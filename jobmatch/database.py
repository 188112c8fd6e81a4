"""Column helpers shared by the feature models, and the one transaction boundary.

Services add and flush; they never commit. A request, a job or a command commits once,
through `changes()`; batch work that commits chunk by chunk under a lock says so by
calling `commit_chunk()`. `tests/test_transactions.py` keeps `db.session.commit` here.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from jobmatch.extensions import db


def utcnow() -> datetime:
    """Naive UTC, stored the same way by SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def choice(codes, name: str, length: int = 32):
    """A short string limited to a code list by a named CHECK constraint."""
    return sa.Enum(*codes, name=name, native_enum=False, create_constraint=True, length=length)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


@contextmanager
def changes(keep: tuple[type[BaseException], ...] = ()) -> Iterator[None]:
    """One unit of work: commit when the block ends; roll back everything if it raises,
    unless the exception is one of `keep` (a refusal whose record must stay, such as the
    e-mail telling an address's owner that someone tried to register it)."""
    try:
        yield
    except keep:
        db.session.commit()
        raise
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def among(column, ids) -> sa.ColumnElement[bool]:
    """`column IN ids` for integer ids. On PostgreSQL the ids travel as one array parameter
    (`column = ANY(%s)`): any number of ids makes the same query text, so SQLAlchemy, psycopg
    and the server prepare it once, instead of rendering and parsing a new statement of a
    hundred parameters for every page of matches."""
    ids = [int(i) for i in ids]
    if db.engine.dialect.name == "postgresql":
        return column == sa.any_(sa.bindparam(None, ids, type_=ARRAY(sa.Integer)))
    return column.in_(ids)


def commit_chunk() -> None:
    """Commit one chunk of a batch (an import, an index sync) before the next: what is
    written stays written if a later chunk fails."""
    db.session.commit()


# A table is measured again once it has grown by this share, and by at least this many pages
# (8 KiB each), since PostgreSQL last measured it.
GROWTH_SHARE, GROWTH_PAGES = 0.2, 64


def keep_statistics(*models) -> list[str]:
    """Have PostgreSQL measure again the tables of `models` that grew much since it last did
    (`ANALYZE`); returns the names of those measured. Batch work that fills tables calls it
    after each committed chunk.

    Without fresh statistics the planner takes a table filled in the last minutes for a
    small one: it answers lookups of a few hundred ids by walking the index of the whole
    table, and they grow slower with every row added (20 to 60 ms each at 50,000 stored
    vectors, against 0.1 ms once measured). Autovacuum measures such tables only after a
    minute or more, and not at all where it is switched off. Each table is measured by one
    process at a time; another that finds it busy goes on. Does nothing on SQLite.
    """
    if db.engine.dialect.name != "postgresql":
        return []
    measured = []
    for model in models:
        name = model.__table__.name
        pages, known = db.session.execute(
            sa.text(
                "SELECT pg_relation_size(oid) / current_setting('block_size')::int, relpages "
                "FROM pg_class WHERE oid = to_regclass(:name)"
            ),
            {"name": name},
        ).one()
        if pages - known < max(GROWTH_PAGES, GROWTH_SHARE * known):
            continue
        free = db.session.scalar(
            sa.text("SELECT pg_try_advisory_xact_lock(hashtext(:key))"), {"key": f"analyze {name}"}
        )
        if free:
            quoted = db.engine.dialect.identifier_preparer.quote(name)
            db.session.execute(sa.text(f"ANALYZE {quoted}"))
            measured.append(name)
        db.session.commit()
    db.session.commit()
    return measured


def end_read() -> None:
    """End the session's transaction, so the next read sees what other processes committed
    (a long-lived worker before it looks at shared state again)."""
    db.session.commit()
