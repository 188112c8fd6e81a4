from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from jobmatch.database import Timestamped, utcnow
from jobmatch.extensions import db


class SavedSearch(Timestamped, db.Model):
    """A job seeker's vacancy search, kept with its filters; with alerts on, new vacancies
    that fit it are announced in the app and by e-mail."""

    __tablename__ = "saved_search"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    criteria: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    alerts: Mapped[bool] = mapped_column(default=True)
    checked_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Vacancies already announced (the latest few hundred), so none is announced twice.
    announced: Mapped[list] = mapped_column(sa.JSON, default=list)

    user = relationship("User")
