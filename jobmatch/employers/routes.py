from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import can_manage_vacancy, is_staff, require, roles
from jobmatch.accounts.services import require_confirmed
from jobmatch.audit.services import record_access
from jobmatch.counselling.matches import candidates_for
from jobmatch.counselling.models import Referral
from jobmatch.counselling.services import answer_referral as answer
from jobmatch.counselling.services import referrals_to
from jobmatch.database import changes
from jobmatch.employers.candidates import (
    fit_of,
    invite_to_apply,
    may_see_person,
    watch_contact_views,
)
from jobmatch.employers.forms import OrganisationForm
from jobmatch.employers.services import is_owner, update_organisation, vacancies_with_counts
from jobmatch.employers.writing import (
    chosen_from,
    find_skills,
    occupation_choices,
    skill_choices,
    suggestions_for,
)
from jobmatch.extensions import db
from jobmatch.forms import apply_error, commit_or_explain, commit_or_show
from jobmatch.i18n import _
from jobmatch.reference import VACANCY_STATUSES, label
from jobmatch.seekers.models import SeekerProfile
from jobmatch.vacancies import services as vacancy_services
from jobmatch.vacancies.forms import VacancyForm
from jobmatch.vacancies.models import Application
from jobmatch.vacancies.services import (
    NEXT_STEPS,
    UNDOABLE,
    application_of,
    applications_for,
    change_status,
    get_vacancy,
    move_application,
    save_vacancy,
    undo_last_step,
)
from jobmatch.validation import InvalidInput, local_moment

bp = Blueprint("employers", __name__, url_prefix="/employer")


@bp.route("/")
@roles("employer")
def home():
    employer = current_user.employer
    return render_template(
        "employers/home.html", employer=employer, vacancies=vacancies_with_counts(employer)
    )


@bp.route("/organisation", methods=["GET", "POST"])
@roles("employer")
def organisation():
    """The organisation's profile, shown with its vacancies; its owners edit it."""

    employer = current_user.employer
    owner = is_owner(current_user, employer)
    form = OrganisationForm(obj=employer)
    if form.validate_on_submit():
        if not owner:
            abort(403)
        values = {k: form[k].data for k in form.FIELDS}
        if commit_or_show(
            form,
            lambda: update_organisation(employer, values),
            _("The organisation's profile is saved."),
        ):
            return redirect(url_for("employers.home"))
    return render_template("employers/organisation.html", form=form, employer=employer, owner=owner)


@bp.route("/vacancies/new", methods=["GET", "POST"])
@roles("employer")
def new_vacancy():
    """Write a vacancy: saved as a draft, or published at once."""

    return _vacancy_form(vacancy_services.new_vacancy(current_user.employer))


@bp.route("/vacancies/<int:vacancy_id>/edit", methods=["GET", "POST"])
@roles("employer", "counsellor", "admin")
def edit_vacancy(vacancy_id: int):
    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))
    return _vacancy_form(vacancy)


def _vacancy_form(vacancy):
    """One form for a new and an existing vacancy. "Suggest" reads the text and proposes an
    occupation and skills without saving; the person keeps what is right."""

    form = VacancyForm(obj=vacancy)
    action = request.form.get("action", "save")
    if request.method == "POST":
        occupation_id, skills = chosen_from(request.form)
    else:
        occupation_id = vacancy.occupation_id
        skills = {s.skill_id: s.relation for s in vacancy.skills}
    if form.validate_on_submit() and action not in ("suggest", "find_skill"):
        new, was_published = vacancy.id is None, vacancy.status == "published"
        try:
            with changes():  # the commit queues the vacancy's index job
                if action == "publish":
                    require_confirmed(current_user)
                save_vacancy(
                    vacancy, form.values(), occupation_id, skills, publish=action == "publish"
                )
        except InvalidInput as error:
            apply_error(form, error)
        else:
            if vacancy.status == "published" and was_published:
                message = _(
                    "The changes are saved. Job seekers see them now, and the candidates "
                    "follow them in a moment."
                )
            elif vacancy.status == "review":
                message = _("The vacancy is saved and sent to the employment service for review.")
            elif vacancy.status == "published":
                message = _(
                    "The vacancy is published. You will get a notice when its candidates are ready."
                )
            elif new:
                message = _("The vacancy is saved as a draft. Publish it when it is ready.")
            else:
                message = _("The vacancy is saved.")
            flash(message, "success")
            return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    text = f"{form.title.data or ''}\n{form.description.data or ''}"
    suggestions = suggestions_for(text) if text.strip() else {"occupations": [], "skills": []}
    query = request.form.get("skill_query", "") if action == "find_skill" else ""
    found = find_skills(query) if query else []
    return render_template(
        "employers/vacancy_form.html",
        form=form,
        vacancy=vacancy,
        occupations=occupation_choices(occupation_id, suggestions["occupations"]),
        skills=skill_choices(skills, found + suggestions["skills"]),
        suggested=action == "suggest",
        skill_query=query,
        found=len(found),
    )


@bp.route("/vacancies/<int:vacancy_id>/applications")
@roles("employer", "counsellor", "admin")
def applications(vacancy_id: int):
    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))

    return render_template(
        "employers/applications.html",
        vacancy=vacancy,
        applications=applications_for(vacancy),
        referrals=referrals_to(vacancy),
        next_steps=NEXT_STEPS,
        undoable=UNDOABLE,
    )


