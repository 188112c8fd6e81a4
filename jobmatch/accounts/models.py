from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from jobmatch.database import Timestamped, choice
from jobmatch.extensions import db
from jobmatch.reference import ROLES


class User(UserMixin, Timestamped, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(choice(ROLES, "user_role"))
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), unique=True)

    person = relationship("Person", back_populates="user")
    memberships = relationship("EmployerMember", back_populates="user")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def employer(self):
        """The organisation an employer user acts for (one per account)."""
        return self.memberships[0].employer if self.memberships else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"
