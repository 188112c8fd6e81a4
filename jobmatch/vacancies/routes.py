from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import (
    can_manage_vacancy,
    can_view_vacancy,
    is_staff,
    public,
    require,
    roles,
)
from jobmatch.alerts.services import save_search as keep
from jobmatch.forms import commit_or_explain
from jobmatch.i18n import _
from jobmatch.training.services import gap_programmes
from jobmatch.trust.score import assess
from jobmatch.vacancies import services
from jobmatch.vacancies.search import Criteria, find
from jobmatch.validation import as_number

bp = Blueprint("vacancies", __name__, url_prefix="/vacancies")


@bp.route("/")
@public
def index():
    """Open vacancies: words are searched by meaning, in any of the five languages."""

    criteria = Criteria.from_args(request.args)
    page = request.args.get("page", "1")
    results = find(criteria, as_number(page, maximum=10_000) or 1)
    return render_template("vacancies/index.html", page=results, criteria=criteria)


@bp.route("/<int:vacancy_id>")
@public
def show(vacancy_id: int):
    vacancy = services.get_vacancy(vacancy_id) or abort(404)
    require(can_view_vacancy(current_user, vacancy))
    applied = gap = None
    if current_user.is_authenticated and current_user.role == "job_seeker":
        profile = current_user.person.seeker_profile
        applied = services.application_of(profile, vacancy)
        gap = gap_programmes(profile, vacancy, limit=3)
    return render_template(
        "vacancies/show.html",
        vacancy=vacancy,
        applied=applied,
        gap=gap,
        manage=can_manage_vacancy(current_user, vacancy),
        trust=assess(vacancy) if is_staff(current_user) else None,
    )


@bp.route("/<int:vacancy_id>/apply", methods=["POST"])
@roles("job_seeker")
def apply(vacancy_id: int):
    """Apply to an open vacancy, with an optional message to the employer."""
    vacancy = services.get_vacancy(vacancy_id) or abort(404)
    require(can_view_vacancy(current_user, vacancy))
    profile = current_user.person.seeker_profile
    commit_or_explain(
        lambda: services.apply(profile, vacancy, request.form.get("message", "")),
        _("Your application is sent. You can follow it on your page."),
    )
    return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))


@bp.route("/searches", methods=["POST"])
@roles("job_seeker")
def save_search():
    """Keep the search shown (its words and filters), optionally with alerts."""

    criteria = Criteria.from_args(request.form)
    saved = commit_or_explain(
        lambda: keep(
            current_user,
            request.form.get("name", ""),
            criteria,
            request.form.get("alerts") == "1",
        ),
        _("The search is saved. Find it on “My searches”."),
    )
    if saved:
        return redirect(url_for("seekers.searches"))
    return redirect(url_for("vacancies.index", **criteria.args()))
