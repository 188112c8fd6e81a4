from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import can_manage_vacancy, require, roles
from jobmatch.employers.services import vacancies_with_counts
from jobmatch.extensions import db
from jobmatch.forms import commit_or_explain
from jobmatch.i18n import _
from jobmatch.reference import VACANCY_STATUSES, label
from jobmatch.vacancies.services import (
    NEXT_STEPS,
    applications_for,
    change_status,
    get_vacancy,
    move_application,
)

bp = Blueprint("employers", __name__, url_prefix="/employer")


@bp.route("/")
@roles("employer")
def home():
    employer = current_user.employer
    return render_template(
        "employers/home.html", employer=employer, vacancies=vacancies_with_counts(employer)
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
        next_steps=NEXT_STEPS,
    )


@bp.route("/applications/<int:application_id>/status", methods=["POST"])
@roles("employer", "counsellor", "admin")
def application_status(application_id: int):
    """Move an application along the pipeline; the job seeker is notified."""
    from jobmatch.vacancies.models import Application

    application = db.session.get(Application, application_id) or abort(404)
    require(can_manage_vacancy(current_user, application.vacancy))
    commit_or_explain(
        lambda: move_application(application, request.form.get("status", "")),
        _("The applicant is told of the change."),
    )
    return redirect(url_for("employers.applications", vacancy_id=application.vacancy_id))


@bp.route("/vacancies/<int:vacancy_id>/status", methods=["POST"])
@roles("employer", "counsellor", "admin")
def vacancy_status(vacancy_id: int):
    """Publish or close a vacancy. The commit queues its index job: matches follow within
    seconds, and the change is saved even when the queue cannot be reached."""
    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))
    commit_or_explain(
        lambda: change_status(vacancy, request.form.get("action", "")),
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
    from jobmatch.employers.candidates import ranked_candidates

    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))
    return render_template(
        "employers/candidates.html",
        vacancy=vacancy,
        result=ranked_candidates(current_user, vacancy),
    )
