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
