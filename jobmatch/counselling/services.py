"""Counsellors' caseloads, referrals, match decisions and case notes. Flushes, never commits."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from jobmatch.accounts.models import User
from jobmatch.audit.services import record
from jobmatch.contracts.models import LabourContract, UnemploymentRegistration
from jobmatch.contracts.services import draft_from
from jobmatch.counselling.models import MATCH_DECISIONS, CaseNote, MatchDecision, Referral
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.i18n import _, _l
from jobmatch.matching.channels import holders_of, occupation_ids_named
from jobmatch.notifications.services import link_to, notify
from jobmatch.people.models import Person
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies.models import Vacancy
from jobmatch.validation import InvalidInput

# Time since registration as unemployed, in days: (code, label, from, to).
DURATIONS = {
    "lt3": (_l("Under 3 months"), 0, 91),
    "3to6": (_l("3 to 6 months"), 91, 182),
    "6to12": (_l("6 to 12 months"), 182, 365),
    "gt12": (_l("Over a year (long-term)"), 365, None),
}
STATUSES = {
    "registered": _l("Registered unemployed"),
    "not_registered": _l("Job seeker, not registered"),
    "referred": _l("Referred, awaiting an answer"),
    "employed": _l("Employed, looking for another job"),
}
SORTS = {"recent": _l("Recently updated"), "longest": _l("Longest unemployed")}
NOTE_MAX = 5000
REASON_MIN, REASON_MAX = 10, 1000


@dataclass
class CaseloadFilter:
    status: str | None = None
    duration: str | None = None
    text: str = ""
    sort: str = "recent"

    @classmethod
    def from_args(cls, args) -> "CaseloadFilter":
        status, duration, sort = args.get("status"), args.get("duration"), args.get("sort")
        return cls(
            status=status if status in STATUSES else None,
            duration=duration if duration in DURATIONS else None,
            text=(args.get("q") or "").strip()[:100],
            sort=sort if sort in SORTS else "recent",
        )

    def args(self) -> dict:
        values = {"status": self.status, "duration": self.duration, "q": self.text}
        if self.sort != "recent":
            values["sort"] = self.sort
        return {k: v for k, v in values.items() if v}


def _registered_since():
    """Each person's open unemployment registration: since when."""
    return (
        sa.select(
            UnemploymentRegistration.person_id,
            sa.func.min(UnemploymentRegistration.registered_on).label("since"),
        )
        .where(UnemploymentRegistration.status == "active")
        .group_by(UnemploymentRegistration.person_id)
        .subquery()
    )


def _assigned(counsellor):
    """Job seekers assigned to the counsellor, and people whose registration they hold."""
    registrations = sa.select(UnemploymentRegistration.person_id).where(
        UnemploymentRegistration.counsellor_id == counsellor.id,
        UnemploymentRegistration.status == "active",
    )
    return sa.or_(
        SeekerProfile.counsellor_id == counsellor.id,
        SeekerProfile.person_id.in_(registrations),
    )


def caseload(counsellor, flt: CaseloadFilter | None = None, today: date | None = None):
    """The counsellor's caseload, filtered by status and time unemployed."""

    flt = flt or CaseloadFilter()
    today = today or utcnow().date()
    since = _registered_since()
    query = (
        sa.select(SeekerProfile)
        .join(Person, Person.id == SeekerProfile.person_id)
        .outerjoin(since, since.c.person_id == SeekerProfile.person_id)
        .where(_assigned(counsellor))
        .options(selectinload(SeekerProfile.person), selectinload(SeekerProfile.occupations))
    )
    if flt.status == "registered":
        query = query.where(since.c.since.is_not(None))
    elif flt.status == "not_registered":
        query = query.where(since.c.since.is_(None))
    elif flt.status == "employed":
        query = query.where(Person.employment_status == "employed")
    elif flt.status == "referred":
        pending = sa.select(Referral.seeker_id).where(Referral.outcome == "pending")
        query = query.where(SeekerProfile.id.in_(pending))
    if flt.duration:
        _label, low, high = DURATIONS[flt.duration]
        query = query.where(since.c.since <= today - timedelta(days=low))
        if high is not None:
            query = query.where(since.c.since > today - timedelta(days=high))
    if flt.text:
        pattern = f"%{flt.text}%"
        words = [
            Person.first_name.ilike(pattern),
            Person.last_name.ilike(pattern),
            SeekerProfile.desired_title.ilike(pattern),
        ]
        named = occupation_ids_named(flt.text)  # "accountant" finds the Mühasib too
        if named:
            words.append(SeekerProfile.id.in_(holders_of(named)))
        query = query.where(sa.or_(*words))
    if flt.sort == "longest":
        query = query.order_by(since.c.since.is_(None), since.c.since, SeekerProfile.id)
    else:
        query = query.order_by(SeekerProfile.updated_at.desc(), SeekerProfile.id)
    return query


