from flask import Blueprint, abort, render_template
from flask_login import current_user

from jobmatch.access import can_manage_vacancy, require, roles
from jobmatch.employers.services import vacancies_with_counts
from jobmatch.vacancies.services import applications_for, get_vacancy

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
