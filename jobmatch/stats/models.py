from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from jobmatch.database import utcnow
from jobmatch.extensions import db


class StatisticsSnapshot(db.Model):
    """The labour-market figures as computed by the `compute_statistics` job: the pages read
    the latest one instead of counting the whole database on each visit."""

    __tablename__ = "statistics_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    seconds: Mapped[float] = mapped_column(default=0.0)
    data: Mapped[dict] = mapped_column(sa.JSON, default=dict)
