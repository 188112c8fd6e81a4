"""Column helpers shared by the feature models."""

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Naive UTC, stored the same way by SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def choice(codes, name: str, length: int = 32):
    """A short string limited to a code list by a named CHECK constraint."""
    return sa.Enum(*codes, name=name, native_enum=False, create_constraint=True, length=length)


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