@bp.route("/referrals/<int:referral_id>/answer", methods=["POST"])
@roles("employer")
def answer_referral(referral_id: int):
    """Accept a referred person (a contract draft follows) or decline; the counsellor is told."""

    referral = db.session.get(Referral, referral_id) or abort(404)
    require(can_manage_vacancy(current_user, referral.vacancy))
    outcome = request.form.get("outcome", "")
    commit_or_explain(
        lambda: answer(current_user, referral, outcome),
        _("The counsellor is told of your answer.")
        + (
            " " + _("Confirm the contract under “Labour contracts”.")
            if outcome == "accepted"
            else ""
        ),
    )
    return redirect(url_for("employers.applications", vacancy_id=referral.vacancy_id))


@bp.route("/applications/<int:application_id>/status", methods=["POST"])
@roles("employer", "counsellor", "admin")
def application_status(application_id: int):
    """Move an application along the pipeline; the job seeker is notified."""

    application = db.session.get(Application, application_id) or abort(404)
    require(can_manage_vacancy(current_user, application.vacancy))
    step = request.form.get("status", "")

    def move() -> None:
        move_application(
            application,
            step,
            current_user,
            message=request.form.get("message", ""),
            reason=request.form.get("reason") or None,
            interview_at=local_moment(request.form.get("interview_at", "")),
            interview_place=request.form.get("interview_place", ""),
        )

    def told() -> str:
        text = _("The applicant is told of the change.")
        if step == "hired":
            text += " " + _("Confirm the contract under “Labour contracts”.")
        if application.vacancy.status == "filled":
            text += " " + _(
                "Every position is filled: the vacancy is closed and the other applicants are told."
            )
        return text

    commit_or_explain(move, told)
    return _back_to(application)


@bp.route("/applications/<int:application_id>/undo", methods=["POST"])
@roles("employer", "counsellor", "admin")
def undo_application_step(application_id: int):
    """Take back the last step of an application (the applicant is told)."""

    application = db.session.get(Application, application_id) or abort(404)
    require(can_manage_vacancy(current_user, application.vacancy))
    commit_or_explain(
        lambda: undo_last_step(application, current_user),
        _("The last step is taken back; the applicant is told."),
    )
    return _back_to(application)


def _back_to(application):
    """The applications page, at the application just acted on."""
    return redirect(
        url_for(
            "employers.applications",
            vacancy_id=application.vacancy_id,
            _anchor=f"application-{application.id}",
        )
    )


@bp.route("/vacancies/<int:vacancy_id>/status", methods=["POST"])
@roles("employer", "counsellor", "admin")
def vacancy_status(vacancy_id: int):
    """Publish or close a vacancy. The commit queues its index job: matches follow within
    seconds, and the change is saved even when the queue cannot be reached."""
    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))
    action = request.form.get("action", "")

    def change() -> None:
        if action == "publish":
            require_confirmed(current_user)
        change_status(vacancy, action)

    commit_or_explain(
        change,
        lambda: _(
            "Vacancy “%(title)s”: %(status)s.",
            title=vacancy.title,
            status=label(VACANCY_STATUSES, vacancy.status),
        ),
    )
    if current_user.role == "employer":
        return redirect(url_for("employers.home"))
    return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))


@bp.route("/vacancies/<int:vacancy_id>/candidates")
@roles("employer", "counsellor", "admin")
def candidates(vacancy_id: int):
    """Job seekers who fit the vacancy, best first, each with the why; names only where the
    person applied, was referred, or agreed to be contacted."""

    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))
    return render_template(
        "employers/candidates.html",
        vacancy=vacancy,
        result=candidates_for(current_user, vacancy),
        staff=is_staff(current_user),
    )


@bp.route("/vacancies/<int:vacancy_id>/people/<int:seeker_id>")
@roles("employer", "counsellor", "admin")
def person(vacancy_id: int, seeker_id: int):
    """A candidate's CV and contact details, for a person who applied to the vacancy, was
    referred to it, or agreed to be contacted. Each view is recorded; the person sees it."""

    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))
    profile = db.session.get(SeekerProfile, seeker_id) or abort(404)
    require(may_see_person(current_user, vacancy, profile))
    with changes():  # a flag and the staff's notice are kept
        within_limit = is_staff(current_user) or watch_contact_views(
            current_user, vacancy.employer, profile.person_id
        )
    if not within_limit:
        abort(429, _("You have opened many people's details in a short time. Try again later."))
    record_access(
        current_user,
        "person.viewed",
        profile,
        person_id=profile.person_id,
        what="cv_and_contact",
        vacancy_id=vacancy.id,
    )
    fit, why = fit_of(vacancy, profile)
    return render_template(
        "employers/person.html",
        vacancy=vacancy,
        profile=profile,
        person=profile.person,
        fit=fit,
        why=why,
        application=application_of(profile, vacancy),
    )


@bp.route("/vacancies/<int:vacancy_id>/people/<int:seeker_id>/invite", methods=["POST"])
@roles("employer", "counsellor", "admin")
def invite(vacancy_id: int, seeker_id: int):
    """Invite a candidate who has not applied to do so, with a message."""
    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))
    profile = db.session.get(SeekerProfile, seeker_id) or abort(404)
    require(may_see_person(current_user, vacancy, profile))
    commit_or_explain(
        lambda: invite_to_apply(current_user, vacancy, profile, request.form.get("message", "")),
        _("%(name)s is invited to apply.", name=profile.person.full_name),
    )
    return redirect(url_for("employers.person", vacancy_id=vacancy.id, seeker_id=profile.id))
