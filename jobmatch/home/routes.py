import sqlalchemy as sa
from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user

from jobmatch.access import authenticated, public
from jobmatch.extensions import db
from jobmatch.vacancies.services import open_vacancies

bp = Blueprint("home", __name__)

ROLE_HOMES = {
    "job_seeker": "seekers.home",
    "employer": "employers.home",
    "counsellor": "counselling.caseload",
    "admin": "admin.index",
}


@bp.route("/")
@public
def index():
    latest = db.session.scalars(open_vacancies().limit(6)).all()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(open_vacancies().subquery()))
    return render_template("home/index.html", latest=latest, total=total)


@bp.route("/about")
@public
def about():
    return render_template("home/about.html")


@bp.route("/home")
@authenticated
def dashboard():
    return redirect(url_for(ROLE_HOMES[current_user.role]))


@bp.route("/favicon.ico")
@public
def favicon():
    """Where browsers and tools look for the site's icon without reading a page."""
    return redirect(url_for("static", filename="favicon.svg"), 301)


@bp.route("/healthz")
@public
def health():
    db.session.execute(sa.text("SELECT 1"))
    return {"status": "ok"}
