"""Ranked candidates for a vacancy, anonymised until the person applies, is referred by a
counsellor, or has agreed to be contacted."""

import hashlib
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from jobmatch.access import is_staff
from jobmatch.accounts.models import User
from jobmatch.audit.models import AuditEvent
from jobmatch.audit.services import record
from jobmatch.counselling.models import MatchDecision, Referral
from jobmatch.database import among, utcnow
from jobmatch.employers.models import EmployerMember
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.matching.explain import reasons_for
from jobmatch.matching.filters import SeekerFilter
from jobmatch.matching.services import candidates_for_vacancy, is_indexed
from jobmatch.notifications.services import link_to, notify
from jobmatch.seekers.models import SeekerProfile, SeekerSkill
from jobmatch.vacancies.models import Application
from jobmatch.validation import InvalidInput


@dataclass
class Candidate:
    reference: str  # a stable pseudonym for this vacancy
    profile: SeekerProfile
    fit: object
    reasons: list[dict]
    shown_because: str | None  # applied, referred, consented, staff; None: anonymous
    skills: list = field(default_factory=list)  # the main ones: those the vacancy asks first

    @property
    def occupation(self):
        """The occupation the person confirmed (the first, when several)."""
        return self.profile.occupations[0] if self.profile.occupations else None

    @property
    def name(self) -> str | None:
        if self.shown_because is None:
            return None
        return f"{self.profile.person.first_name} {self.profile.person.last_name}"


@dataclass
class CandidateList:
    items: list[Candidate] = field(default_factory=list)
    state: str = "ready"  # ready, pending (the vacancy is being indexed), unavailable


SHOWN = 20  # candidates on the vacancy's page


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
            .where(among(SeekerProfile.id, ids))
            .options(
                selectinload(SeekerProfile.person),
                selectinload(SeekerProfile.occupations),
                selectinload(SeekerProfile.skills).selectinload(SeekerSkill.skill),
            )
        )
    }
    asked = {s.skill_id: s.relation for s in vacancy.skills}
    applied = set(
        db.session.scalars(
            sa.select(Application.seeker_id).where(
                Application.vacancy_id == vacancy.id, among(Application.seeker_id, ids)
            )
        )
    )
    referred = set(
        db.session.scalars(
            sa.select(Referral.seeker_id).where(
                Referral.vacancy_id == vacancy.id, among(Referral.seeker_id, ids)
            )
        )
    )

    def why_shown(profile) -> str | None:
        return disclosure(
            user, vacancy, profile, profile.id in applied, profile.id in referred, ranked=True
        )

    fits = [f for f in fits if f.seeker_id in profiles]
    return CandidateList(
        items=[
            Candidate(
                pseudonym(vacancy.id, f.seeker_id),
                profiles[f.seeker_id],
                f,
                why,
                why_shown(profiles[f.seeker_id]),
                main_skills(profiles[f.seeker_id], asked),
            )
            for f, why in zip(fits, reasons_for(fits), strict=True)
        ]
    )


MAIN_SKILLS = 4


def main_skills(profile, asked: dict[int, str]) -> list:
    """A few of the person's skills to show beside the fit: those the vacancy needs first,
    then those it would like, then the ones the person confirmed."""
    order = {"essential": 0, "optional": 1}

    def rank(held):
        return (order.get(asked.get(held.skill_id), 2), held.source != "confirmed", held.skill_id)

    return [held.skill for held in sorted(profile.skills, key=rank)[:MAIN_SKILLS]]


def disclosure(user, vacancy, profile, applied: bool, referred: bool, ranked: bool) -> str | None:
    """Why `user` may see the person's name, CV and contact for this vacancy, or None.

    Staff always; an employer only when its organisation is verified, and then for people
    who applied to or were referred to the vacancy, or who agreed to be contacted and are
    among the ranked candidates of the vacancy while it is published. Drafts show no one.
    """
    if profile.person.anonymised_at is not None:
        return None
    if is_staff(user):
        return "staff"
    if not vacancy.employer.verified or vacancy.status == "draft":
        return None
    if applied:
        return "applied"
    if referred:
        return "referred"
    if ranked and vacancy.is_open() and profile.findable and profile.person.consent_contact:
        return "consented"
    return None


