"""Ranked candidates for a vacancy, anonymised until the person applies, is referred by a
counsellor, or has agreed to be contacted."""

import hashlib
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from jobmatch.access import is_staff
from jobmatch.counselling.models import Referral
from jobmatch.extensions import db
from jobmatch.matching.explain import reasons
from jobmatch.matching.services import candidates_for_vacancy, is_indexed
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Application


@dataclass
class Candidate:
    reference: str  # a stable pseudonym for this vacancy
    profile: SeekerProfile
    fit: object
    reasons: list[dict]
    shown_because: str | None  # applied, referred, consented, staff; None: anonymous

    @property
    def name(self) -> str | None:
        if self.shown_because is None:
            return None
        return f"{self.profile.person.first_name} {self.profile.person.last_name}"


@dataclass
class CandidateList:
    items: list[Candidate] = field(default_factory=list)
    state: str = "ready"  # ready, pending (the vacancy is being indexed), unavailable


def pseudonym(vacancy_id: int, profile_id: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()[:32]
    digest = hashlib.blake2s(f"{vacancy_id}:{profile_id}".encode(), key=key, digest_size=3)
    return digest.hexdigest().upper()


def ranked_candidates(user, vacancy, k: int = 20, flt=None) -> CandidateList:
    try:
        fits = candidates_for_vacancy(vacancy.id, k, flt)
    except (OSError, RuntimeError, ValueError):
        current_app.logger.exception("candidates for vacancy %s failed", vacancy.id)
        return CandidateList(state="unavailable")
    if not fits:
        return CandidateList(state="ready" if is_indexed("vacancy", vacancy.id) else "pending")
    ids = [f.seeker_id for f in fits]
    profiles = {
        p.id: p
        for p in db.session.scalars(
            sa.select(SeekerProfile)
            .where(SeekerProfile.id.in_(ids))
            .options(selectinload(SeekerProfile.person))
        )
    }
    applied = set(
        db.session.scalars(
            sa.select(Application.seeker_id).where(
                Application.vacancy_id == vacancy.id, Application.seeker_id.in_(ids)
            )
        )
    )
    referred = set(
        db.session.scalars(
            sa.select(Referral.seeker_id).where(
                Referral.vacancy_id == vacancy.id, Referral.seeker_id.in_(ids)
            )
        )
    )

    def why_shown(profile) -> str | None:
        if is_staff(user):
            return "staff"
        if profile.id in applied:
            return "applied"
        if profile.id in referred:
            return "referred"
        if profile.person.consent_contact:
            return "consented"
        return None

    return CandidateList(
        items=[
            Candidate(
                pseudonym(vacancy.id, f.seeker_id),
                profiles[f.seeker_id],
                f,
                reasons(f),
                why_shown(profiles[f.seeker_id]),
            )
            for f in fits
            if f.seeker_id in profiles
        ]
    )


def may_see_person(user, vacancy, profile) -> bool:
    """Whether `user` (who manages the vacancy) may see this person's CV and contact."""
    if profile.person.anonymised_at is not None:
        return False
    if is_staff(user):
        return True
    applied = db.session.scalar(
        sa.select(Application.id).where(
            Application.vacancy_id == vacancy.id, Application.seeker_id == profile.id
        )
    )
    referred = db.session.scalar(
        sa.select(Referral.id).where(
            Referral.vacancy_id == vacancy.id, Referral.seeker_id == profile.id
        )
    )
    consented = profile.visible and profile.person.consent_contact
    return bool(applied or referred or consented)
