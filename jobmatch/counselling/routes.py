from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import STAFF, roles
from jobmatch.audit.services import record_access
from jobmatch.contracts import registration as registry
from jobmatch.contracts.registration import DOCUMENTS, END_REASONS, open_registration
from jobmatch.contracts.services import contracts_of_person
from jobmatch.counselling import services
from jobmatch.counselling.matches import vacancies_for
from jobmatch.counselling.models import MatchDecision
from jobmatch.database import utcnow
from jobmatch.extensions import db
from jobmatch.forms import commit_or_explain
from jobmatch.i18n import _
from jobmatch.matching.channels import held_occupations
from jobmatch.seekers.cv import send_cv
from jobmatch.seekers.services import applications_of
from jobmatch.training.services import interests_of
from jobmatch.vacancies.services import get_vacancy
from jobmatch.validation import as_id, is_safe_redirect

bp = Blueprint("counselling", __name__, url_prefix="/counsellor")


@bp.route("/")
@roles("counsellor")
def caseload():
    """Assigned job seekers and registered unemployed people, filtered by status and by
    time unemployed, with the whole caseload drawn by time unemployed."""

    flt = services.CaseloadFilter.from_args(request.args)
    page = db.paginate(services.caseload(current_user, flt), max_per_page=100)
    return render_template(
        "counselling/caseload.html",
        page=page,
        flt=flt,
        since=services.registrations_of(p.person_id for p in page.items),
        chart=services.duration_counts(current_user),
        today=utcnow().date(),
        durations=services.DURATIONS,
        statuses=services.STATUSES,
        sorts=services.SORTS,
        placed=dict((i, n) for i, _name, n in services.placements("counsellor")).get(
            current_user.id, 0
        ),
    )


@bp.route("/seekers/<int:seeker_id>")
@roles(*STAFF)
def seeker(seeker_id: int):
    """One person's case: profile, registration, ranked vacancies with the why, referrals,
    decisions on matches, and case notes."""

    profile = services.get_seeker(seeker_id) or abort(404)
    record_access(current_user, "person.viewed", profile, person_id=profile.person_id)
    return render_template(
        "counselling/seeker.html",
        profile=profile,
        person=profile.person,
        since=services.registrations_of([profile.person_id]).get(profile.person_id),
        today=utcnow().date(),
        matches=vacancies_for(profile, viewer=current_user),
        occupations=held_occupations("seeker", profile.id),
        referrals=services.referrals_of(profile),
        applications=applications_of(profile),
        interests=interests_of(profile),
        notes=services.notes_of(profile.person),
        registration=open_registration(profile.person),
        contracts=contracts_of_person(profile.person),
        documents=DOCUMENTS,
        end_reasons={k: v for k, v in END_REASONS.items() if k != "hired"},
    )


def _back(profile):
    target = request.form.get("next")
    if is_safe_redirect(target):
        return redirect(target)
    return redirect(url_for("counselling.seeker", seeker_id=profile.id))


def _pair(seeker_id: int):

    profile = services.get_seeker(seeker_id) or abort(404)
    vacancy_id = request.form.get("vacancy_id", "")
    vacancy = get_vacancy(as_id(vacancy_id)) if as_id(vacancy_id) else None
    if vacancy is None:
        abort(404)
    return profile, vacancy


@bp.route("/seekers/<int:seeker_id>/refer", methods=["POST"])
@roles(*STAFF)
def refer(seeker_id: int):
    """Refer the person to a vacancy with a note; the employer and the person are told."""
    profile, vacancy = _pair(seeker_id)
    commit_or_explain(
        lambda: services.refer(current_user, profile, vacancy, request.form.get("note", "")),
        _(
            "%(name)s is referred to “%(title)s”.",
            name=profile.person.full_name,
            title=vacancy.title,
        ),
    )
    return _back(profile)


@bp.route("/seekers/<int:seeker_id>/decide", methods=["POST"])
@roles(*STAFF)
def decide(seeker_id: int):
    """Hide a match, or put it first, with a written reason (kept in the audit log too)."""
    profile, vacancy = _pair(seeker_id)
    decision = request.form.get("decision", "")
    commit_or_explain(
        lambda: services.decide(
            current_user, profile, vacancy, decision, request.form.get("reason", "")
        ),
        _("The match is hidden.") if decision == "hidden" else _("The match is put first."),
    )
    return _back(profile)


@bp.route("/decisions/<int:decision_id>/withdraw", methods=["POST"])
@roles(*STAFF)
def withdraw(decision_id: int):

    row = db.session.get(MatchDecision, decision_id) or abort(404)
    profile = row.seeker
    commit_or_explain(
        lambda: services.withdraw_decision(current_user, row),
        _("The match is ranked as computed again."),
    )
    return _back(profile)


@bp.route("/seekers/<int:seeker_id>/registration", methods=["POST"])
@roles(*STAFF)
def registration(seeker_id: int):
    """Register the person as unemployed (this counsellor takes the case), or end it."""

    profile = services.get_seeker(seeker_id) or abort(404)
    person = profile.person
    if request.form.get("action") == "end":
        current = registry.open_registration(person) or abort(404)
        reason = request.form.get("reason", "")
        commit_or_explain(
            lambda: registry.end(current_user, current, reason),
            _("The registration has ended."),
        )
    else:
        documents = request.form.getlist("documents")
        counsellor = current_user if current_user.role == "counsellor" else None
        commit_or_explain(
            lambda: registry.register(current_user, person, documents, counsellor),
            _("%(name)s is registered as unemployed.", name=person.full_name),
        )
    return redirect(url_for("counselling.seeker", seeker_id=profile.id, _anchor="status"))


@bp.route("/seekers/<int:seeker_id>/cv")
@roles(*STAFF)
def cv_file(seeker_id: int):
    """The CV file the person uploaded (the opening is recorded: the person can see it)."""
    profile = services.get_seeker(seeker_id) or abort(404)
    record_access(current_user, "person.viewed", profile, person_id=profile.person_id,
                  what="cv_file")  # fmt: skip
    return send_cv(profile)


@bp.route("/seekers/<int:seeker_id>/notes", methods=["POST"])
@roles(*STAFF)
def add_note(seeker_id: int):
    profile = services.get_seeker(seeker_id) or abort(404)
    commit_or_explain(
        lambda: services.add_note(current_user, profile.person, request.form.get("body", "")),
        _("The note is added to the case."),
    )
    return redirect(url_for("counselling.seeker", seeker_id=profile.id, _anchor="notes"))
