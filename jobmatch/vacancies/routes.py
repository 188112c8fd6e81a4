from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from jobmatch.access import can_view_vacancy, public, require
from jobmatch.vacancies import services

bp = Blueprint("vacancies", __name__, url_prefix="/vacancies")


@bp.route("/")
@public
def index():
    """Open vacancies: words are searched by meaning, in any of the five languages."""
    from jobmatch.vacancies.search import Criteria, find

    criteria = Criteria.from_args(request.args)
    page = request.args.get("page", "1")
    results = find(criteria, int(page) if page.isdigit() else 1)
    return render_template("vacancies/index.html", page=results, criteria=criteria)


@bp.route("/<int:vacancy_id>")
@public
def show(vacancy_id: int):
    vacancy = services.get_vacancy(vacancy_id) or abort(404)
    require(can_view_vacancy(current_user, vacancy))
    return render_template("vacancies/show.html", vacancy=vacancy)
