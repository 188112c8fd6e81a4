from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import can_manage_vacancy, require, roles
from jobmatch.employers.services import vacancies_with_counts
from jobmatch.extensions import db
from jobmatch.i18n import _
from jobmatch.reference import VACANCY_STATUSES, label
from jobmatch.vacancies.services import applications_for, change_status, get_vacancy
from jobmatch.validation import InvalidInput

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
        "employers/applications.html", vacancy=vacancy, applications=applications_for(vacancy)
    )


@bp.route("/vacancies/<int:vacancy_id>/status", methods=["POST"])
@roles("employer", "counsellor", "admin")
def vacancy_status(vacancy_id: int):
    """Publish or close a vacancy. The commit queues its index job: matches follow within
    seconds, and the change is saved even when the queue cannot be reached."""
    vacancy = get_vacancy(vacancy_id) or abort(404)
    require(can_manage_vacancy(current_user, vacancy))
    try:
        change_status(vacancy, request.form.get("action", ""))
    except InvalidInput as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        status = label(VACANCY_STATUSES, vacancy.status)
        flash(_("Vacancy “%(title)s”: %(status)s.", title=vacancy.title, status=status), "success")
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
