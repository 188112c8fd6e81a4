from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jobmatch.database import utcnow
from jobmatch.extensions import db


class StoredVector(db.Model):
    """An entity's embedding by one model, keyed by a hash of the text it was made from.

    Unchanged text is never embedded twice, and an index can be rebuilt from these rows
    without calling the model.
    """

    __tablename__ = "stored_vector"
    __table_args__ = (sa.UniqueConstraint("entity_type", "entity_id", "model"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entity_type: Mapped[str] = mapped_column(sa.String(16))
    entity_id: Mapped[int]
    model: Mapped[str] = mapped_column(sa.String(200))
    dimension: Mapped[int]
    text_hash: Mapped[str] = mapped_column(sa.String(64))
    vector: Mapped[bytes] = mapped_column(sa.LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class IndexChange(db.Model):
    """One line of the change log: an entity's stored vector was written or removed.

    Every process that holds an index applies the lines after its position (the
    last id it applied), so it sees a change without reloading the whole index.
    Lines are written under the single writer lock, so ids commit in order.
    """

    __tablename__ = "index_change"
    __table_args__ = (sa.Index("ix_index_change_entity_position", "entity_type", "model", "id"),)

    id: Mapped[int] = mapped_column(
        sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True
    )
    entity_type: Mapped[str] = mapped_column(sa.String(16))
    entity_id: Mapped[int]
    model: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class RecognisedOccupation(db.Model):
    """An ESCO occupation recognised in a vacancy's or a job seeker's text, and how sure the
    recognition is (0..1). Written with the vector, from the same text, by the same job."""

    __tablename__ = "recognised_occupation"
    __table_args__ = (sa.Index("ix_recognised_occupation_lookup", "entity_type", "occupation_id"),)

    entity_type: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    entity_id: Mapped[int] = mapped_column(primary_key=True)
    occupation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("occupation.id", ondelete="CASCADE"), primary_key=True
    )
    confidence: Mapped[float] = mapped_column(sa.Float)
    source: Mapped[str] = mapped_column(sa.String(16))  # "title" or "text"
