"""Column helpers shared by the feature models, and the one transaction boundary.

Services add and flush; they never commit. A request, a job or a command commits once,
through `changes()`; batch work that commits chunk by chunk under a lock says so by
calling `commit_chunk()`. `tests/test_transactions.py` keeps `db.session.commit` here.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
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


def commit_chunk() -> None:
    """Commit one chunk of a batch (an import, an index sync) before the next: what is
    written stays written if a later chunk fails."""
    db.session.commit()


def end_read() -> None:
    """End the session's transaction, so the next read sees what other processes committed
    (a long-lived worker before it looks at shared state again)."""
    db.session.commit()
