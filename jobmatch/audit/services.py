"""Recording who did what; the caller's transaction commits it with the change itself.

One kind of record is written by a page that changes nothing else: who looked at a person's
data. `record_access` writes it at once, in its own commit, so a GET's only write is the
record of access the law asks for (and it stands even if the page then fails)."""

from flask import has_request_context, request

from jobmatch.audit.models import AuditEvent
from jobmatch.database import changes
from jobmatch.extensions import db


def record(actor, action: str, obj=None, person_id: int | None = None, **details) -> AuditEvent:
    """Add an audit event for `action` on `obj` by `actor` (a user or None for the system)."""
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=obj.__tablename__ if obj is not None else "",
        object_id=getattr(obj, "id", None),
        person_id=person_id,
        details=details,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def record_access(actor, action: str, obj, person_id: int, **details) -> None:
    """Record that `actor` looked at (or took a copy of) a person's data, and commit it."""
    with changes():
        record(actor, action, obj, person_id=person_id, **details)
