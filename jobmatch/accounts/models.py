from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from jobmatch.database import Timestamped, choice, utcnow
from jobmatch.extensions import db
from jobmatch.reference import ROLES


class User(UserMixin, Timestamped, db.Model):
    """An account. Its browser sessions are rows of `AccountSession`; the one a request
    arrived with is `session_key` (not stored on the user)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(choice(ROLES, "user_role"))
    # The name staff are known by to the people they serve (a job seeker's is their person's).
    name: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    locale: Mapped[str] = mapped_column(sa.String(8), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None]
    # Set when the owner opened the link sent to the address (or staff made the account);
    # until then the account cannot log in.
    email_confirmed_at: Mapped[datetime | None]
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"), unique=True)

    person = relationship("Person", back_populates="user")
    memberships = relationship("EmployerMember", back_populates="user")

    session_key = None  # str: the signed-in session this object was loaded for

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and the remember-me cookie: the account and
        the server-side session, so ending that session ends the cookie too."""
        return f"{self.id}:{self.session_key}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def display_name(self) -> str:
        """How the account is named to others: the name it was given, the person's name, or
        (for an account given neither) its address."""
        if self.name:
            return self.name
        if self.person is not None and self.person.full_name.strip():
            return self.person.full_name
        return self.email

    @property
    def employer(self):
        """The organisation an employer user acts for (one per account)."""
        return self.memberships[0].employer if self.memberships else None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class AccountSession(db.Model):
    """A signed-in browser session. Logging out deletes its row, so a copied session or
    remember-me cookie stops working; a password change ends them all."""

    __tablename__ = "account_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # SHA-256 of the key the cookie holds: a copy of the table opens no session.
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str] = mapped_column(sa.String(200), default="")
