"""The moderation queue: vacancies that wait for staff before job seekers see them (the
employer is not verified, or the trust score is under the threshold). Staff publish one,
or send it back with a reason the employer reads; every decision is audited. Flushes,
never commits."""

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from jobmatch.audit.services import record
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.notifications.services import link_to, notify
from jobmatch.trust.score import assess
from jobmatch.vacancies.models import Vacancy, open_until
from jobmatch.validation import InvalidInput


def needs_review(vacancy: Vacancy) -> bool:
    """Whether publishing the vacancy waits for staff."""
    config = current_app.config
    if not config["MODERATION"]:
        return False
    return not vacancy.employer.verified or assess(vacancy).score < config["TRUST_THRESHOLD"]


def queue() -> list[Vacancy]:
    """The vacancies waiting for review, the longest waiting first."""
    return db.session.scalars(
        sa.select(Vacancy)
        .where(Vacancy.status == "review")
        .options(selectinload(Vacancy.employer))
        .order_by(Vacancy.updated_at, Vacancy.id)
    ).all()


def _tell_employer(vacancy: Vacancy, kind: str, data: dict) -> None:
    link = link_to("vacancies.show", vacancy_id=vacancy.id)
    for member in vacancy.employer.members:
        notify(member.user, kind, {"title": vacancy.title, **data}, link)


def approve(actor, vacancy: Vacancy) -> None:
    """Publish a vacancy from the queue."""
    if vacancy.status != "review":
        raise InvalidInput(_("This vacancy is not waiting for review."))
    score = assess(vacancy).score
    vacancy.status, vacancy.published_at = "published", utcnow()
    vacancy.expires_on = open_until(vacancy.expires_on)
    vacancy.moderation_note = ""
    db.session.flush()
    record(actor, "vacancy.review_published", vacancy, score=score)
    _tell_employer(vacancy, "vacancy_reviewed", {"outcome": "published"})


def send_back(actor, vacancy: Vacancy, reason: str) -> None:
    """Return a vacancy to its employer as a draft, with what to correct."""
    if vacancy.status != "review":
        raise InvalidInput(_("This vacancy is not waiting for review."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise InvalidInput(_("Say what the employer should correct (at least 10 characters)."),
                           "reason")  # fmt: skip
    vacancy.status, vacancy.moderation_note = "draft", reason[:2000]
    db.session.flush()
    record(actor, "vacancy.review_returned", vacancy, reason=reason[:500])
    _tell_employer(vacancy, "vacancy_reviewed", {"outcome": "returned", "reason": reason[:2000]})
