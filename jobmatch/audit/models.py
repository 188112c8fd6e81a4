from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import utcnow
from jobmatch.extensions import db


class AuditEvent(db.Model):
    """Who did what to which record, and when."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int | None]
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), index=True)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    ip: Mapped[str | None] = mapped_column(sa.String(45))

    actor = relationship("User")