def registrations_of(person_ids) -> dict[int, date]:
    """person id -> the date their open registration began."""
    since = _registered_since()
    rows = db.session.execute(sa.select(since).where(since.c.person_id.in_(list(person_ids))))
    return {person_id: day for person_id, day in rows}


def duration_counts(counsellor, today: date | None = None) -> list[tuple[str, str, int]]:
    """The whole caseload by time unemployed: (code, label, count), "none" for not registered."""
    today = today or utcnow().date()
    since = _registered_since()
    days = db.session.execute(
        sa.select(since.c.since)
        .select_from(SeekerProfile)
        .outerjoin(since, since.c.person_id == SeekerProfile.person_id)
        .where(_assigned(counsellor))
    ).scalars()
    counts = dict.fromkeys([*DURATIONS, "none"], 0)
    for day in days:
        counts[duration_code(day, today)] += 1
    labels = {code: label for code, (label, _low, _high) in DURATIONS.items()}
    labels["none"] = _("Not registered")
    return [(code, labels[code], counts[code]) for code in counts]


def duration_code(since: date | None, today: date) -> str:
    if since is None:
        return "none"
    days = (today - since).days
    for code, (_label, low, high) in DURATIONS.items():
        if days >= low and (high is None or days < high):
            return code
    return "lt3"  # a registration dated in the future


def get_seeker(seeker_id: int) -> SeekerProfile | None:
    return db.session.get(SeekerProfile, seeker_id)


# --- referrals ------------------------------------------------------------------


def referrals_of(profile) -> list[Referral]:
    return db.session.scalars(
        sa.select(Referral)
        .where(Referral.seeker_id == profile.id)
        .options(selectinload(Referral.vacancy), selectinload(Referral.counsellor))
        .order_by(Referral.created_at.desc(), Referral.id.desc())
    ).all()


def referrals_to(vacancy) -> list[Referral]:
    return db.session.scalars(
        sa.select(Referral)
        .where(Referral.vacancy_id == vacancy.id)
        .options(selectinload(Referral.seeker).selectinload(SeekerProfile.person))
        .order_by(Referral.created_at.desc(), Referral.id.desc())
    ).all()


def refer(counsellor, profile, vacancy, note: str) -> Referral:
    """Send a job seeker to an open vacancy with a note for the employer. The employer sees
    the person's name from then on; both sides are told."""

    note = (note or "").strip()
    if not vacancy.is_open():
        raise InvalidInput(_("This vacancy is no longer open."))
    if len(note) > 2000:
        raise InvalidInput(_("The note is too long: at most %(n)d characters.", n=2000), "note")
    pending = db.session.scalar(
        sa.select(Referral.id).where(
            Referral.seeker_id == profile.id,
            Referral.vacancy_id == vacancy.id,
            Referral.outcome == "pending",
        )
    )
    if pending is not None:
        raise InvalidInput(_("This person is already referred to this vacancy."))
    referral = Referral(counsellor=counsellor, seeker=profile, vacancy=vacancy, note=note)
    db.session.add(referral)
    db.session.flush()
    record(counsellor, "referral.created", referral, person_id=profile.person_id)
    user = profile.person.user
    if user is not None:
        link = link_to("vacancies.show", vacancy_id=vacancy.id)
        data = {"title": vacancy.title, "note": note, "counsellor": counsellor.display_name}
        notify(user, "referral", data, link)
    link = link_to("employers.candidates", vacancy_id=vacancy.id)
    for member in vacancy.employer.members:
        data = {"name": profile.person.full_name, "title": vacancy.title}
        notify(member.user, "referral_received", data, link)
    return referral


# --- match decisions ------------------------------------------------------------


def decide(counsellor, profile, vacancy, decision: str, reason: str) -> MatchDecision:
    """Hide a match from the ranked lists, or put it at their top, with a written reason."""

    reason = (reason or "").strip()
    if decision not in MATCH_DECISIONS:
        raise InvalidInput(_("Unknown action."))
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise InvalidInput(
            _(
                "Write the reason in %(low)d to %(high)d characters.",
                low=REASON_MIN,
                high=REASON_MAX,
            ),
            "reason",
        )
    row = db.session.scalar(
        sa.select(MatchDecision).where(
            MatchDecision.seeker_id == profile.id, MatchDecision.vacancy_id == vacancy.id
        )
    )
    if row is None:
        row = MatchDecision(seeker_id=profile.id, vacancy_id=vacancy.id)
        db.session.add(row)
    row.decision, row.reason, row.author_id = decision, reason, counsellor.id
    db.session.flush()
    record(
        counsellor,
        f"match.{decision}",
        row,
        person_id=profile.person_id,
        vacancy_id=vacancy.id,
        reason=reason,
    )
    return row


