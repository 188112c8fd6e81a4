"""The public training catalogue, and the counsellor's gap page with referrals."""

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user

from jobmatch.access import STAFF, public, roles
from jobmatch.counselling.services import get_seeker
from jobmatch.extensions import db
from jobmatch.forms import commit_or_explain
from jobmatch.i18n import _
from jobmatch.reference import LANGUAGES, REGIONS, TRAINING_MODES
from jobmatch.training import services
from jobmatch.training.models import TrainingInterest, TrainingProgramme
from jobmatch.vacancies.services import get_vacancy
from jobmatch.validation import as_id

bp = Blueprint("training", __name__)


def _code(name: str, codes) -> str | None:
    value = request.args.get(name) or None
    return value if value in codes else None


@bp.route("/training/")
@public
def index():
    filters = {
        "text": (request.args.get("q") or "").strip()[:100],
        "region": _code("region", REGIONS),
        "mode": _code("mode", TRAINING_MODES),
        "language": _code("language", LANGUAGES),
    }
    page = db.paginate(services.catalogue(**filters), max_per_page=100)
    args = {"q": filters["text"], **{k: filters[k] for k in ("region", "mode", "language")}}
    args = {k: v for k, v in args.items() if v}
    return render_template("training/index.html", page=page, filters=filters, args=args)


@bp.route("/training/<int:programme_id>")
@public
def show(programme_id: int):
    programme = db.session.get(TrainingProgramme, programme_id) or abort(404)
    interest = None
    if current_user.is_authenticated and current_user.role == "job_seeker":
        interest = db.session.get(
            TrainingInterest, (current_user.person.seeker_profile.id, programme.id)
        )
    return render_template("training/show.html", programme=programme, interest=interest)


@bp.route("/training/<int:programme_id>/interest", methods=["POST"])
@roles("job_seeker")
def interest(programme_id: int):
    """Say (or take back) that one would like to take the course."""
    programme = db.session.get(TrainingProgramme, programme_id) or abort(404)
    profile = current_user.person.seeker_profile
    if request.form.get("action") == "withdraw":
        commit_or_explain(
            lambda: services.withdraw_interest(profile, programme),
            _("You are no longer marked as interested."),
        )
    else:
        commit_or_explain(
            lambda: services.express_interest(profile, programme),
            _("Your interest is noted: your counsellor can help you enrol."),
        )
    return redirect(url_for("training.show", programme_id=programme.id))


@bp.route("/counsellor/seekers/<int:seeker_id>/training", methods=["GET", "POST"])
@roles(*STAFF)
def gap(seeker_id: int):
    """For a person and a target vacancy: the missing essential skills and the programmes
    that teach them; refer the person to one."""

    profile = get_seeker(seeker_id) or abort(404)
    source = request.form if request.method == "POST" else request.args
    vacancy_id = source.get("vacancy", "")
    vacancy = get_vacancy(as_id(vacancy_id)) if as_id(vacancy_id) else None
    if vacancy is None:
        abort(404)
    if request.method == "POST":
        programme_id = request.form.get("programme_id", "")
        programme = (
            db.session.get(TrainingProgramme, as_id(programme_id)) if as_id(programme_id) else None
        ) or abort(404)
        commit_or_explain(
            lambda: services.refer(
                current_user, profile, programme, vacancy, request.form.get("note", "")
            ),
            _("%(name)s is referred to “%(title)s”.", name=profile.person.full_name,
              title=programme.title),
        )  # fmt: skip
        return redirect(url_for("training.gap", seeker_id=profile.id, vacancy=vacancy.id))
    return render_template(
        "training/gap.html",
        profile=profile,
        vacancy=vacancy,
        gap=services.gap_programmes(profile, vacancy),
        referrals=services.referrals_of(profile),
    )
