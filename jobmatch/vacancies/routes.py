from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from jobmatch.access import can_view_vacancy, public, require
from jobmatch.extensions import db
from jobmatch.reference import REGIONS
from jobmatch.vacancies import services

bp = Blueprint("vacancies", __name__, url_prefix="/vacancies")


@bp.route("/")
@public
def index():
    region = request.args.get("region") or None
    if region and region not in REGIONS:
        region = None
    text = (request.args.get("q") or "").strip()[:200] or None
    page = db.paginate(services.open_vacancies(region, text), per_page=20, max_per_page=50)
    return render_template("vacancies/index.html", page=page, region=region, text=text or "")


@bp.route("/<int:vacancy_id>")
@public
def show(vacancy_id: int):
    vacancy = services.get_vacancy(vacancy_id) or abort(404)
    require(can_view_vacancy(current_user, vacancy))
    return render_template("vacancies/show.html", vacancy=vacancy)
