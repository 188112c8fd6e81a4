"""User administration. Flushes, never commits."""

import sqlalchemy as sa

from jobmatch.accounts.models import User


def users(role: str | None = None, text: str | None = None) -> sa.Select:
    query = sa.select(User).order_by(User.role, User.email)
    if role:
        query = query.where(User.role == role)
    if text:
        query = query.where(User.email.ilike(f"%{text.strip()}%"))
    return query
