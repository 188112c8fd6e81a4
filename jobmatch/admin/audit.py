"""Searching the audit record."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.accounts.models import User
from jobmatch.audit.models import AuditEvent
from jobmatch.people.models import Person
from jobmatch.validation import as_id


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass
class AuditFilter:
    action: str = ""
    actor: str = ""
    person: str = ""
    since: date | None = None
    until: date | None = None

    @classmethod
    def from_args(cls, args) -> "AuditFilter":
        return cls(
            action=(args.get("action") or "").strip()[:64],
            actor=(args.get("actor") or "").strip()[:254],
            person=(args.get("person") or "").strip()[:40],
            since=_day(args.get("since")),
            until=_day(args.get("until")),
        )

    def args(self) -> dict:
        values = {
            "action": self.action,
            "actor": self.actor,
            "person": self.person,
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
        }
        return {k: v for k, v in values.items() if v}


def search(flt: AuditFilter) -> sa.Select:
    """Events, newest first. `action` matches a whole action or its family ("contract.");
    `actor` an e-mail (part of it); `person` a person's id or FIN."""
    query = (
        sa.select(AuditEvent)
        .options(selectinload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if flt.action:
        query = query.where(
            sa.or_(AuditEvent.action == flt.action, AuditEvent.action.startswith(flt.action))
        )
    if flt.actor:
        actors = sa.select(User.id).where(User.email.ilike(f"%{flt.actor}%"))
        query = query.where(AuditEvent.actor_id.in_(actors))
    if flt.person:
        if as_id(flt.person):
            query = query.where(AuditEvent.person_id == as_id(flt.person))
        else:
            people = sa.select(Person.id).where(Person.national_id == flt.person.upper())
            query = query.where(AuditEvent.person_id.in_(people))
    if flt.since:
        query = query.where(AuditEvent.at >= datetime.combine(flt.since, time.min))
    if flt.until:
        query = query.where(
            AuditEvent.at < datetime.combine(flt.until + timedelta(days=1), time.min)
        )
    return query