def may_see_person(user, vacancy, profile) -> bool:
    """Whether `user` (who manages the vacancy) may see this person's CV and contact."""
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
    if applied or referred or is_staff(user):
        return disclosure(user, vacancy, profile, bool(applied), bool(referred), False) is not None
    if disclosure(user, vacancy, profile, False, False, ranked=True) is None:
        return False  # no need to rank: nothing would show the person
    return is_ranked(user, vacancy, profile)


def is_ranked(user, vacancy, profile, k: int = SHOWN) -> bool:
    """The person is on the vacancy's candidates page as the employer sees it: among the
    best `k`, or put first by a counsellor."""
    promoted = db.session.scalar(
        sa.select(MatchDecision.id).where(
            MatchDecision.vacancy_id == vacancy.id,
            MatchDecision.seeker_id == profile.id,
            MatchDecision.decision == "promoted",
        )
    )
    if promoted is not None:
        return True
    return any(c.profile.id == profile.id for c in ranked_candidates(user, vacancy, k).items)


def contact_views(employer, since) -> set[int]:
    """The people whose details the organisation's users opened since `since`."""
    members = sa.select(EmployerMember.user_id).where(EmployerMember.employer_id == employer.id)
    return set(
        db.session.scalars(
            sa.select(AuditEvent.person_id).where(
                AuditEvent.action == "person.viewed",
                AuditEvent.actor_id.in_(members),
                AuditEvent.at >= since,
            )
        )
    )


def fit_of(vacancy, profile):
    """(fit, reasons) of one person for the vacancy, as the candidates list ranks them; (None,
    []) when either has no vector yet."""
    try:
        fits = candidates_for_vacancy(
            vacancy.id, 1, SeekerFilter(ids=(profile.id,), visible_only=False)
        )
    except (OSError, RuntimeError, ValueError):
        current_app.logger.exception("the fit of %s for vacancy %s failed", profile.id, vacancy.id)
        return None, []
    return (fits[0], reasons_for(fits)[0]) if fits else (None, [])


INVITE_MESSAGE_MAX = 1000


def invite_to_apply(user, vacancy, profile, message: str) -> None:
    """An employer asks a candidate who has not applied to do so, with a message; once per
    person and vacancy. The person is told in the app and by e-mail."""
    if not vacancy.is_open():
        raise InvalidInput(_("Only an open vacancy takes applications."))
    if profile.person.user is None:
        raise InvalidInput(_("This person has no account to be told on: ask a counsellor."))
    message = (message or "").strip()
    if len(message) > INVITE_MESSAGE_MAX:
        raise InvalidInput(
            _("The message is too long: at most %(n)d characters.", n=INVITE_MESSAGE_MAX),
            "message",
        )
    invited = db.session.scalar(
        sa.select(AuditEvent.id).where(
            AuditEvent.action == "candidate.invited",
            AuditEvent.person_id == profile.person_id,
            AuditEvent.details["vacancy_id"].as_integer() == vacancy.id,
        )
    )
    if invited is not None:
        raise InvalidInput(_("You have already invited this person to apply."))
    record(user, "candidate.invited", profile, person_id=profile.person_id, vacancy_id=vacancy.id)
    data = {"title": vacancy.title, "employer": vacancy.employer.name, "message": message}
    notify(
        profile.person.user,
        "invited_to_apply",
        data,
        link_to("vacancies.show", vacancy_id=vacancy.id),
    )


def watch_contact_views(user, employer, person_id: int) -> bool:
    """Whether the employer may open one more person's details now. Opening many different
    people's details in an hour is what a harvester does: past the configured bound the
    request is refused and staff are told (once an hour)."""
    since = utcnow() - timedelta(hours=1)
    seen = contact_views(employer, since)
    if person_id in seen or len(seen) < current_app.config["CONTACT_VIEWS_PER_HOUR"]:
        return True
    flagged = db.session.scalar(
        sa.select(AuditEvent.id).where(
            AuditEvent.action == "employer.contact_views_flagged",
            AuditEvent.object_id == employer.id,
            AuditEvent.at >= since,
        )
    )
    if flagged is None:
        record(user, "employer.contact_views_flagged", employer, people=len(seen))
        for staff in db.session.scalars(sa.select(User).where(User.role == "admin", User.active)):
            notify(
                staff,
                "contact_views_flagged",
                {"name": employer.name, "count": len(seen)},
                link=link_to("admin.employers", q=employer.tax_id or employer.name),
            )
    return False