def withdraw_decision(counsellor, row: MatchDecision) -> None:
    record(
        counsellor,
        "match.decision_withdrawn",
        row,
        person_id=row.seeker.person_id,
        vacancy_id=row.vacancy_id,
        was=row.decision,
    )
    db.session.delete(row)
    db.session.flush()


def decisions(seeker_ids=None, vacancy_ids=None) -> dict[tuple[int, int], MatchDecision]:
    """(seeker id, vacancy id) -> the decision on that match."""
    query = sa.select(MatchDecision).options(selectinload(MatchDecision.author))
    if seeker_ids is not None:
        query = query.where(MatchDecision.seeker_id.in_(list(seeker_ids)))
    if vacancy_ids is not None:
        query = query.where(MatchDecision.vacancy_id.in_(list(vacancy_ids)))
    return {(d.seeker_id, d.vacancy_id): d for d in db.session.scalars(query)}


def arrange(items, decided: dict, key) -> tuple[list, list]:
    """Ranked items with the counsellors' decisions applied: promoted ones first (in their
    order), hidden ones apart. `key(item)` gives the item's (seeker id, vacancy id)."""
    promoted, shown, hidden = [], [], []
    for item in items:
        decision = decided.get(key(item))
        if decision is None:
            shown.append(item)
        elif decision.decision == "promoted":
            promoted.append(item)
        else:
            hidden.append(item)
    return promoted + shown, hidden


# --- case notes -------------------------------------------------------------------


def notes_of(person) -> list[CaseNote]:
    return db.session.scalars(
        sa.select(CaseNote)
        .where(CaseNote.person_id == person.id)
        .options(selectinload(CaseNote.author))
        .order_by(CaseNote.created_at.desc(), CaseNote.id.desc())
    ).all()


def add_note(author, person, body: str) -> CaseNote:
    body = (body or "").strip()
    if not body:
        raise InvalidInput(_("Write the note first."), "body")
    if len(body) > NOTE_MAX:
        raise InvalidInput(_("The note is too long: at most %(n)d characters.", n=NOTE_MAX), "body")
    note = CaseNote(person_id=person.id, author_id=author.id, body=body)
    db.session.add(note)
    db.session.flush()
    record(author, "case_note.added", note, person_id=person.id)
    return note


# --- the employer's answer, and placements ------------------------------------------


def answer_referral(actor, referral: Referral, outcome: str) -> None:
    """The employer accepts or declines a referred person. An acceptance drafts a contract
    for the employer to confirm; the referral becomes a placement once it is confirmed."""

    if referral.outcome != "pending":
        raise InvalidInput(_("This referral has already been answered."))
    if outcome not in ("accepted", "declined"):
        raise InvalidInput(_("Unknown action."))
    referral.outcome = outcome
    db.session.flush()
    record(actor, f"referral.{outcome}", referral, person_id=referral.seeker.person_id)
    if outcome == "accepted":
        draft_from(referral.vacancy, referral.seeker.person, referral=referral)
    data = {
        "name": referral.seeker.person.full_name,
        "title": referral.vacancy.title,
        "outcome": outcome,
    }
    link = link_to("counselling.seeker", seeker_id=referral.seeker_id)
    notify(referral.counsellor, "referral_answered", data, link)


def placements(by: str = "counsellor", since: date | None = None) -> list[tuple]:
    """Referrals that led to a confirmed labour contract, counted per counsellor or per
    vacancy: (id, name, count), most first."""

    placed = (
        sa.select(Referral)
        .join(LabourContract, LabourContract.referral_id == Referral.id)
        .where(LabourContract.status.in_(("active", "terminated")))
    )
    if since is not None:
        placed = placed.where(LabourContract.start_date >= since)
    placed = placed.subquery()
    count = sa.func.count(sa.distinct(placed.c.id)).label("placements")
    if by == "vacancy":
        key, name, link = Vacancy.id, Vacancy.title, placed.c.vacancy_id == Vacancy.id
    else:
        key, name, link = User.id, User.email, placed.c.counsellor_id == User.id
    query = sa.select(key, name, count).join(placed, link).group_by(key, name)
    rows = db.session.execute(query.order_by(sa.desc("placements"), key)).all()
    return [tuple(row) for row in rows]
