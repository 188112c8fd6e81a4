"""Employer verification: staff check an organisation before its users may see anyone's
contact details. Every decision is audited and can be withdrawn. Flushes, never commits."""

import sqlalchemy as sa

from jobmatch.audit.services import record
from jobmatch.contracts.models import LabourContract
from jobmatch.database import utcnow
from jobmatch.employers.models import VERIFICATION_EVIDENCE, Employer
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.validation import InvalidInput, normalise_tax_id


def employers(state: str | None = None, text: str | None = None):
    """Organisations for the staff's verification page, unverified first."""
    query = sa.select(Employer).order_by(Employer.verified, Employer.created_at.desc())
    if state == "unverified":
        query = query.where(Employer.verified.is_(False))
    elif state == "verified":
        query = query.where(Employer.verified.is_(True))
    if text:
        like = f"%{text.lower()}%"
        query = query.where(
            sa.or_(sa.func.lower(Employer.name).like(like), Employer.tax_id.like(like))
        )
    return query


def contracts_notified(employer) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(LabourContract)
        .where(LabourContract.employer_id == employer.id)
    )


def verify(actor, employer, *, tax_id_checked: bool, evidence: str, note: str) -> None:
    """Mark the organisation verified, with the proof the staff member saw."""
    if not tax_id_checked or normalise_tax_id(employer.tax_id) is None:
        raise InvalidInput(
            _("Check the tax number (VÖEN) against the tax register first."), "tax_id_checked"
        )
    if evidence not in VERIFICATION_EVIDENCE:
        raise InvalidInput(_("Say what proves the organisation exists."), "evidence")
    if evidence == "contract" and not contracts_notified(employer):
        raise InvalidInput(
            _("This organisation has notified no labour contract: ask for a document."),
            "evidence",
        )
    note = (note or "").strip()
    if len(note) < 5:
        raise InvalidInput(_("Say which document or contract you saw."), "note")
    employer.verified = True
    employer.verified_at = utcnow()
    employer.verified_by_id = actor.id
    employer.verification_evidence = evidence
    employer.verification_note = note[:2000]
    db.session.flush()
    record(actor, "employer.verified", employer, evidence=evidence, note=note[:500])


def withdraw(actor, employer, reason: str) -> None:
    """Take the verification back: the organisation's users see no contact details again."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise InvalidInput(_("Give a reason of at least 10 characters."), "reason")
    employer.verified = False
    employer.verified_at = None
    employer.verified_by_id = None
    employer.verification_evidence = None
    db.session.flush()
    record(actor, "employer.verification_withdrawn", employer, reason=reason[:500])
